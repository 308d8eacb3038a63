import FatClient
import FatCrypto
import FatRuntime
import FatServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// The API's routes over a fresh host, driven in this process by HummingbirdTesting's router
/// framework: no socket, no listener. For tests of what the routes answer; what needs a socket
/// (TLS, event streams, concurrency limits, the client's own transport) uses `TestServer`.
final class RouteServer: APIHarness {
    let host: FatHost
    let client: APIClient

    private init(host: FatHost, client: APIClient) {
        self.host = host
        self.client = client
    }

    /// Runs `body` with the routes of a server configured as given; closes everything after.
    static func with<T: Sendable>(
        configuration: ServerConfiguration = ServerConfiguration(),
        capabilities: CapabilityConfiguration = CapabilityConfiguration(),
        operators: [Ed25519SigningKey]? = nil, limits: HostLimits = HostLimits(),
        _ body: @Sendable (RouteServer) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fat-routes-\(UUID().uuidString)").path
        let host = try harnessHost(directory, capabilities: capabilities, operators: operators, limits: limits)
        let server = APIServer(host: host, configuration: configuration)
        defer {
            server.closeRoutes()
            host.close()
            TemporaryDirectories.remove(directory)
        }
        return try await Application(router: server.router()).test(.router) { routes in
            try await body(RouteServer(host: host, client: APIClient(transport: RouterTransport(routes))))
        }
    }
}

/// An `APIClient` transport into HummingbirdTesting's client: each request is answered by the
/// router on the concurrency pool while the calling thread waits. Call it from a thread of its
/// own (tests do, through `blocking`), never from one of the pool's.
final class RouterTransport: HTTPTransport, @unchecked Sendable {
    private let routes: any TestClientProtocol

    init(_ routes: any TestClientProtocol) { self.routes = routes }

    func send(_ request: FatClient.HTTPRequest) throws -> FatClient.HTTPResponse {
        guard let method = HTTPTypes.HTTPRequest.Method(request.method) else { throw ClientError.transport("no method \(request.method)") }
        var fields = HTTPFields()
        for (name, value) in request.headers {
            guard let field = HTTPField.Name(name) else { throw ClientError.transport("bad header name \(name)") }
            fields.append(HTTPField(name: field, value: value))
        }
        let result = Mutex<Result<FatClient.HTTPResponse, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let routes = routes
        let body = request.body.isEmpty && request.method == "GET" ? nil : ByteBuffer(bytes: request.body)
        Task {
            let outcome = await Result(catching: {
                try await routes.execute(uri: request.path, method: method, headers: fields, body: body) { response in
                    FatClient.HTTPResponse(
                        status: response.status.code, headers: response.headers.map { ($0.name.canonicalName, $0.value) },
                        body: Array(response.body.readableBytesView))
                }
            })
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
