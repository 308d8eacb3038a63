import CLibCrypto

/// Ed25519 signature verification (RFC 8032, pure Ed25519), backed by OpenSSL.
///
/// `verify` answers `false`, never traps, for any malformed input: a public key or signature of
/// the wrong length, a public key that is not a curve point, a non-canonical signature.
/// **Safe to call from any thread.**
public enum Ed25519 {
    /// Public key length in bytes.
    public static let publicKeyByteCount = 32
    /// Signature length in bytes.
    public static let signatureByteCount = 64

    /// Whether `signature` is a valid Ed25519 signature of `message` under `publicKey`.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureByteCount, publicKey.count == publicKeyByteCount,
              let key = EVPKey.rawPublic(type: fat_evp_pkey_ed25519(), bytes: publicKey),
              let context = EVP_MD_CTX_new()
        else {
            ERR_clear_error()
            return false
        }
        defer { EVP_MD_CTX_free(context) }
        let valid = EVP_DigestVerifyInit_ex(context, nil, nil, nil, nil, key.pointer, nil) == 1
            && signature.withUnsafeBufferPointer { signature in
                message.withNonNullBytes {
                    EVP_DigestVerify(context, signature.baseAddress, signature.count, $0, $1)
                }
            } == 1
        if !valid { ERR_clear_error() }
        return valid
    }
}
