import Foundation
import Synchronization

/// The threads queries run on. A query is synchronous work (a Wasm or native call that may wait
/// on the network for seconds), so it runs here rather than on the few threads Swift's
/// concurrency runtime shares with the HTTP server: a slow query then delays only other queries
/// beyond the pool's width, never commands, health checks or metrics. **Thread-safe.**
final class QueryPool: Sendable {
    private struct State {
        var work: [@Sendable () -> Void] = []
        var head = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    let width: Int

    init(width: Int) {
        self.width = max(1, width)
        for index in 0 ..< self.width {
            let thread = Thread { [self] in loop() }
            thread.name = "fat-query-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Lets the threads finish: each exits once the queue is empty.
    func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0 ..< width { available.signal() }
    }

    private func enqueue(_ item: @escaping @Sendable () -> Void) {
        state.withLock { $0.work.append(item) }
        available.signal()
    }

    private func loop() {
        while true {
            available.wait()
            let item = state.withLock { state -> (@Sendable () -> Void)? in
                guard state.head < state.work.count else { return nil }
                let item = state.work[state.head]
                state.head += 1
                if state.head > 1024, state.head * 2 > state.work.count {
                    state.work.removeFirst(state.head)
                    state.head = 0
                }
                return item
            }
            if let item { item() } else if state.withLock({ $0.stopped }) { return }
        }
    }
}
