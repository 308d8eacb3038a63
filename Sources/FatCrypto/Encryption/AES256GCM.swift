import CLibCrypto

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D) with 96-bit nonces and 128-bit tags,
/// computed by OpenSSL.
///
/// `seal` returns `ciphertext || tag`; `open` checks the tag before returning any plaintext, so a
/// changed ciphertext, associated data, nonce or key is always reported as
/// ``CryptoError/authenticationFailed`` rather than yielding garbage.
///
/// A nonce must never be used twice with one key: doing so reveals the XOR of the two plaintexts
/// and lets an attacker forge tags. The caller owns that rule.
///
/// The key is expanded once, at `init`; keep one value per key rather than making one per call.
/// **A value can be used from any thread, concurrently**, and copies share the expanded key.
public struct AES256GCM: Sendable {
    /// Key length in bytes.
    public static let keyByteCount = 32
    /// Nonce length in bytes.
    public static let nonceByteCount = 12
    /// Authentication tag length in bytes, appended to every sealed message.
    public static let tagByteCount = 16

    private let contexts: GCMContextPool

    /// Prepares a cipher under a 32-byte key.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(algorithm:expected:actual:)`` for another length.
    public init(key: [UInt8]) throws {
        guard key.count == Self.keyByteCount else {
            throw CryptoError.invalidKeyLength(algorithm: "AES-256-GCM", expected: Self.keyByteCount, actual: key.count)
        }
        contexts = try GCMContextPool(key: key)
    }

    /// Encrypts `plaintext` and authenticates it together with `aad`.
    ///
    /// - Parameter nonce: exactly 12 bytes, never reused under this key. Another length is a
    ///   programming error and stops the process.
    /// - Returns: the ciphertext (as long as the plaintext) followed by the 16-byte tag.
    public func seal(_ plaintext: [UInt8], nonce: [UInt8], authenticating aad: [UInt8]) -> [UInt8] {
        precondition(
            nonce.count == Self.nonceByteCount,
            "AES-256-GCM nonce must be \(Self.nonceByteCount) bytes, got \(nonce.count)")
        precondition(
            plaintext.count <= Int32.max && aad.count <= Int32.max,
            "AES-256-GCM input must be under 2 GiB")
        let sealedCount = plaintext.count + Self.tagByteCount
        return contexts.withContext { context in
            let sealed = [UInt8](unsafeUninitializedCapacity: sealedCount) { output, initialized in
                let out = output.baseAddress!
                var written: Int32 = 0
                let ok =
                    nonce.withUnsafeBufferPointer { EVP_EncryptInit_ex2(context, nil, nil, $0.baseAddress, nil) } == 1
                    && Self.authenticate(aad, in: context, encrypting: true)
                    && plaintext.withNonNullBytes { EVP_EncryptUpdate(context, out, &written, $0, Int32($1)) } == 1
                    && EVP_EncryptFinal_ex(context, out + Int(written), &written) == 1
                    && fat_evp_gcm_get_tag(context, out + plaintext.count, Int32(Self.tagByteCount)) == 1
                // With a keyed context and in-range lengths, GCM encryption cannot fail.
                precondition(ok, "AES-256-GCM encryption failed: \(OpenSSLError.lastReason())")
                initialized = sealedCount
            }
            return (sealed, succeeded: true)
        }
    }

    /// Checks the tag on `sealed` (ciphertext followed by its 16-byte tag) against `nonce` and
    /// `aad`, and returns the plaintext.
    ///
    /// - Throws: ``CryptoError/authenticationFailed`` when anything differs from what was sealed
    ///   (including the key), ``CryptoError/truncatedCiphertext(minimumLength:actual:)`` when
    ///   `sealed` is shorter than a tag, ``CryptoError/invalidNonceLength(algorithm:expected:actual:)``
    ///   for a nonce that is not 12 bytes.
    public func open(_ sealed: [UInt8], nonce: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8] {
        guard nonce.count == Self.nonceByteCount else {
            throw CryptoError.invalidNonceLength(algorithm: "AES-256-GCM", expected: Self.nonceByteCount, actual: nonce.count)
        }
        guard sealed.count >= Self.tagByteCount else {
            throw CryptoError.truncatedCiphertext(minimumLength: Self.tagByteCount, actual: sealed.count)
        }
        precondition(sealed.count <= Int32.max && aad.count <= Int32.max, "AES-256-GCM input must be under 2 GiB")
        let plaintextCount = sealed.count - Self.tagByteCount
        let plaintext: [UInt8]? = contexts.withContext { context in
            var authentic = false
            let plaintext = [UInt8](unsafeUninitializedCapacity: max(plaintextCount, 1)) { output, initialized in
                let out = output.baseAddress!
                var written: Int32 = 0
                authentic =
                    nonce.withUnsafeBufferPointer { EVP_DecryptInit_ex2(context, nil, nil, $0.baseAddress, nil) } == 1
                    && Self.authenticate(aad, in: context, encrypting: false)
                    && sealed.withUnsafeBufferPointer { sealed in
                        let base = sealed.baseAddress!
                        // OpenSSL takes the expected tag through a non-const pointer but only reads it.
                        return EVP_DecryptUpdate(context, out, &written, base, Int32(plaintextCount)) == 1
                            && fat_evp_gcm_set_tag(
                                context, UnsafeMutablePointer(mutating: base + plaintextCount),
                                Int32(Self.tagByteCount)) == 1
                    }
                    && EVP_DecryptFinal_ex(context, out + Int(written), &written) == 1
                if !authentic {
                    // Plaintext that failed authentication must not linger, even in freed memory.
                    OPENSSL_cleanse(out, plaintextCount)
                    ERR_clear_error()
                }
                initialized = authentic ? plaintextCount : 0
            }
            return (authentic ? plaintext : nil, succeeded: authentic)
        }
        guard let plaintext else { throw CryptoError.authenticationFailed }
        return plaintext
    }

    /// Feeds associated data into the running GCM computation (an update with no output buffer).
    private static func authenticate(_ aad: [UInt8], in context: OpaquePointer, encrypting: Bool) -> Bool {
        guard !aad.isEmpty else { return true }
        var written: Int32 = 0
        return aad.withUnsafeBufferPointer { aad in
            encrypting
                ? EVP_EncryptUpdate(context, nil, &written, aad.baseAddress, Int32(aad.count)) == 1
                : EVP_DecryptUpdate(context, nil, &written, aad.baseAddress, Int32(aad.count)) == 1
        }
    }
}
