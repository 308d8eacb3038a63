import CLibCrypto
import Synchronization

/// Idle `EVP_MD_CTX` objects shared by the OpenSSL-backed hashes and MACs of this module.
///
/// A digest context carries a provider-side state that OpenSSL allocates on first use and keeps
/// across re-initialisation with the same algorithm; reusing contexts saves two allocations and
/// two frees per call, which is most of the cost of an HMAC over a short message.
///
/// **Safe to use from any thread.** A context belongs to one caller between `withContext` entry
/// and exit; the idle list is guarded by a mutex.
enum DigestContextPool {
    private static let idleLimit = 16
    private static let idle = Mutex<[IdleDigestContext]>([])

    /// Runs `body` with a digest context no other thread uses meanwhile. The context must be
    /// initialised by `body` before use; it is reset and pooled again afterwards.
    static func withContext<R>(_ body: (OpaquePointer) -> R) -> R {
        let context = idle.withLock { $0.popLast()?.pointer } ?? makeContext()
        let result = body(context)
        let kept = idle.withLock { contexts -> Bool in
            guard contexts.count < idleLimit else { return false }
            contexts.append(IdleDigestContext(pointer: context))
            return true
        }
        if !kept { EVP_MD_CTX_free(context) }
        return result
    }

    private static func makeContext() -> OpaquePointer {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new failed: out of memory")
        }
        return context
    }
}

/// A parked digest context; only one thread holds it at a time.
private struct IdleDigestContext: @unchecked Sendable {
    let pointer: OpaquePointer
}
