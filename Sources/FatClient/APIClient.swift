import FatCodec
import FatCrypto
import FatWire
import Foundation

/// The client of a `fat serve` host: one call per endpoint of the HTTP API, answering the typed
/// values of `FatWire` (the same the server renders).
///
/// Requests go through a `HTTPTransport`: by default a `SocketTransport` (HTTP/1.1 keep-alive
/// over TCP). Every answer with a status of 400 or above becomes
/// `ClientError.server(status:code:message:)` carrying the server's JSON error.
/// **Thread-safe.**
public final class APIClient: @unchecked Sendable {
    public let transport: any HTTPTransport
    private let lock = NSLock()
    private var cachedGenesis: [UInt8]?

    /// `url` is `http://HOST:PORT` (a trailing `/` is allowed).
    public convenience init(url: String) throws { self.init(transport: try SocketTransport(url: url)) }

    public init(transport: any HTTPTransport) { self.transport = transport }

    // MARK: Endpoints

    /// `GET /v1/info`: host identity, ABI and API versions, the last sequence number.
    public func info() throws -> HostInfo { try decode(HostInfo.self, try call("GET", "/v1/info"), "GET /v1/info") }

    /// The host's genesis id (from `GET /v1/info`, asked once): what every signature covers.
    public func genesis() throws -> [UInt8] {
        lock.lock()
        let known = cachedGenesis
        lock.unlock()
        if let known { return known }
        let genesis = try info().genesis.bytes
        guard genesis.count == 32 else { throw ClientError.badResponse("GET /v1/info names no 32-byte genesis") }
        lock.lock()
        cachedGenesis = genesis
        lock.unlock()
        return genesis
    }

    /// `POST /v1/code`: stages code so an upload or deploy can name it by its hashes; with
    /// `constructor`/`args` the answer also carries the encoded constructor input (Wasm only).
    /// Native code must be signed by an operator (`signedBy`), and is never loaded by the server.
    public func upload(
        kind: String, code: [UInt8], metadata: [UInt8], constructor: String? = nil, args: JSONValue? = nil,
        signedBy key: ClientKey? = nil, expiresAtMs: UInt64? = nil
    ) throws -> StagedCode {
        var fields: [(String, JSONValue)] = [("kind", .string(kind)), ("code", .hex(code)), ("metadata", .hex(metadata))]
        if let constructor { fields.append(("constructor", .string(constructor))) }
        if let args { fields.append(("args", args)) }
        if let key {
            let expiry = expiresAtMs ?? Self.nowMs + 60_000
            let payload = SigningPayload.stage(
                genesis: try genesis(), native: kind == "native", codeHash: Blake2b.hash256(code),
                metadataHash: metadata.isEmpty ? nil : Blake2b.hash256(metadata), expiresAtMs: expiry)
            fields += key.signatureFields(payload, expiresAtMs: expiry)
        }
        return try decode(StagedCode.self, try call("POST", "/v1/code", body: .object(fields)), "POST /v1/code")
    }

    static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    /// `GET /v1/contracts/{address}`: the contract's messages and types (as `fat inspect`).
    public func contract(_ address: String) throws -> ContractDescription {
        try decode(ContractDescription.self, try call("GET", "/v1/contracts/\(address)"), "GET /v1/contracts/{address}")
    }

    /// `GET /v1/contracts/{address}/ink-metadata`: the contract's description as an ink! metadata document.
    public func inkMetadata(_ address: String) throws -> [UInt8] {
        Array(try call("GET", "/v1/contracts/\(address)/ink-metadata").serialized(pretty: true).utf8)
    }

    /// `POST /v1/contracts/{address}/encode`: a message name and JSON arguments → selector + SCALE input.
    public func encode(_ address: String, message: String, args: JSONValue) throws -> [UInt8] {
        let answer = try call("POST", "/v1/contracts/\(address)/encode", body: .object([("message", .string(message)), ("args", args)]))
        return try decode(EncodedMessage.self, answer, "POST /v1/contracts/{address}/encode").input.bytes
    }

    /// `POST /v1/commands`: answers once the command is durable and applied (its receipt,
    /// rendered); a command logged but reverted or failed answers `.failed`.
    public func submit(_ command: SignedCommand) throws -> CommandAnswer {
        try decode(CommandAnswer.self, try call("POST", "/v1/commands", body: command.json, allowFailure: true), "POST /v1/commands")
    }

