/// BLAKE2b (RFC 7693): digests of 1 to 64 bytes, optionally keyed, in pure Swift.
///
/// `hash256` is the 32-byte digest Substrate and ink! call `blake2_256` (account ids, code hashes,
/// storage keys); `hash128` is their `blake2_128`. Results match the reference implementation for
/// every output length and key. **Safe to call from any thread**; no call allocates beyond its
/// result.
public enum Blake2b {
    /// The largest digest length in bytes.
    public static let maximumOutputLength = 64
    /// The largest key in bytes.
    public static let maximumKeyLength = 64
    static let blockSize = 128

    /// The BLAKE2b digest of `data`, `outputLength` bytes long (1...64), keyed when `key` is not
    /// empty (at most 64 bytes). Lengths outside those ranges are programming errors and stop
    /// the process.
    public static func hash(_ data: [UInt8], outputLength: Int = 32, key: [UInt8] = []) -> [UInt8] {
        var hasher = Hasher(outputLength: outputLength, key: key)
        hasher.update(data)
        return hasher.finalize()
    }

    /// The 32-byte unkeyed BLAKE2b digest of `data` (BLAKE2b-256).
    public static func hash256(_ data: [UInt8]) -> [UInt8] {
        hash(data, outputLength: 32)
    }

    /// The 16-byte unkeyed BLAKE2b digest of `data` (BLAKE2b-128).
    public static func hash128(_ data: [UInt8]) -> [UInt8] {
        hash(data, outputLength: 16)
    }
}
