import Foundation

/// Holds each request that reaches it until `parties` requests are waiting together, or until
/// `timeout` passes. A handler built on it tells requests that were in flight at the same time
/// (`arriveAndWait()` answers true) from requests that were sent one after another, which is
/// what tests of concurrency need: a client that serialised its requests would time out here.
/// **Thread-safe.**
public final class LoopbackBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private let timeout: TimeInterval
    private var arrived = 0

    public init(parties: Int, timeout: TimeInterval = 10) {
        self.parties = parties
        self.timeout = timeout
    }

    /// Waits at the barrier: true when `parties` requests (this one included) were waiting at once.
    public func arriveAndWait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= parties {
            condition.broadcast()
            return true
        }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while arrived < parties {
            if !condition.wait(until: deadline) { return arrived >= parties }
        }
        return true
    }

    /// An answer for a request that waited at the barrier: 200 "together" or 504 "alone".
    public func response() -> LoopbackResponse {
        arriveAndWait() ? LoopbackResponse(text: "together") : LoopbackResponse(status: 504, reason: "Gateway Timeout", text: "alone")
    }
}
