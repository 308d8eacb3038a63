/// SHA-512 (FIPS 180-4) computed by OpenSSL.
///
/// **Safe to call from any thread.** The algorithm object is fetched once per process.
public enum SHA512 {
    /// The digest length in bytes.
    public static let byteCount = 64

    /// The 64-byte SHA-512 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        OpenSSLDigest.hash(data, digest: OpenSSLAlgorithms.sha512, length: byteCount)
    }
}
