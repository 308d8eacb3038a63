import FatCrypto

/// Checks signatures by account keys. An account's 32 bytes are its public key, Ed25519 or
/// sr25519 (signing context `substrate`, as Substrate wallets sign) as the signature's scheme says.
/// Weak keys (the identity, small-order points) verify nothing.
public enum Signer {
    /// Whether `signature` signs `payload` for `account`.
    public static func verifies(_ signature: Signature, payload: [UInt8], account: AccountId) -> Bool {
        switch signature.scheme {
        case .ed25519: Ed25519.verify(signature: signature.bytes, message: payload, publicKey: account.bytes)
        case .sr25519: Sr25519.verify(signature: signature.bytes, message: payload, publicKey: account.bytes)
        // An extrinsic signs its own payload, not this one: `ExtrinsicProof` checks it.
        case .extrinsic: false
        }
    }

    static func verify(_ signature: Signature, payload: [UInt8], account: AccountId) throws -> Bool {
        verifies(signature, payload: payload, account: account)
    }
}
