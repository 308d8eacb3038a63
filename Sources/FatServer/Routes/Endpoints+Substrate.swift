import FatNode
import FatRuntime
import Hummingbird
import HummingbirdWebSocket
import NIOCore

extension QueryPool: BlockingExecutor {}

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
        await node.receive(body, session: session)
        session.close()
        var answer = ""
        for await text in session.outgoing {
            answer = text
            break
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
    }

    /// The WebSocket at `/`: each text (or binary) message is a request or a batch, handled
    /// concurrently with the connection's others; answers and notifications go out in the order
    /// they are made. Messages are taken up to the body limit.
    func substrateSocket(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        metrics.add("fat_rpc_connections_total")
        let session = NodeSession(canSubscribe: true)
        let node = node
        let limit = configuration.maxBodyBytes
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in session.outgoing { try await outbound.write(.text(text)) }
            }
            await withTaskGroup(of: Void.self) { requests in
                do {
                    for try await message in inbound.messages(maxSize: limit) {
                        let bytes: [UInt8]
                        switch message {
                        case let .text(text): bytes = Array(text.utf8)
                        case let .binary(buffer): bytes = Array(buffer.readableBytesView)
                        }
                        self.metrics.add("fat_rpc_requests_total", "transport=\"ws\"")
                        requests.addTask { await node.receive(bytes, session: session) }
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
