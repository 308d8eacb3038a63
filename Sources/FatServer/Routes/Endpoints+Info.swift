import FatAPI
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
            ("abi_version", .string(FatHost.nativeABIVersion)), ("genesis", JSON.hex(host.genesis)),
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
                ("max_command_gas", JSON.number(host.limits.maxCommandGas)),
                ("max_query_gas", JSON.number(host.limits.maxQueryGas)),
                ("max_staged_uploads", JSON.number(configuration.maxUploads)),
                ("max_staged_bytes", JSON.number(configuration.maxStagedBytes)),
            ])),
            ("operators", .array(host.authority.operators.sorted().map { .string($0.hex) })),
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

    /// `GET /v1/log?from=SEQ&limit=N`: the command log with receipts, as `fat log` prints it, as
    /// much as the reader may see: signed (`Authorization: Fat …` over `GET /v1/log?…`), a reader
    /// sees its own commands in full and the operator all of them; anyone else sees the order.
    func log(_ request: Request) throws -> Response {
        let parameters = request.uri.queryParameters
        let from = try QueryParameter.unsigned(parameters["from"], name: "from") ?? 1
        let limit = Int(min(try QueryParameter.unsigned(parameters["limit"], name: "limit") ?? 1000, 10_000))
        var reader: AccountId?
        if let signer = try RequestSigner(authorization: request.headers[.authorization]) {
            let target = "GET " + (request.uri.string.isEmpty ? "/v1/log" : request.uri.string)
            try signer.verify(SigningPayload.read(genesis: host.genesis, target: target, expiresAtMs: signer.expiresAtMs),
                              window: configuration.queryExpiryWindowMs)
            reader = signer.caller
        }
        return Self.json(try renderer.log(from: from, limit: limit, reader: reader).json)
    }
}
