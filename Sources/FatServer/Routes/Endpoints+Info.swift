import FatCodec
import FatRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

extension Endpoints {
    /// The version of this HTTP API; a change that breaks clients gets a new path prefix.
    static let apiVersion = "1"

    /// `GET /v1/info`: who this host is and what it speaks.
    func info() -> Response {
        let world = host.snapshot
        return Self.json(JSON.object([
            ("ok", .bool(true)), ("software", .string("FatContract")), ("api_version", .string(Self.apiVersion)),
            ("abi_version", .string(FatHost.nativeABIVersion)),
            ("code_kinds", .array([.string("native"), .string("wasm")])),
            ("signature_schemes", .array([.string("ed25519"), .string("sr25519")])),
            ("seq", JSON.number(world.seq)), ("state_root", JSON.hex(world.root)),
            ("contracts", JSON.number(world.contracts.count)),
            ("limits", JSON.object([
                ("max_body_bytes", JSON.number(configuration.maxBodyBytes)),
                ("max_pending_commands", JSON.number(configuration.maxPendingCommands)),
                ("max_concurrent_queries", JSON.number(configuration.maxConcurrentQueries)),
                ("query_threads", JSON.number(configuration.queryThreads)),
                ("query_expiry_window_ms", JSON.number(configuration.queryExpiryWindowMs)),
                ("query_timeout_ms", JSON.number(configuration.queryTimeoutMs)),
            ])),
            ("unsigned_queries", .bool(!configuration.refuseUnsignedQueries)),
            ("tls", .bool(configuration.tls != nil)),
            ("uptime_s", JSON.number(Int(Date().timeIntervalSince(started)))),
        ]))
    }

    /// `GET /v1/accounts/{account}/nonce`: the last nonce logged for an account.
    func nonce(_ context: BasicRequestContext) throws -> Response {
        let account = try address(context, "account")
        return Self.json(JSON.object([("ok", .bool(true)), ("account", .string(account.hex)), ("nonce", JSON.number(host.lastNonce(of: account)))]))
    }

    /// `GET /v1/log?from=SEQ&limit=N`: the command log with receipts, as `fat log` prints it.
    func log(_ request: Request) throws -> Response {
        let parameters = request.uri.queryParameters
        let from = try Self.unsignedParameter(parameters, "from") ?? 1
        let limit = Int(min(try Self.unsignedParameter(parameters, "limit") ?? 1000, 10_000))
        return Self.json(try renderer.log(from: from, limit: limit).json)
    }

    static func unsignedParameter(_ parameters: FlatDictionary<Substring, Substring>, _ name: String) throws -> UInt64? {
        guard let text = parameters[Substring(name)] else { return nil }
        guard let value = UInt64(text) else { throw APIError(.badRequest, .malformedRequest, "query parameter `\(name)` must be an unsigned integer, not `\(text)`") }
        return value
    }
}
