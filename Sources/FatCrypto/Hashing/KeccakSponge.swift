/// The Keccak-f[1600] permutation and a one-shot sponge over it (FIPS 202 §3, §4).
///
/// Parameterised by rate and domain-padding byte so the same code serves the original Keccak
/// (padding 0x01, as Ethereum uses) and SHA-3 (padding 0x06). The 200-byte state lives on the
/// stack. `Strobe128` drives the same permutation through ``permute(_:)``.
enum KeccakSponge {
    /// Round constants for the iota step.
    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808a, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808b, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008a, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000a,
        0x0000_0000_8000_808b, 0x8000_0000_0000_008b, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800a, 0x8000_0000_8000_000a,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// Hashes `message` with a sponge of `rate` bytes and the given padding byte, squeezing
    /// `outputLength` bytes (at most `rate`).
    static func hash(_ message: UnsafeRawBufferPointer, rate: Int, padding: UInt8, outputLength: Int) -> [UInt8] {
        precondition(rate % 8 == 0 && rate < 200 && outputLength <= rate)
        var lanes = KeccakLanes()
        return withUnsafeMutableBytes(of: &lanes) { raw -> [UInt8] in
            let state = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
            let laneCount = rate / 8
            var offset = 0
            if let base = message.baseAddress {
                while message.count - offset >= rate {
                    absorb(base + offset, laneCount: laneCount, into: state)
                    permute(state)
                    offset += rate
                }
            }
            // The final, partial block with the pad10*1 rule: domain byte after the message, 0x80
            // in the last byte of the rate (the two may coincide).
            var last = KeccakLanes()
            withUnsafeMutableBytes(of: &last) { block in
                let rest = message.count - offset
                if rest > 0 { block.baseAddress!.copyMemory(from: message.baseAddress! + offset, byteCount: rest) }
                block[rest] ^= padding
                block[rate - 1] ^= 0x80
                absorb(UnsafeRawPointer(block.baseAddress!), laneCount: laneCount, into: state)
            }
            permute(state)
            for index in 0 ..< 25 { state[index] = state[index].littleEndian }
            return Array(UnsafeRawBufferPointer(rebasing: raw[0 ..< outputLength]))
        }
    }

    @inline(__always)
    private static func absorb(_ block: UnsafeRawPointer, laneCount: Int, into state: UnsafeMutablePointer<UInt64>) {
        for index in 0 ..< laneCount {
            state[index] ^= UInt64(littleEndian: block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }
    }

    /// Keccak-f[1600] over a state addressed as 200 bytes, lane `i` in bytes `8i..<8i+8`
    /// little-endian, the layout STROBE reads and writes byte by byte.
    static func permute(_ lanes: inout KeccakLanes) {
        withUnsafeMutableBytes(of: &lanes) { raw in
            let state = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
            for index in 0 ..< 25 { state[index] = UInt64(littleEndian: state[index]) }
            permute(state)
            for index in 0 ..< 25 { state[index] = state[index].littleEndian }
        }
    }

    /// Keccak-f[1600]: 24 rounds of theta, rho, pi, chi, iota over lanes indexed x + 5y, with
    /// the 25 lanes held in locals so they stay in registers.
    private static func permute(_ state: UnsafeMutablePointer<UInt64>) {
        var a0 = state[0]
        var a1 = state[1]
        var a2 = state[2]
        var a3 = state[3]
        var a4 = state[4]
        var a5 = state[5]
        var a6 = state[6]
        var a7 = state[7]
        var a8 = state[8]
        var a9 = state[9]
        var a10 = state[10]
        var a11 = state[11]
        var a12 = state[12]
        var a13 = state[13]
        var a14 = state[14]
        var a15 = state[15]
        var a16 = state[16]
        var a17 = state[17]
        var a18 = state[18]
        var a19 = state[19]
        var a20 = state[20]
        var a21 = state[21]
        var a22 = state[22]
        var a23 = state[23]
        var a24 = state[24]
        for constant in roundConstants {
            // theta: column parities, and each column's correction from its neighbours
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ rotateLeft(c1, 1)
            let d1 = c0 ^ rotateLeft(c2, 1)
            let d2 = c1 ^ rotateLeft(c3, 1)
            let d3 = c2 ^ rotateLeft(c4, 1)
            let d4 = c3 ^ rotateLeft(c0, 1)
            // rho and pi: lane (x, y) rotated by its offset moves to (y, 2x + 3y)
            let b0 = a0 ^ d0
            let b1 = rotateLeft(a6 ^ d1, 44)
            let b2 = rotateLeft(a12 ^ d2, 43)
            let b3 = rotateLeft(a18 ^ d3, 21)
            let b4 = rotateLeft(a24 ^ d4, 14)
            let b5 = rotateLeft(a3 ^ d3, 28)
            let b6 = rotateLeft(a9 ^ d4, 20)
            let b7 = rotateLeft(a10 ^ d0, 3)
            let b8 = rotateLeft(a16 ^ d1, 45)
            let b9 = rotateLeft(a22 ^ d2, 61)
            let b10 = rotateLeft(a1 ^ d1, 1)
            let b11 = rotateLeft(a7 ^ d2, 6)
            let b12 = rotateLeft(a13 ^ d3, 25)
            let b13 = rotateLeft(a19 ^ d4, 8)
            let b14 = rotateLeft(a20 ^ d0, 18)
            let b15 = rotateLeft(a4 ^ d4, 27)
            let b16 = rotateLeft(a5 ^ d0, 36)
            let b17 = rotateLeft(a11 ^ d1, 10)
            let b18 = rotateLeft(a17 ^ d2, 15)
            let b19 = rotateLeft(a23 ^ d3, 56)
            let b20 = rotateLeft(a2 ^ d2, 62)
            let b21 = rotateLeft(a8 ^ d3, 55)
            let b22 = rotateLeft(a14 ^ d4, 39)
            let b23 = rotateLeft(a15 ^ d0, 41)
            let b24 = rotateLeft(a21 ^ d1, 2)
            // chi, row by row
            a0 = b0 ^ (~b1 & b2)
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)
            // iota
            a0 ^= constant
        }
        state[0] = a0
        state[1] = a1
        state[2] = a2
        state[3] = a3
        state[4] = a4
        state[5] = a5
        state[6] = a6
        state[7] = a7
        state[8] = a8
        state[9] = a9
        state[10] = a10
        state[11] = a11
        state[12] = a12
        state[13] = a13
        state[14] = a14
        state[15] = a15
        state[16] = a16
        state[17] = a17
        state[18] = a18
        state[19] = a19
        state[20] = a20
        state[21] = a21
        state[22] = a22
        state[23] = a23
        state[24] = a24
    }

    @inline(__always)
    private static func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}

/// 200 bytes of inline storage: the Keccak state, or one padded input block.
struct KeccakLanes {
    var words:
        (
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64
        ) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
