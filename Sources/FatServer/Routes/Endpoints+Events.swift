import FatAPI
import FatCodec
import FatRuntime
import FatWire
import Hummingbird
import NIOCore
import ServiceLifecycle

extension Endpoints {
    /// `GET /v1/events?from=SEQ`: Server-Sent Events, one per command that emitted events, with
    /// `id:` its sequence number. A client that reconnects with `Last-Event-ID: N` gets every
    /// command after N, so it misses nothing. Once the stream has caught up with the log it sends
    /// one `caught_up` event; then it waits for new commits (a comment every 15 s keeps the
    /// connection alive). Without `from` or `Last-Event-ID` it starts after the last command.
    func events(_ request: Request) throws -> Response {
        var cursor: UInt64
        if let last = request.headers[.lastEventID] {
            guard let seq = UInt64(last), seq < UInt64.max else {
                throw APIError(.badRequest, .malformedRequest, "Last-Event-ID must be a sequence number below 2^64 - 1, not `\(last.prefix(40))`")
            }
            cursor = seq + 1
        } else if let from = try QueryParameter.unsigned(request.uri.queryParameters["from"], name: "from") {
            cursor = max(from, 1)
        } else {
            cursor = host.snapshot.seq + 1
        }
        metrics.add("fat_sse_streams_total")
        let start = cursor
        let body = ResponseBody { writer in
            var cursor = start
            var caughtUp = false
            while !Task.isCancelled, !Task.isShuttingDownGracefully, !self.signal.isClosed {
                let from = cursor
                let receipts = try await self.queryPool.offload { try self.host.receipts(from: from, limit: 256) }
                var chunk = ""
                for receipt in receipts {
                    cursor = receipt.seq + 1
                    guard !receipt.events.isEmpty else { continue }
                    chunk += "id: \(receipt.seq)\nevent: receipt\ndata: \(self.renderer.eventRecord(receipt).json.serialized())\n\n"
                }
                // Fewer than a page: the stream has read everything committed so far.
                if receipts.count < 256, !caughtUp {
                    caughtUp = true
                    chunk += "event: caught_up\ndata: {\"seq\":\(cursor - 1)}\n\n"
                }
                if !chunk.isEmpty { try await writer.write(ByteBuffer(string: chunk)) }
                if receipts.count == 256 { continue }
                let before = cursor - 1
                await self.signal.wait(beyond: before, timeout: .seconds(15))
                if self.host.snapshot.seq <= before, !self.signal.isClosed, !Task.isShuttingDownGracefully {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
