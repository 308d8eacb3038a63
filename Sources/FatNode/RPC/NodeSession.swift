import FatCodec
import Synchronization

/// One client connection of the node face. Everything the server sends on it (answers and
/// subscription notifications) goes through `outgoing`, in order, so an answer that opens a
/// subscription always precedes its first notification. The session also remembers which
/// commands it submitted as extrinsics: their blocks are disclosed to it in full.
/// **Thread-safe.**
public final class NodeSession: Sendable {
    /// False for plain HTTP requests, which cannot carry subscriptions.
    public let canSubscribe: Bool
    public let outgoing: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    private struct State {
        var nextId: UInt64 = 1
        var subscriptions: Set<String> = []
        var submitted: Set<UInt64> = []
        var closed = false
        /// What the session's subscriptions run (until they end or the session closes).
        var work: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// At most this many subscriptions per connection; more are refused.
    static let maxSubscriptions = 1024

    public init(canSubscribe: Bool) {
        self.canSubscribe = canSubscribe
        (outgoing, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
    }

    func send(_ value: JSONValue) {
        continuation.yield(value.serialized())
    }

    /// Ends the session: subscriptions stop and nothing more is sent.
    public func close() {
        let work = state.withLock { state -> [Task<Void, Never>] in
            state.closed = true
            defer { state.work = [] }
            return state.work
        }
        for task in work { task.cancel() }
        continuation.finish()
    }

    /// Runs a subscription's work beside the session's requests, until it ends or the session closes.
    func spawn(_ body: @escaping @Sendable () async -> Void) {
        let task = Task { await body() }
        let closed = state.withLock { state -> Bool in
            state.work.removeAll { $0.isCancelled }
            if !state.closed { state.work.append(task) }
            return state.closed
        }
        if closed { task.cancel() }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Opens a subscription and answers its id (a string, as nodes give it).
    func subscribe() throws -> String {
        guard canSubscribe else {
            throw RPCError(RPCError.methodNotFound, "Method not found", data: "subscriptions need a WebSocket connection (ws://)")
        }
        return try state.withLock { state in
            guard state.subscriptions.count < Self.maxSubscriptions else {
                throw RPCError(RPCError.internalError, "Too many subscriptions on this connection (at most \(Self.maxSubscriptions))")
            }
            let id = String(state.nextId, radix: 16)
            state.nextId += 1
            state.subscriptions.insert(id)
            return id
        }
    }

    /// Ends a subscription; false when there was none with that id.
    func unsubscribe(_ id: String) -> Bool { state.withLock { $0.subscriptions.remove(id) != nil } }

    func isSubscribed(_ id: String) -> Bool { state.withLock { !$0.closed && $0.subscriptions.contains(id) } }

    func notify(_ method: String, subscription: String, result: JSONValue) {
        guard isSubscribed(subscription) else { return }
        send(RPCRequest.notification(method: method, subscription: subscription, result: result))
    }

    func submitted(_ seq: UInt64) { state.withLock { _ = $0.submitted.insert(seq) } }

    func didSubmit(_ seq: UInt64) -> Bool { state.withLock { $0.submitted.contains(seq) } }
}
