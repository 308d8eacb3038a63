import CLibCrypto
import Synchronization

/// Keyed AES-256-GCM contexts for one key, reused across calls.
///
/// Setting a key costs an AES key expansion and the GHASH table set-up; both are done once, in a
/// template context. A call borrows an idle keyed context (or copies the template when none is
/// idle), sets only the nonce, and returns the context afterwards: a 16-byte seal costs well under
/// half of what building a context from the key each time does.
///
/// **Safe to use from any thread.** The template is never used directly after creation, only
/// copied, which reads it; the idle list is guarded by a mutex. Every context is freed (and its
/// key material cleansed by OpenSSL) when the pool is deallocated.
final class GCMContextPool: @unchecked Sendable {
    /// At most this many idle contexts are kept; extras from a burst of concurrent calls are freed.
    private static let idleLimit = 8

    private let template: OpaquePointer
    private let idle = Mutex<[IdleContext]>([])

    /// A pool for `key`, which must be 32 bytes.
    init(key: [UInt8]) throws {
        guard let template = EVP_CIPHER_CTX_new() else {
            throw OpenSSLError.failure("EVP_CIPHER_CTX_new")
        }
        guard
            key.withUnsafeBufferPointer({
                EVP_EncryptInit_ex2(template, OpenSSLAlgorithms.aes256GCM, $0.baseAddress, nil, nil)
            }) == 1
        else {
            EVP_CIPHER_CTX_free(template)
            throw OpenSSLError.failure("AES-256-GCM key set-up")
        }
        self.template = template
    }

    deinit {
        EVP_CIPHER_CTX_free(template)
        idle.withLock { contexts in
            for context in contexts { EVP_CIPHER_CTX_free(context.pointer) }
        }
    }

    /// Runs `body` with a keyed context no other thread uses meanwhile. The context goes back to
    /// the pool when `body` reports success, and is freed when it reports failure, so a context
    /// left in an unknown state is never reused.
    func withContext<R>(_ body: (OpaquePointer) -> (R, succeeded: Bool)) -> R {
        let context = idle.withLock { $0.popLast()?.pointer } ?? makeContext()
        let (result, succeeded) = body(context)
        if succeeded {
            let kept = idle.withLock { contexts -> Bool in
                guard contexts.count < Self.idleLimit else { return false }
                contexts.append(IdleContext(pointer: context))
                return true
            }
            if !kept { EVP_CIPHER_CTX_free(context) }
        } else {
            EVP_CIPHER_CTX_free(context)
        }
        return result
    }

    private func makeContext() -> OpaquePointer {
        guard let context = EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_copy(context, template) == 1 else {
            fatalError("copying an AES-256-GCM context failed: \(OpenSSLError.lastReason())")
        }
        return context
    }
}

/// An idle context parked in the pool. Only one thread holds a context between taking it from
/// the pool and putting it back, so handing it across threads is safe.
private struct IdleContext: @unchecked Sendable {
    let pointer: OpaquePointer
}
