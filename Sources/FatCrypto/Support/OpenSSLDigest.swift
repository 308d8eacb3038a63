import CLibCrypto

/// One-shot hashing through OpenSSL's EVP interface with a cached algorithm object and a pooled
/// digest context.
enum OpenSSLDigest {
    static func hash(_ data: [UInt8], digest: OpaquePointer, length: Int) -> [UInt8] {
        DigestContextPool.withContext { context in
            [UInt8](unsafeUninitializedCapacity: length) { output, initialized in
                var written: UInt32 = 0
                let ok =
                    EVP_DigestInit_ex2(context, digest, nil) == 1
                    && data.withNonNullBytes { EVP_DigestUpdate(context, $0, $1) } == 1
                    && EVP_DigestFinal_ex(context, output.baseAddress, &written) == 1
                // With a fetched digest and valid buffers hashing can fail only when memory runs out.
                precondition(ok && Int(written) == length, "\(length * 8)-bit digest failed: \(OpenSSLError.lastReason())")
                initialized = length
            }
        }
    }
}
