/// Schnorr signatures over ristretto255 with Merlin transcripts, byte-compatible with
/// schnorrkel 0.11 ("sr25519", as Substrate and Polkadot use them).
///
/// Keys and signatures are the schnorrkel encodings: a 32-byte compressed ristretto255 public
/// key; a 64-byte secret key `key ‖ nonce` as schnorrkel's `SecretKey::to_bytes` and Substrate's
/// sr25519 `Pair::to_raw_vec` write it (the scalar itself, reduced: after ed25519 expansion it is
/// already divided by the cofactor; ``secretKey(fromEd25519Bytes:)`` takes the other layout,
/// `to_ed25519_bytes`, that polkadot-js keeps); a 64-byte signature `R ‖ s` with bit 7 of byte 63
/// set to mark it as schnorrkel's.
///
/// `verify` answers `false`, never traps, for any malformed input. **Safe to call from any
/// thread.**
public enum Sr25519 {
    /// Public key length in bytes.
    public static let publicKeyByteCount = 32
    /// Secret key length in bytes: a 32-byte scalar and a 32-byte nonce seed.
    public static let secretKeyByteCount = 64
    /// Signature length in bytes.
    public static let signatureByteCount = 64
    /// The signing context Substrate uses for account signatures and pallet-contracts' `sr25519_verify`.
    public static let substrateContext: [UInt8] = Array("substrate".utf8)

    /// 64-byte secret key from a 32-byte mini secret (ed25519 expansion mode, as substrate's Pair::from_seed).
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` when `seed` is not 32 bytes.
    public static func secretKey(fromSeed seed: [UInt8]) throws -> [UInt8] {
        try secretKey(fromSeed: seed, expansion: .ed25519)
    }

    /// The public key of a 64-byte secret key.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` for a key that is
    ///   not 64 bytes, ``CryptoError/invalidKey(algorithm:reason:)`` when its scalar is not reduced.
    public static func publicKey(secretKey: [UInt8]) throws -> [UInt8] {
        Ristretto255.multiplyBase(try SecretKeyParts(secretKey).scalar)
    }

    /// Signs `message` in the signing `context` (schnorrkel's `sign_simple`).
    ///
    /// `randomness`: 32 bytes mixed into the witness; pass nil for deterministic signing (same inputs → same signature; used in replayable commands). Pass SecureRandom bytes otherwise.
    /// Deterministic signing is schnorrkel's signing with an RNG that yields 32 zero bytes; the
    /// witness still depends on the secret nonce, the key and the whole transcript, so it is
    /// never reused across different messages.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` or
    ///   ``CryptoError/invalidKey(algorithm:reason:)`` for a bad secret key,
    ///   ``CryptoError/invalidNonceLength(algorithm:expected:actual:)`` when `randomness` is not 32 bytes.
    public static func sign(message: [UInt8], secretKey: [UInt8], context: [UInt8] = substrateContext, randomness: [UInt8]?) throws -> [UInt8] {
        let secret = try SecretKeyParts(secretKey)
        if let randomness, randomness.count != 32 {
            throw CryptoError.invalidNonceLength(algorithm: "sr25519 signing randomness", expected: 32, actual: randomness.count)
        }
        let publicKey = Ristretto255.multiplyBase(secret.scalar)
        var transcript = protocolTranscript(context: context, message: message, publicKey: publicKey)
        let witness = transcript.witnessBytes(
            label: "signing", witness: secret.nonce,
            randomness: randomness ?? [UInt8](repeating: 0, count: 32), count: 64)
        let r = Ristretto255.reduce(wide: witness)
        let commitment = Ristretto255.multiplyBase(r)
        transcript.append(commitment, label: "sign:R")
        let challenge = Ristretto255.reduce(wide: transcript.challengeBytes(label: "sign:c", count: 64))
        var signature = commitment + Ristretto255.multiplyAdd(challenge, secret.scalar, r)
        signature[63] |= 0x80
        return signature
    }

    /// Whether `signature` is a valid sr25519 signature of `message` in `context` under
    /// `publicKey` (schnorrkel's `verify_simple`).
    ///
    /// False for wrong lengths, a signature without schnorrkel's marker bit (an Ed25519-style or
    /// pre-audit signature), a non-reduced `s`, a public key that is not a ristretto255 point, or
    /// the identity as public key: with it, `R = s·B` verifies any message for any `s`, so
    /// anyone could sign for its account (ristretto255 has prime order, so no other point is weak).
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8], context: [UInt8] = substrateContext) -> Bool {
        guard signature.count == signatureByteCount, publicKey.count == publicKeyByteCount,
            signature[63] & 0x80 != 0, publicKey.contains(where: { $0 != 0 })
        else { return false }
        let commitment = Array(signature[0 ..< 32])
        var s = Array(signature[32 ..< 64])
        s[31] &= 0x7f
        guard Ristretto255.isCanonicalScalar(s) else { return false }
        var transcript = protocolTranscript(context: context, message: message, publicKey: publicKey)
        transcript.append(commitment, label: "sign:R")
        let challenge = Ristretto255.reduce(wide: transcript.challengeBytes(label: "sign:c", count: 64))
        // R must equal s·B − k·A; comparing encodings rejects a non-canonical R as well.
        guard let challengeTimesKey = Ristretto255.multiply(challenge, publicKey),
            let expected = Ristretto255.subtract(Ristretto255.multiplyBase(s), challengeTimesKey)
        else { return false }
        return expected == commitment
    }

    /// The transcript up to the witness: signing context, message, protocol name, public key.
    private static func protocolTranscript(context: [UInt8], message: [UInt8], publicKey: [UInt8]) -> MerlinTranscript {
        var transcript = MerlinTranscript(label: "SigningContext")
        transcript.append(context, label: "")
        transcript.append(message, label: "sign-bytes")
        transcript.append(Array("Schnorr-sig".utf8), label: "proto-name")
        transcript.append(publicKey, label: "sign:pk")
        return transcript
    }
}

extension Sr25519 {
    /// A 64-byte schnorrkel secret key split into its reduced scalar and its nonce seed.
    struct SecretKeyParts {
        let scalar: [UInt8]
        let nonce: [UInt8]

        init(_ bytes: [UInt8]) throws {
            guard bytes.count == secretKeyByteCount else {
                throw CryptoError.invalidKeyLength(algorithm: "sr25519 secret", expected: secretKeyByteCount, actual: bytes.count)
            }
            scalar = Array(bytes[0 ..< 32])
            nonce = Array(bytes[32 ..< 64])
            guard Ristretto255.isCanonicalScalar(scalar) else {
                throw CryptoError.invalidKey(
                    algorithm: "sr25519 secret",
                    reason: "the first 32 bytes are not a scalar below the group order (an ed25519-layout key needs secretKey(fromEd25519Bytes:))")
            }
        }
    }
}
