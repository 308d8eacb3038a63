import CSodium

/// Ed25519 signature verification (RFC 8032, pure Ed25519), backed by libsodium, which checks a
/// signature in well under half the time OpenSSL 3 takes (see `fat-bench crypto`).
///
/// `verify` answers `false`, never traps, for any malformed input: a public key or signature of
/// the wrong length, a public key that is not a curve point or has small order, a non-canonical
/// signature. **Safe to call from any thread.**
public enum Ed25519 {
    /// Public key length in bytes.
    public static let publicKeyByteCount = 32
    /// Signature length in bytes.
    public static let signatureByteCount = 64

    private static let initialised: Bool = sodium_init() >= 0

    /// Whether `signature` is a valid Ed25519 signature of `message` under `publicKey`.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard initialised, signature.count == signatureByteCount, publicKey.count == publicKeyByteCount else { return false }
        return signature.withUnsafeBufferPointer { signature in
            publicKey.withUnsafeBufferPointer { key in
                message.withUnsafeBufferPointer { message in
                    crypto_sign_ed25519_verify_detached(signature.baseAddress!, message.baseAddress, UInt64(message.count), key.baseAddress!) == 0
                }
            }
        }
    }
}
