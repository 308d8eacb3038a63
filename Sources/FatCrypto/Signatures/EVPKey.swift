import CLibCrypto

/// Owns one OpenSSL `EVP_PKEY` and frees it when the last reference goes away.
///
/// OpenSSL allows a key that is no longer modified to be used for signing and verifying from
/// several threads at once; this wrapper never modifies the key after creation, hence `Sendable`.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// A key of type `type` (an `EVP_PKEY_*` identifier) built from raw private bytes, or nil
    /// when OpenSSL rejects them.
    static func rawPrivate(type: Int32, bytes: [UInt8]) -> EVPKey? {
        bytes.withNonNullBytes { base, count in
            EVP_PKEY_new_raw_private_key(type, nil, base, count).map(EVPKey.init(taking:))
        }
    }

    /// A key of type `type` built from raw public bytes, or nil when OpenSSL rejects them.
    static func rawPublic(type: Int32, bytes: [UInt8]) -> EVPKey? {
        bytes.withNonNullBytes { base, count in
            EVP_PKEY_new_raw_public_key(type, nil, base, count).map(EVPKey.init(taking:))
        }
    }

    /// The raw public key bytes, `length` of them.
    func rawPublicKey(length: Int) -> [UInt8]? {
        var result = [UInt8](repeating: 0, count: length)
        var written = length
        guard EVP_PKEY_get_raw_public_key(pointer, &result, &written) == 1, written == length else {
            return nil
        }
        return result
    }
}
