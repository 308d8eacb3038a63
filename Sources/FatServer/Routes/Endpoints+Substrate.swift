import FatNode
import FatRuntime
import Hummingbird
import HummingbirdWebSocket
import NIOCore

extension QueryPool: BlockingExecutor {}

extension Endpoints {
    /// Requests one WebSocket connection may have running at once.
    static let maxInFlight = 64
}

extension Endpoints {
    /// `POST /`: JSON-RPC over HTTP, as a node serves it on its RPC port: one request or a batch,
    /// answered in the body (subscriptions need the WebSocket at `/`).
    func substrateRPC(_ request: Request) async -> Response {
        await answer { try await self.answerRPC(request) }
    }

    private func answerRPC(_ request: Request) async throws -> Response {
        let body = try await body(request)
        metrics.add("fat_rpc_requests_total", "transport=\"http\"")
        let session = NodeSession(canSubscribe: false)
        await handle(body, session: session)
        session.close()
        var answer = ""
        for await text in session.outgoing {
            answer = text
            break
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
    }

    /// One JSON-RPC message, admitted as a query is: past `--max-queries` requests in flight on
    /// the server, every request in it is answered busy (-32005), as /v1 answers 503.
    private func handle(_ body: [UInt8], session: NodeSession) async {
        guard queryGate.enter() else {
            metrics.add("fat_rpc_busy_total")
            node.refuse(body, session: session, code: -32005, message: "Server is busy: \(queryGate.limit) requests are already running; retry later")
            return
        }
        defer { queryGate.leave() }
        await node.receive(body, session: session)
    }

    /// The WebSocket at `/`: each text (or binary) message is a request or a batch, handled
    /// concurrently with the connection's others (at most `maxInFlight` at once: the connection
    /// is read no further until one ends); answers and notifications go out in the order they are
    /// made. Messages are taken up to the body limit.
    func substrateSocket(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        metrics.add("fat_rpc_connections_total")
        let session = NodeSession(canSubscribe: true)
        let limit = configuration.maxBodyBytes
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in session.outgoing { try await outbound.write(.text(text)) }
            }
            await withTaskGroup(of: Void.self) { requests in
                var inFlight = 0
                do {
                    for try await message in inbound.messages(maxSize: limit) {
                        if inFlight >= Self.maxInFlight {
                            await requests.next()
                            inFlight -= 1
                        }
                        let bytes: [UInt8]
                        switch message {
                        case let .text(text): bytes = Array(text.utf8)
                        case let .binary(buffer): bytes = Array(buffer.readableBytesView)
                        }
                        self.metrics.add("fat_rpc_requests_total", "transport=\"ws\"")
                        inFlight += 1
                        requests.addTask { await self.handle(bytes, session: session) }
                    }
                } catch {
                    // A message past the limit or a broken frame ends the connection (the client sees a close).
                }
                requests.cancelAll()
            }
            session.close()
            try await group.waitForAll()
        }
    }
}
