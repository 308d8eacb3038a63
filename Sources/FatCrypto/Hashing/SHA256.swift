/// SHA-256 (FIPS 180-4) computed by OpenSSL.
///
/// **Safe to call from any thread.** The algorithm object is fetched once per process.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// The 32-byte SHA-256 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        OpenSSLDigest.hash(data, digest: OpenSSLAlgorithms.sha256, length: byteCount)
    }
}
