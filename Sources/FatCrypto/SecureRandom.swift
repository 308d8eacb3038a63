import CLibCrypto

/// Cryptographically secure random bytes from OpenSSL's default generator (`RAND_bytes`).
///
/// **Safe to call from any thread.** Not for use inside consensus-sensitive code: the output is
/// deliberately unreproducible.
public enum SecureRandom {
    /// `count` fresh random bytes. Stops the process if the system generator cannot be seeded,
    /// because no caller can continue safely without randomness.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes needs a non-negative count, got \(count)")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var offset = 0
            while offset < count {
                let chunk = min(count - offset, Int(Int32.max))
                guard RAND_bytes(buffer.baseAddress! + offset, Int32(chunk)) == 1 else {
                    fatalError("RAND_bytes could not produce \(count) bytes: \(OpenSSLError.lastReason())")
                }
                offset += chunk
            }
            initialized = count
        }
    }
}
