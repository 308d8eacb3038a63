extension Blake2b {
    /// An incremental BLAKE2b computation: feed the message in pieces of any size, then finalize.
    ///
    /// Feeding a message in any split gives the same digest as ``Blake2b/hash(_:outputLength:key:)``
    /// on the whole. A value type without heap storage: copy it to fork a computation (for example
    /// after a common prefix). A single value must not be mutated from two threads at once.
    public struct Hasher: Sendable {
        private var state: Blake2bState
        /// Up to one block of input not yet compressed. The block is held back until more input
        /// arrives because the final block is compressed differently.
        private var buffer = BlockBuffer()
        private var buffered = 0
        private var counterLow: UInt64 = 0
        private var counterHigh: UInt64 = 0
        private let outputLength: Int

        /// Starts a digest of `outputLength` bytes (1...64), keyed when `key` is not empty (at
        /// most 64 bytes). Lengths outside those ranges are programming errors and stop the process.
        public init(outputLength: Int = 32, key: [UInt8] = []) {
            precondition(
                (1 ... Blake2b.maximumOutputLength).contains(outputLength),
                "BLAKE2b output length must be 1...64 bytes, got \(outputLength)")
            precondition(
                key.count <= Blake2b.maximumKeyLength,
                "BLAKE2b key must be at most 64 bytes, got \(key.count)")
            self.outputLength = outputLength
            state = Blake2bState(outputLength: outputLength, keyLength: key.count)
            if !key.isEmpty {
                // A key is absorbed as a whole first block, zero padded.
                key.withUnsafeBytes { key in
                    withUnsafeMutableBytes(of: &buffer) { $0.copyMemory(from: key) }
                }
                buffered = Blake2b.blockSize
            }
        }

        /// Absorbs `data`.
        public mutating func update(_ data: [UInt8]) {
            data.withUnsafeBytes { update($0) }
        }

        /// Absorbs the bytes in `data`, which are only read during the call.
        public mutating func update(_ data: UnsafeRawBufferPointer) {
            guard let base = data.baseAddress, !data.isEmpty else { return }
            let count = data.count
            var offset = 0
            if buffered > 0 {
                let take = min(Blake2b.blockSize - buffered, count)
                let start = buffered
                withUnsafeMutableBytes(of: &buffer) { block in
                    (block.baseAddress! + start).copyMemory(from: base, byteCount: take)
                }
                buffered += take
                offset = take
                if offset == count { return }
                var block = buffer
                withUnsafeBytes(of: &block) { compress($0.baseAddress!, isLast: false) }
                buffered = 0
            }
            while count - offset > Blake2b.blockSize {
                compress(base + offset, isLast: false)
                offset += Blake2b.blockSize
            }
            let rest = count - offset
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.copyMemory(from: base + offset, byteCount: rest)
            }
            buffered = rest
        }

        /// The digest of everything absorbed so far. The hasher itself is left unchanged, so
        /// more input may follow for a digest of the longer message.
        public func finalize() -> [UInt8] {
            var last = self
            var block = buffer
            withUnsafeMutableBytes(of: &block) { block in
                let tail = UnsafeMutableRawBufferPointer(rebasing: block[buffered...])
                tail.initializeMemory(as: UInt8.self, repeating: 0)
                last.compress(UnsafeRawPointer(block.baseAddress!), isLast: true, byteCount: buffered)
            }
            return [UInt8](unsafeUninitializedCapacity: outputLength) { output, initialized in
                last.state.write(to: UnsafeMutableRawBufferPointer(output), count: outputLength)
                initialized = outputLength
            }
        }

        @inline(__always)
        private mutating func compress(_ block: UnsafeRawPointer, isLast: Bool, byteCount: Int = Blake2b.blockSize) {
            let (sum, overflow) = counterLow.addingReportingOverflow(UInt64(byteCount))
            counterLow = sum
            if overflow { counterHigh &+= 1 }
            state.compress(block, counterLow: counterLow, counterHigh: counterHigh, isLast: isLast)
        }
    }
}

/// 128 bytes of inline storage for one BLAKE2b block.
private struct BlockBuffer {
    var words:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
        ) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
