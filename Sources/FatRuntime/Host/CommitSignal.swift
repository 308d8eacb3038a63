import Synchronization

/// Wakes what follows the log (event streams, chain-head subscriptions) when commands commit.
/// The host calls `committed` on its writer thread (it only swaps a list under a lock); each
/// follower waits in `wait(beyond:timeout:)`. **Thread-safe.**
public final class CommitSignal: Sendable {
    private struct State {
        var lastSeq: UInt64
        var nextId = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var closed = false
    }

    private let state: Mutex<State>

    public init(lastSeq: UInt64) { state = Mutex(State(lastSeq: lastSeq)) }

    public func committed(_ seq: UInt64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.lastSeq = max(state.lastSeq, seq)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Ends every wait now and every later one at once: the server is stopping.
    public func close() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Returns when a command past `seq` has committed, when `timeout` passes, or on `close`.
    public func wait(beyond seq: UInt64, timeout: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let id = state.withLock { state -> Int? in
                if state.lastSeq > seq || state.closed { return nil }
                state.nextId += 1
                state.waiters[state.nextId] = continuation
                return state.nextId
            }
            guard let id else { return continuation.resume() }
            Task {
                try? await Task.sleep(for: timeout)
                self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
            }
        }
    }
}
