import FatCrypto

/// Checks signatures by account keys. An account's 32 bytes are its Ed25519 public key.
enum Signer {
    static func verify(_ signature: Signature, payload: [UInt8], account: AccountId) -> Bool {
        switch signature.scheme {
        case .ed25519: Ed25519.verify(signature: signature.bytes, message: payload, publicKey: account.bytes)
        }
    }
}
