import CSecp256k1

/// ECDSA over secp256k1 through libsecp256k1: signing with a recovery id, public-key recovery,
/// and Ethereum addresses. Never crashes on malformed input: bad lengths or values give nil.
/// **Thread-safe**: the library context is created once and only read afterwards.
public enum Secp256k1 {
    nonisolated(unsafe) private static let context: OpaquePointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!

    /// Recovers the 33-byte compressed public key from a 65-byte signature `r ‖ s ‖ v` over a
    /// 32-byte message hash. `v` is 0–3, or 27–30 as Ethereum writes it.
    public static func recover(signature: [UInt8], messageHash: [UInt8]) -> [UInt8]? {
        guard signature.count == 65, messageHash.count == 32 else { return nil }
        let v = signature[64] >= 27 ? Int32(signature[64]) - 27 : Int32(signature[64])
        guard (0 ... 3).contains(v) else { return nil }
        var parsed = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, signature, v) == 1 else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &parsed, messageHash) == 1 else { return nil }
        return serialize(&key, compressed: true)
    }

    /// Signs a 32-byte hash with a 32-byte secret; returns `r ‖ s ‖ v` (v in 0…3).
    public static func sign(messageHash: [UInt8], secretKey: [UInt8]) -> [UInt8]? {
        guard messageHash.count == 32, secretKey.count == 32 else { return nil }
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &signature, messageHash, secretKey, nil, nil) == 1 else { return nil }
        var output = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &output, &recoveryId, &signature)
        return output + [UInt8(recoveryId)]
    }

    /// The 33-byte compressed public key of a secret key.
    public static func publicKey(secretKey: [UInt8]) -> [UInt8]? {
        guard secretKey.count == 32 else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &key, secretKey) == 1 else { return nil }
        return serialize(&key, compressed: true)
    }

    /// The 20-byte Ethereum address of a 33-byte compressed public key: the last 20 bytes of
    /// Keccak-256 over the 64-byte uncompressed key.
    public static func ethereumAddress(compressedPublicKey: [UInt8]) -> [UInt8]? {
        guard compressedPublicKey.count == 33 else { return nil }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context, &key, compressedPublicKey, 33) == 1 else { return nil }
        let uncompressed = serialize(&key, compressed: false)
        return Array(Keccak256.hash(Array(uncompressed.dropFirst())).suffix(20))
    }

    private static func serialize(_ key: inout secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var length = output.count
        _ = secp256k1_ec_pubkey_serialize(context, &output, &length, &key, UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED))
        return output
    }
}
