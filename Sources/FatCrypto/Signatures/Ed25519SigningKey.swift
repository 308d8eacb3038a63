import CLibCrypto

/// An Ed25519 private key (RFC 8032, pure Ed25519 without prehash or context), backed by OpenSSL.
///
/// Signing is deterministic: the same seed and message always give the same 64-byte signature.
/// The public key is derived once, at creation.
///
/// **A value can be used from any thread, concurrently.** It shares one immutable OpenSSL key
/// object among its copies; each `sign` call uses its own signing context.
public struct Ed25519SigningKey: Sendable, CustomStringConvertible {
    /// Seed (private key) length in bytes.
    public static let seedByteCount = 32

    /// The 32-byte seed this key was made from. Treat it as a secret.
    public let seed: [UInt8]
    /// The 32-byte public key, as RFC 8032 encodes it.
    public let publicKey: [UInt8]

    private let key: EVPKey

    /// Recreates the key whose RFC 8032 private key is `seed`; any 32 bytes are a valid seed.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` when `seed` is not 32 bytes.
    public init(seed: [UInt8]) throws {
        guard seed.count == Self.seedByteCount else {
            throw CryptoError.invalidKeyLength(algorithm: "Ed25519", expected: Self.seedByteCount, actual: seed.count)
        }
        guard let key = EVPKey.rawPrivate(type: fat_evp_pkey_ed25519(), bytes: seed) else {
            throw OpenSSLError.failure("Ed25519 private key import")
        }
        guard let publicKey = key.rawPublicKey(length: Ed25519.publicKeyByteCount) else {
            throw OpenSSLError.failure("Ed25519 public key export")
        }
        self.seed = seed
        self.publicKey = publicKey
        self.key = key
    }

    /// A new key from a fresh random seed (``SecureRandom``).
    public static func generate() -> Ed25519SigningKey {
        do {
            return try Ed25519SigningKey(seed: SecureRandom.bytes(seedByteCount))
        } catch {
            fatalError("a random 32-byte seed was rejected: \(error)")
        }
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new failed: out of memory")
        }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: Ed25519.signatureByteCount)
        var length = signature.count
        let ok =
            EVP_DigestSignInit_ex(context, nil, nil, nil, nil, key.pointer, nil) == 1
            && message.withNonNullBytes { EVP_DigestSign(context, &signature, &length, $0, $1) } == 1
        precondition(
            ok && length == Ed25519.signatureByteCount,
            "Ed25519 signing failed: \(OpenSSLError.lastReason())")
        return signature
    }

    /// Names the public key only, so logging a key never reveals its seed.
    public var description: String {
        "Ed25519SigningKey(publicKey: \(publicKey.hexString))"
    }
}
