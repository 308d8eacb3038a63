import Foundation
import Synchronization

/// Where queries run. A query is synchronous work (a Wasm or native call that may wait on the
/// network for seconds), and Swift's concurrency runtime has only one thread per core for every
/// request the HTTP server handles. So at most `inlineLimit` queries at a time (one fewer than
/// the cores, at least one) run at once on the request's own thread, which costs no thread
/// switch; the others run on the pool's threads. A slow query can then hold at most that many
/// of the runtime's threads, and always leaves one for commands, health checks and metrics.
/// **Thread-safe.**
final class QueryPool: Sendable {
    private struct State {
        var work: [@Sendable () -> Void] = []
        var head = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let inline = Atomic<Int>(0)
    let width: Int
    let inlineLimit: Int

    init(width: Int, inlineLimit: Int = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)) {
        self.width = max(1, width)
        self.inlineLimit = inlineLimit
        for index in 0 ..< self.width {
            let thread = Thread { [self] in loop() }
            thread.name = "fat-query-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on the calling thread when the inline budget allows, else on a pool thread,
    /// and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if inline.wrappingAdd(1, ordering: .acquiring).newValue <= inlineLimit {
            defer { inline.wrappingSubtract(1, ordering: .releasing) }
            return try body()
        }
        inline.wrappingSubtract(1, ordering: .releasing)
        return try await withCheckedThrowingContinuation { continuation in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` on a pool thread, never on the caller's: for store reads and code loads, which
    /// block, so that the concurrency runtime's threads never wait on the disk or a worker process.
    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
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
