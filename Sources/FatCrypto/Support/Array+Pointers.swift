extension Array where Element == UInt8 {
    /// Calls `body` with a pointer to the bytes that is never null, even for an empty array.
    ///
    /// Some OpenSSL entry points reject a null pointer even when the length is zero.
    @inline(__always)
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        try withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                return try body(base, buffer.count)
            }
            var placeholder: UInt8 = 0
            return try withUnsafePointer(to: &placeholder) { try body($0, 0) }
        }
    }
}
