extension Sr25519 {
    /// How a 32-byte mini secret becomes a 64-byte secret key (schnorrkel's `ExpansionMode`).
    public enum ExpansionMode: Sendable {
        /// SHA-512 of the seed, the first half clamped as Ed25519 does and divided by the
        /// cofactor, the second half the nonce. Substrate's `Pair::from_seed` uses this.
        case ed25519
        /// Scalar and nonce drawn from a Merlin transcript "ExpandSecretKeys" over the seed.
        case uniform
    }

    /// The 64-byte secret key that the mini secret `seed` expands to under `expansion`.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` when `seed` is not 32 bytes.
    public static func secretKey(fromSeed seed: [UInt8], expansion: ExpansionMode) throws -> [UInt8] {
        guard seed.count == 32 else {
            throw CryptoError.invalidKeyLength(algorithm: "sr25519 mini secret", expected: 32, actual: seed.count)
        }
        switch expansion {
        case .ed25519:
            let hash = SHA512.hash(seed)
            var scalar = Array(hash[0 ..< 32])
            scalar[0] &= 248
            scalar[31] &= 63
            scalar[31] |= 64
            return divideByCofactor(scalar) + hash[32 ..< 64]
        case .uniform:
            var transcript = MerlinTranscript(label: "ExpandSecretKeys")
            transcript.append(seed, label: "mini")
            let scalar = Ristretto255.reduce(wide: transcript.challengeBytes(label: "sk", count: 64))
            return scalar + transcript.challengeBytes(label: "no", count: 32)
        }
    }

    /// Converts a secret key in schnorrkel's Ed25519 layout (`to_ed25519_bytes`, the first half of
    /// `to_half_ed25519_bytes`, as polkadot-js keeps keys: the scalar multiplied by the cofactor)
    /// to the layout the other functions take.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` for a key that is not
    ///   64 bytes, ``CryptoError/invalidKey(algorithm:reason:)`` when the divided scalar is not reduced.
    public static func secretKey(fromEd25519Bytes bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count == secretKeyByteCount else {
            throw CryptoError.invalidKeyLength(algorithm: "sr25519 secret (ed25519 layout)", expected: secretKeyByteCount, actual: bytes.count)
        }
        let key = divideByCofactor(Array(bytes[0 ..< 32])) + bytes[32 ..< 64]
        _ = try SecretKeyParts(key)
        return key
    }

    /// The 256-bit little-endian number shifted right by three bits (schnorrkel's
    /// `divide_scalar_bytes_by_cofactor`; the low bits are zero after clamping).
    private static func divideByCofactor(_ bytes: [UInt8]) -> [UInt8] {
        (0 ..< 32).map { index in
            let high = index < 31 ? bytes[index + 1] << 5 : 0
            return bytes[index] >> 3 | high
        }
    }
}
