/// Why a cryptographic operation refused its input or could not complete.
///
/// Each case names the cause; `description` says what was expected so a caller can report it
/// without further context. Values are plain data and safe to pass between threads.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key had the wrong length for its algorithm (for example an AES-256 key that is not 32 bytes).
    case invalidKeyLength(algorithm: String, expected: Int, actual: Int)
    /// A key had the right length but is not a valid key for its algorithm (for example an
    /// sr25519 secret scalar that is not reduced modulo the group order).
    case invalidKey(algorithm: String, reason: String)
    /// A nonce had the wrong length for its algorithm.
    case invalidNonceLength(algorithm: String, expected: Int, actual: Int)
    /// A sealed message was shorter than its authentication tag.
    case truncatedCiphertext(minimumLength: Int, actual: Int)
    /// The tag did not match: the ciphertext, the associated data, the nonce or the key is not
    /// the one used to seal.
    case authenticationFailed
    /// OpenSSL reported an error in an operation whose inputs were valid.
    case openSSLFailure(operation: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidKeyLength(algorithm, expected, actual):
            return "\(algorithm) key must be \(expected) bytes, got \(actual)"
        case let .invalidKey(algorithm, reason):
            return "\(algorithm) key is invalid: \(reason)"
        case let .invalidNonceLength(algorithm, expected, actual):
            return "\(algorithm) nonce must be \(expected) bytes, got \(actual)"
        case let .truncatedCiphertext(minimumLength, actual):
            return "sealed message is \(actual) bytes, shorter than the \(minimumLength)-byte tag it must end with"
        case .authenticationFailed:
            return "authentication failed: the ciphertext, associated data, nonce or key differs from the one used to seal"
        case let .openSSLFailure(operation, reason):
            return "OpenSSL \(operation) failed: \(reason)"
        }
    }
}
