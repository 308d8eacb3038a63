import FatCrypto

/// Keys owned by contracts: derived from the host's secret, the contract's address and a salt, so
/// that the same contract gets the same key in commands, queries and replays, and no contract can
/// derive another's. Signing and verifying by scheme, with pink's key and signature formats.
/// **Immutable; thread-safe.**
struct ContractKeys: Sendable {
    let secret: [UInt8]

    /// A secret key of `scheme` for `contract` and `salt`.
    func derive(_ scheme: SignatureScheme, contract: AccountId, salt: [UInt8]) throws -> [UInt8] {
        let seed = HKDF.sha256(
            inputKey: secret, salt: Array("fat.contract-key.v1".utf8),
            info: contract.bytes + [scheme.rawValue] + salt, outputLength: 32)
        switch scheme {
        case .ed25519: return seed
        case .sr25519: return try Sr25519.secretKey(fromSeed: seed)
        case .ecdsa:
            // A secp256k1 secret must be below the group order; a seed that is not is hashed again.
            var candidate = seed
            while Secp256k1.publicKey(secretKey: candidate) == nil { candidate = Blake2b.hash256(candidate) }
            return candidate
        }
    }
}

/// The signature schemes, numbered as Phala pink's `SigType` and FAT_SIG_* in the ABI.
enum SignatureScheme: UInt8, Sendable {
    case ed25519 = 0
    case sr25519 = 1
    case ecdsa = 2

    /// The public key of `secret`; throws for a malformed secret.
    func publicKey(secret: [UInt8]) throws -> [UInt8] {
        switch self {
        case .ed25519:
            guard secret.count == 32 else { throw invalid("an ed25519 secret is a 32-byte seed, not \(secret.count) bytes") }
            return try Ed25519SigningKey(seed: secret).publicKey
        case .sr25519:
            return try Sr25519.publicKey(secretKey: try sr25519Secret(secret))
        case .ecdsa:
            guard let key = Secp256k1.publicKey(secretKey: secret) else { throw invalid("an ecdsa secret is 32 bytes below the secp256k1 order") }
            return key
        }
    }

    /// Signs `message`. Ed25519 and ECDSA (RFC 6979) are deterministic; sr25519 takes fresh
    /// randomness unless `deterministic`, as it must be in a command.
    func sign(secret: [UInt8], message: [UInt8], deterministic: Bool) throws -> [UInt8] {
        switch self {
        case .ed25519:
            guard secret.count == 32 else { throw invalid("an ed25519 secret is a 32-byte seed, not \(secret.count) bytes") }
            return try Ed25519SigningKey(seed: secret).sign(message)
        case .sr25519:
            return try Sr25519.sign(
                message: message, secretKey: try sr25519Secret(secret),
                randomness: deterministic ? nil : SecureRandom.bytes(32))
        case .ecdsa:
            guard let signature = Secp256k1.sign(messageHash: Blake2b.hash256(message), secretKey: secret) else {
                throw invalid("an ecdsa secret is 32 bytes below the secp256k1 order")
            }
            return signature
        }
    }

    /// Whether `signature` is `publicKey`'s over `message`; throws for a malformed key or signature.
    func verify(publicKey: [UInt8], message: [UInt8], signature: [UInt8]) throws -> Bool {
        switch self {
        case .ed25519:
            guard publicKey.count == 32 else { throw invalid("an ed25519 public key is 32 bytes, not \(publicKey.count)") }
            guard signature.count == 64 else { throw invalid("an ed25519 signature is 64 bytes, not \(signature.count)") }
            return Ed25519.verify(signature: signature, message: message, publicKey: publicKey)
        case .sr25519:
            guard publicKey.count == 32 else { throw invalid("an sr25519 public key is 32 bytes, not \(publicKey.count)") }
            guard signature.count == 64 else { throw invalid("an sr25519 signature is 64 bytes, not \(signature.count)") }
            return Sr25519.verify(signature: signature, message: message, publicKey: publicKey)
        case .ecdsa:
            guard publicKey.count == 33 else { throw invalid("an ecdsa public key is 33 bytes (compressed), not \(publicKey.count)") }
            guard signature.count == 65 else { throw invalid("an ecdsa signature is 65 bytes, not \(signature.count)") }
            return Secp256k1.recover(signature: signature, messageHash: Blake2b.hash256(message)) == publicKey
        }
    }

    /// Accepts a 64-byte schnorrkel secret key or a 32-byte seed, as Substrate's `from_seed_slice`.
    private func sr25519Secret(_ secret: [UInt8]) throws -> [UInt8] {
        switch secret.count {
        case 64: return secret
        case 32: return try Sr25519.secretKey(fromSeed: secret)
        default: throw invalid("an sr25519 secret is 64 bytes (or a 32-byte seed), not \(secret.count) bytes")
        }
    }

    private func invalid(_ message: String) -> FatError { FatError(.badArguments, message) }
}

extension ContractKeys {
    /// The host's own public key (pink's worker key): sr25519, from the host secret.
    func hostPublicKey() throws -> [UInt8] {
        let seed = HKDF.sha256(inputKey: secret, salt: Array("fat.contract-key.v1".utf8), info: Array("host".utf8), outputLength: 32)
        return try Sr25519.publicKey(secretKey: try Sr25519.secretKey(fromSeed: seed))
    }
}
