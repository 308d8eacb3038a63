import FatAPI
import FatCodec
import FatNode
import FatRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import Synchronization

/// The state every route shares: the host, the limits, the metrics, the admission gates, the
/// uploaded code waiting for a deploy, and the commit signal that wakes event streams.
final class Endpoints: Sendable {
    let host: FatHost
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let renderer: ResultRenderer
    let commandGate: AdmissionGate
    let queryGate: AdmissionGate
    let signal: CommitSignal
    let queryPool: QueryPool
    let staging: StagingArea
    /// The Substrate JSON-RPC face: WebSocket and `POST` at `/`.
    let node: SubstrateNode
    let started = Date()

    init(host: FatHost, configuration: ServerConfiguration, metrics: ServerMetrics) {
        self.host = host
        self.configuration = configuration
        self.metrics = metrics
        renderer = ResultRenderer(host: host)
        commandGate = AdmissionGate(limit: configuration.maxPendingCommands)
        queryGate = AdmissionGate(limit: configuration.maxConcurrentQueries)
        signal = CommitSignal(lastSeq: host.snapshot.seq)
        queryPool = QueryPool(width: configuration.queryThreads)
        staging = StagingArea(
            maxCount: configuration.maxUploads, maxBytes: configuration.maxStagedBytes,
            lifetime: .seconds(Int64(configuration.stagedLifetimeSeconds)))
        node = SubstrateNode(
            host: host, signal: signal, executor: queryPool, dev: configuration.substrateDev, maxRequestBytes: configuration.maxBodyBytes)
        let signal = signal
        host.onCommit { signal.committed($0) }
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Self.json(.object([("ok", .bool(true))])) }
        router.post("/") { request, _ in await self.substrateRPC(request) }
        router.get("/v1/info") { _, _ in self.info() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: self.metrics.render(lastSeq: self.host.snapshot.seq) + ServerMetrics.render(cache: self.host.stateCache)
                            + (self.host.cluster.map(ServerMetrics.render(cluster:)) ?? "")))
            )
        }
        router.post("/v1/code") { request, _ in try await self.answer { try await self.uploadCode(request) } }
        router.get("/v1/contracts/:address") { _, context in
            try await self.answer {
                let account = try self.address(context, "address")
                return try await self.queryPool.offload { try self.contract(account) }
            }
        }
        router.get("/v1/contracts/:address/ink-metadata") { _, context in
            try await self.answer {
                let account = try self.address(context, "address")
                let document = try await self.queryPool.offload { try self.host.inkMetadata(of: account) }
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
            }
        }
        router.post("/v1/contracts/:address/encode") { request, context in try await self.answer { try await self.encode(request, context) } }
        router.get("/v1/accounts/:account/nonce") { _, context in try await self.answer { try self.nonce(context) } }
        router.post("/v1/commands") { request, _ in try await self.answer { try await self.command(request) } }
        router.post("/v1/queries") { request, _ in try await self.answer { try await self.query(request) } }
        router.get("/v1/log") { request, _ in try await self.answer { try await self.queryPool.offload { try self.log(request) } } }
        router.get("/v1/events") { request, _ in try await self.answer { try self.events(request) } }
    }

    /// Runs a route body; an error becomes its status and JSON error body.
    func answer(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch {
            let api = APIError(error)
            metrics.refused(status: Int(api.status.code), code: api.error.code.rawValue)
            var response = Self.json(api.json, status: api.status)
            if let retryAfter = api.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    /// The request body, refused with 413 past the configured size (before reading it when the
    /// request declares its length).
    func body(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError(.contentTooLarge, .bodyTooLarge, "the request body has \(declared) bytes; this server takes at most \(limit)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, .bodyTooLarge, "the request body is larger than this server's limit of \(limit) bytes")
        }
    }

    func address(_ context: BasicRequestContext, _ name: String) throws -> AccountId {
        let text = context.parameters.get(name) ?? ""
        guard let account = AccountId(hex: text) else {
            throw APIError(.badRequest, .malformedRequest, "`\(text)` is not an address (0x followed by 64 hex digits)")
        }
        return account
    }

    func busy(_ what: String, limit: Int) -> APIError {
        APIError(
            .serviceUnavailable, .busy, "\(limit) \(what) are already waiting; retry after \(configuration.retryAfterSeconds) s",
            retryAfter: configuration.retryAfterSeconds)
    }
}

extension HTTPField.Name {
    static let retryAfter = HTTPField.Name("Retry-After")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