    /// `POST /v1/queries`, signed by `key` when there is one (the contract then sees the caller).
    public func query(_ query: SignedQuery, signedBy key: ClientKey? = nil) throws -> QueryAnswer {
        try decode(QueryAnswer.self, try call("POST", "/v1/queries", body: query.json(signedBy: key)), "POST /v1/queries")
    }

    /// `GET /v1/accounts/{account}/nonce`: the last nonce logged for the account (0 if none).
    public func nonce(of account: String) throws -> UInt64 {
        try decode(NonceAnswer.self, try call("GET", "/v1/accounts/\(account)/nonce"), "GET /v1/accounts/{account}/nonce").nonce
    }

    /// `GET /v1/log?from=&limit=`: log entries with their receipts (as `fat log`). Signed by
    /// `key`, the entries of the key's own commands come in full (all of them for an operator);
    /// otherwise only their place in the order.
    public func log(from: UInt64, limit: Int, signedBy key: ClientKey? = nil) throws -> LogPage {
        let path = "/v1/log?from=\(from)&limit=\(limit)"
        var headers: [(String, String)] = []
        if let key {
            headers.append(("Authorization", key.authorization(genesis: try genesis(), target: "GET " + path, expiresAtMs: Self.nowMs + 60_000)))
        }
        return try decode(LogPage.self, try call("GET", path, headers: headers), "GET /v1/log")
    }

    /// `GET /v1/events?from=SEQ`: Server-Sent Events, one per command with events, each with its
    /// sequence number as the event id. `onEvent` returns false to stop. `lastEventId` resumes
    /// after that sequence number, as a reconnecting browser would.
    public func events(from: UInt64? = nil, lastEventId: UInt64? = nil, onEvent: @escaping (ServerSentEvent) throws -> Bool) throws {
        var headers: [(String, String)] = [("Accept", "text/event-stream")]
        if let lastEventId { headers.append(("Last-Event-ID", String(lastEventId))) }
        let path = from.map { "/v1/events?from=\($0)" } ?? "/v1/events"
        guard let socket = transport as? SocketTransport else {
            throw ClientError.transport("an event stream needs a socket: this client's transport is \(type(of: transport))")
        }
        let parser = ParserBox()
        try socket.stream(
            HTTPRequest(method: "GET", path: path, headers: headers),
            onHead: { head in
                if head.status >= 400 {
                    throw ClientError.server(status: head.status, code: "http_\(head.status)", message: "GET \(path) answered \(head.status)")
                }
            },
            onChunk: { bytes in
                for event in try parser.parser.feed(bytes) where try !onEvent(event) { return false }
                return true
            })
    }

    // MARK: Transport

    /// An answer read as the type the endpoint answers; one that does not fit is the server's
    /// fault, named with the endpoint.
    private func decode<T: Decodable>(_ type: T.Type, _ json: JSONValue, _ endpoint: String) throws -> T {
        do { return try JSONValueDecoder().decode(type, from: json) } catch {
            throw ClientError.badResponse("\(endpoint) answered something that is not a \(T.self): \(error)")
        }
    }

    /// Sends a request through the transport and returns the raw response.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse { try transport.send(request) }

    /// Sends a JSON request and parses the JSON answer; an error status becomes `ClientError.server`.
    /// With `allowFailure`, a 200 answer whose `ok` is false (a logged command the contract
    /// reverted) is returned as it is.
    public func call(
        _ method: String, _ path: String, body: JSONValue? = nil, headers extra: [(String, String)] = [],
        allowFailure: Bool = false
    ) throws -> JSONValue {
        var headers: [(String, String)] = [("Accept", "application/json")] + extra
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try send(HTTPRequest(method: method, path: path, headers: headers, body: body.map { Array($0.serialized().utf8) } ?? []))
        let json: JSONValue
        do { json = try JSONValue.parse(response.body) } catch {
            throw ClientError.badResponse("\(method) \(path) answered \(response.status) with a body that is not JSON: \(response.text.prefix(120))")
        }
        if response.status >= 400 {
            let error = json["error"]
            throw ClientError.server(
                status: response.status, code: error?["code"]?.stringValue ?? "http_\(response.status)",
                message: error?["message"]?.stringValue ?? response.text)
        }
        return json
    }

}

private final class ParserBox {
    var parser = ServerSentEventParser()
}
