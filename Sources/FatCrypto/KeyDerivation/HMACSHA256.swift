import CLibCrypto

/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) over OpenSSL's SHA-256.
///
/// The construction is written out over one pooled digest context rather than OpenSSL's
/// `EVP_MAC`, which looks the algorithm up by name and builds three digest contexts per call;
/// here a short message costs four SHA-256 compressions and no OpenSSL allocation.
///
/// **Safe to call from any thread.** Keys of any length are accepted, as RFC 2104 specifies (keys
/// longer than the 64-byte block are hashed first).
public enum HMACSHA256 {
    /// The tag length in bytes.
    public static let byteCount = 32

    private static let blockSize = 64

    /// The 32-byte HMAC-SHA-256 tag of `data` under `key`.
    public static func authenticate(key: [UInt8], data: [UInt8]) -> [UInt8] {
        let blockKey = key.count > blockSize ? SHA256.hash(key) : key
        // The key padded to one block, XORed with ipad for the inner hash and then with opad.
        var pad: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var inner: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &pad) { pad in
            withUnsafeMutableBytes(of: &inner) { inner in
                defer {
                    // Scrub the key-derived pad and the inner hash before the stack is reused.
                    OPENSSL_cleanse(pad.baseAddress, blockSize)
                    OPENSSL_cleanse(inner.baseAddress, byteCount)
                }
                for index in 0 ..< blockKey.count { pad[index] = blockKey[index] }
                for index in 0 ..< blockSize { pad[index] ^= 0x36 }
                return [UInt8](unsafeUninitializedCapacity: byteCount) { output, initialized in
                    let ok = DigestContextPool.withContext { context in
                        let digest = OpenSSLAlgorithms.sha256
                        var length: UInt32 = 0
                        guard EVP_DigestInit_ex2(context, digest, nil) == 1,
                            EVP_DigestUpdate(context, pad.baseAddress, blockSize) == 1,
                            data.withNonNullBytes({ EVP_DigestUpdate(context, $0, $1) }) == 1,
                            EVP_DigestFinal_ex(context, inner.baseAddress, &length) == 1
                        else { return false }
                        for index in 0 ..< blockSize { pad[index] ^= 0x36 ^ 0x5c }
                        return EVP_DigestInit_ex2(context, digest, nil) == 1
                            && EVP_DigestUpdate(context, pad.baseAddress, blockSize) == 1
                            && EVP_DigestUpdate(context, inner.baseAddress, byteCount) == 1
                            && EVP_DigestFinal_ex(context, output.baseAddress, &length) == 1
                    }
                    precondition(ok, "SHA-256 failed inside HMAC: \(OpenSSLError.lastReason())")
                    initialized = byteCount
                }
            }
        }
    }
}
