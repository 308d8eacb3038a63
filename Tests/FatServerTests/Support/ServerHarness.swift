import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer
import FatTesting
import FatWire
import Foundation
import Synchronization
import Testing

/// A host behind the HTTP API, as a test reaches it: through `client` (an `APIClient`) or `raw`
/// requests. `TestServer` serves it on a loopback socket; `RouteServer` drives the routes in this
/// process without one.
protocol APIHarness: Sendable {
    var host: FatHost { get }
    var client: APIClient { get }
}

/// The host of a harness: network authority, with `operators` (by default key 1, the account
/// tests deploy native contracts as), over a fresh data directory.
func harnessHost(_ directory: String, capabilities: CapabilityConfiguration, operators: [Ed25519SigningKey]?, limits: HostLimits) throws -> FatHost {
    TemporaryDirectories.register(directory)
    let operators = try operators ?? [key(1)]
    return try FatHost(
        dataDirectory: directory, capabilities: capabilities,
        authority: .network(operators: Set(operators.map { AccountId($0.publicKey)! })), limits: limits)
}

/// A `fat serve` server in this process, over a fresh data directory, on a free loopback port:
/// for what needs a socket (TLS, event streams, concurrency, a client's own transport).
final class TestServer: APIHarness {
    let directory: String
    let host: FatHost
    let server: APIServer
    let port: Int
    let client: APIClient
    private let task: Task<Void, Error>

    /// A server as `fat serve` runs one: network authority, with `operators` (by default key 1,
    /// the account tests deploy native contracts as).
    init(
        configuration: ServerConfiguration = ServerConfiguration(), capabilities: CapabilityConfiguration = CapabilityConfiguration(),
        operators: [Ed25519SigningKey]? = nil, limits: HostLimits = HostLimits()
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fat-serve-\(UUID().uuidString)").path
        host = try harnessHost(directory, capabilities: capabilities, operators: operators, limits: limits)
        var configuration = configuration
        configuration.port = 0
        let server = APIServer(host: host, configuration: configuration)
        self.server = server
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run(handleSignals: false) { continuation.yield($0) }
        }
        self.task = task
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            host.close()
            TemporaryDirectories.remove(directory)
            try await task.value
            throw FatError(.internalError, "the server stopped before listening")
        }
        self.port = port
        client = try APIClient(url: "http://127.0.0.1:\(port)")
    }

    /// Stops the server gracefully, closes the host and removes the data directory.
    func stop() async {
        await server.stop()
        _ = try? await task.value
        host.close()
        TemporaryDirectories.remove(directory)
    }
}

extension APIHarness {
    var genesis: [UInt8] { host.genesis }

    /// Deploys a native contract built by this package through the API, signed by `key` (an
    /// operator: native code is operator code). The server never loads native code it is sent
    /// before the command, so the constructor input is encoded here, from the shared object's
    /// own descriptor, as `fat --remote deploy` does.
    func deploy(_ name: String, constructor: String? = nil, args: JSONValue = .array([]), as key: Ed25519SigningKey) async throws -> String {
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Products.library(name))))
        let input = try constructorInput(name, constructor: constructor, args: args)
        let staged = try await blocking { try self.client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(key)) }
        let hash = staged.codeHash.bytes
        var command = SignedCommand(
            genesis: genesis, caller: key.publicKey, action: .deploy(codeHash: hash, metadataHash: nil, input: input, salt: SecureRandom.bytes(8)),
            nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
        command.sign(with: key)
        let signed = command
        let answer = try await blocking { try self.client.submit(signed) }
        guard case let .deployed(deployed) = answer else { throw FatError(.internalError, "deploy answered \(answer.json.serialized())") }
        return deployed.address.description
    }

    /// A signed call of `message` with JSON `args`; answers the server's JSON.
    func call(
        _ contract: String, _ message: String, args: JSONValue = .array([]), as key: Ed25519SigningKey,
        nonce: UInt64 = Nonces.next()
    ) async throws -> JSONValue {
        let input = try await blocking { try self.client.encode(contract, message: message, args: args) }
        var command = SignedCommand(
            genesis: genesis, caller: key.publicKey, action: .call(contract: [UInt8](hex: contract)!, input: input),
            nonce: nonce, expiresAtMs: FatHost.nowMs + 60_000)
        command.sign(with: key)
        let signed = command
        return try await blocking { try self.client.submit(signed).json }
    }

    /// A query of `message`, signed by `key` when there is one.
    func query(_ contract: String, _ message: String, args: JSONValue = .array([]), as key: Ed25519SigningKey? = nil) async throws -> JSONValue {
        let input = try await blocking { try self.client.encode(contract, message: message, args: args) }
        let query = SignedQuery(genesis: genesis, contract: [UInt8](hex: contract)!, input: input, expiresAtMs: FatHost.nowMs + 30_000)
        return try await blocking { try self.client.query(query, signedBy: key.map(ClientKey.ed25519)).json }
    }

    /// A raw request: method, path, body bytes; answers the status, headers and parsed JSON body.
    func raw(_ method: String, _ path: String, body: [UInt8] = [], headers: [(String, String)] = []) async throws
        -> (status: Int, headers: [(String, String)], json: JSONValue?)
    {
        let response = try await blocking {
            try self.client.send(HTTPRequest(method: method, path: path, headers: headers + [("Content-Type", "application/json")], body: body))
        }
        return (response.status, response.headers, try? JSONValue.parse(response.body))
    }

    /// The number of commands in the log.
    var logCount: Int { get throws { try host.logEntries().count } }

}

/// The constructor input of a native contract built by this package, encoded from its own
/// descriptor (loaded in the test process), as `fat --remote deploy` does.
func constructorInput(_ name: String, constructor: String? = nil, args: JSONValue) throws -> [UInt8] {
    let metadata = try #require(try NativeEngine.inspect(path: try Products.library(name)).intrinsicMetadata)
    let messages = Messages(metadata: metadata, resolveAccount: { AccountId(hex: $0)?.bytes })
    let spec = try constructor.map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
    return try spec.map { try messages.input(for: $0, arguments: args) } ?? []
}

/// Data directories of test servers. A test stops its server from a task that may still be
/// running when the test process exits, so whatever is left is removed at exit.
enum TemporaryDirectories {
    private static let paths: Mutex<Set<String>> = {
        atexit {
            for path in TemporaryDirectories.paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
        return Mutex([])
    }()

    static func register(_ path: String) { _ = paths.withLock { $0.insert(path) } }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        _ = paths.withLock { $0.remove(path) }
    }
}

/// Nonces for test commands: increasing across the whole test process.
enum Nonces {
    private static let counter = Mutex<UInt64>(UInt64(Date().timeIntervalSince1970 * 1_000_000))
    static func next() -> UInt64 {
        counter.withLock {
            $0 += 1
            return $0
        }
    }
}

/// Runs blocking client work on its own thread, so it never holds one of the few threads the
/// server's tasks run on.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// The status code and error code of a client error from the server.
func serverError(_ error: Error) -> (status: Int, code: String)? {
    if case let ClientError.server(status, code, _) = error { return (status, code) }
    return nil
}

func key(_ seed: UInt8) throws -> Ed25519SigningKey { try Ed25519SigningKey(seed: [UInt8](repeating: seed, count: 32)) }
