import FatAPI
import FatRuntime
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// `fat serve`: the HTTP face of a host (Hummingbird 2). JSON under `/v1`, Server-Sent Events,
/// Prometheus metrics; the API is described in `openapi.json` beside this file.
///
/// - Commands are signed, carry a nonce and an expiry, and are answered once durable and applied.
/// - Queries run at once on the latest snapshot, on a pool of their own threads: they never wait
///   behind commands, which the host's writer thread group-commits, and a slow one never holds
///   a thread the HTTP server needs.
/// - Each kind has a bound on requests in flight; past it the answer is 503 with `Retry-After`.
/// - On SIGTERM or SIGINT the server stops accepting connections, ends event streams, lets
///   in-flight requests finish, then the host finishes the commands already queued.
public final class APIServer: Sendable {
    public let host: FatHost
    public let configuration: ServerConfiguration
    public let metrics = ServerMetrics()
    let endpoints: Endpoints
    private let boundPort = Mutex<Int?>(nil)
    private let group = Mutex<ServiceGroup?>(nil)

    public init(host: FatHost, configuration: ServerConfiguration = ServerConfiguration()) {
        self.host = host
        self.configuration = configuration
        endpoints = Endpoints(host: host, configuration: configuration, metrics: metrics)
    }

    /// The port the server listens on, once it runs (useful with port 0).
    public var port: Int? { boundPort.withLock { $0 } }

    /// Every route of the API, with its JSON answer for unknown paths: what the server serves,
    /// and what route tests drive in-process (HummingbirdTesting's router framework).
    package func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONNotFoundMiddleware())
        endpoints.register(on: router)
        return router
    }

    /// Stops what the routes keep running (the query threads, the event streams' signal): the
    /// server does when it stops; route tests, which never run it, when they end.
    package func closeRoutes() {
        endpoints.signal.close()
        endpoints.queryPool.stop()
    }

    /// Builds the application: the router with every route, and where it listens.
    func application(onRunning: @escaping @Sendable (Int) -> Void) throws -> some ApplicationProtocol {
        let logger = ServerLogHandler.logger("fat.serve")
        return Application(
            router: router(),
            server: try serverBuilder(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fat"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// HTTP/1.1 with the WebSocket upgrade at `/` (the Substrate JSON-RPC face), over TLS when
    /// the configuration names a certificate and key. Unreadable or mismatched files are an
    /// error naming the file, before anything listens.
    func serverBuilder() throws -> HTTPServerBuilder {
        let endpoints = endpoints
        let http = HTTPServerBuilder.http1WebSocketUpgrade(
            configuration: .init(ws: .init(maxFrameSize: configuration.maxBodyBytes, autoPing: .enabled(timePeriod: .seconds(30))))
        ) { request, _, _ in
            guard request.path == "/" else { return .dontUpgrade }
            return .upgrade([:]) { inbound, outbound, _ in try await endpoints.substrateSocket(inbound: inbound, outbound: outbound) }
        }
        guard let tls = configuration.tls else { return http }
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainPath) } catch {
            throw FatError(.badArguments, "cannot read the TLS certificate chain \(tls.certificateChainPath): \(error)")
        }
        guard let leaf = chain.first else { throw FatError(.badArguments, "\(tls.certificateChainPath) holds no PEM certificate") }
        // A certificate no client would accept is refused now, not at every handshake.
        let now = time(nil)
        if now > leaf.notValidAfter {
            throw FatError(.badArguments, "the TLS certificate \(tls.certificateChainPath) expired on \(Self.utc(leaf.notValidAfter))")
        }
        if now < leaf.notValidBefore {
            throw FatError(.badArguments, "the TLS certificate \(tls.certificateChainPath) is not valid before \(Self.utc(leaf.notValidBefore))")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem) } catch {
            throw FatError(.badArguments, "cannot read the TLS private key \(tls.privateKeyPath): \(error)")
        }
        let settings = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        do {
            _ = try NIOSSLContext(configuration: settings)  // checks that the key belongs to the certificate, now
            return try .tls(http, tlsConfiguration: settings)
        } catch {
            throw FatError(
                .badArguments, "the TLS certificate \(tls.certificateChainPath) and key \(tls.privateKeyPath) cannot be used together: \(error)")
        }
    }

    private static func utc(_ seconds: time_t) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
    }

    /// Serves until SIGTERM or SIGINT (or `stop()`), then shuts down gracefully. `onRunning`
    /// gets the bound port. The host stays open: close it after this returns.
    public func run(handleSignals: Bool = true, onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        guard !host.authority.isLocal else {
            throw FatError(
                .notAllowed,
                "a host opened with local authority (every caller its operator) cannot be served: open it with Authority.network(operators:)")
        }
        let app = try application { [self] port in
            self.boundPort.withLock { $0 = port }
            onRunning(port)
        }
        let logger = ServerLogHandler.logger("fat.serve")
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: StreamCloser(signal: endpoints.signal))],
                gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        group.withLock { $0 = serviceGroup }
        defer { closeRoutes() }
        try await serviceGroup.run()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func stop() async {
        await group.withLock { $0 }?.triggerGracefulShutdown()
    }
}

/// Ends the event streams when a graceful shutdown starts, before the HTTP server waits for
/// in-flight requests (an event stream would otherwise never finish).
struct StreamCloser: Service {
    let signal: CommitSignal

    func run() async throws {
        try? await gracefulShutdown()
        signal.close()
    }
}

/// Answers unknown paths and methods with a JSON error body, like every other error.
struct JSONNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError where error.status == .notFound || error.status == .methodNotAllowed {
            let api = APIError(error.status, .notFound, "no route \(request.method) \(request.uri.path); see GET /v1/info and the OpenAPI document")
            return Endpoints.json(api.json, status: api.status)
        }
    }
}
