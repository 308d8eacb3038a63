import CLibCrypto

/// Algorithm objects fetched from OpenSSL's default provider once per process.
///
/// Fetching resolves a name through the provider's method store under a lock; doing it once keeps
/// that cost off every hash and seal. OpenSSL documents fetched `EVP_MD` and `EVP_CIPHER` objects
/// as immutable and safe to share between threads, and these are never freed.
enum OpenSSLAlgorithms {
    nonisolated(unsafe) static let sha256: OpaquePointer = fetchDigest("SHA2-256")
    nonisolated(unsafe) static let sha512: OpaquePointer = fetchDigest("SHA2-512")
    nonisolated(unsafe) static let aes256GCM: OpaquePointer = fetchCipher("AES-256-GCM")

    private static func fetchDigest(_ name: String) -> OpaquePointer {
        guard let digest = EVP_MD_fetch(nil, name, nil) else {
            fatalError("OpenSSL provides no \(name) digest: \(OpenSSLError.lastReason()); is the default provider loaded?")
        }
        return digest
    }

    private static func fetchCipher(_ name: String) -> OpaquePointer {
        guard let cipher = EVP_CIPHER_fetch(nil, name, nil) else {
            fatalError("OpenSSL provides no \(name) cipher: \(OpenSSLError.lastReason()); is the default provider loaded?")
        }
        return cipher
    }
}

/// Reads and clears this thread's OpenSSL error queue.
enum OpenSSLError {
    static func lastReason() -> String {
        var reason = "no error reported"
        var code = ERR_get_error()
        while code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reason = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            code = ERR_get_error()
        }
        return reason
    }

    static func failure(_ operation: String) -> CryptoError {
        .openSSLFailure(operation: operation, reason: lastReason())
    }
}
