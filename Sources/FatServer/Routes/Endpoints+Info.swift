import FatAPI
import FatCodec
import FatRuntime
import FatWire
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
        let limits = HostInfo.Limits(
            maxBodyBytes: configuration.maxBodyBytes, maxPendingCommands: configuration.maxPendingCommands,
            maxConcurrentQueries: configuration.maxConcurrentQueries, queryThreads: configuration.queryThreads,
            queryExpiryWindowMs: configuration.queryExpiryWindowMs, queryTimeoutMs: configuration.queryTimeoutMs,
            maxCommandGas: host.limits.maxCommandGas, maxQueryGas: host.limits.maxQueryGas,
            maxStagedUploads: configuration.maxUploads, maxStagedBytes: configuration.maxStagedBytes)
        return Self.json(
            HostInfo(
                software: "FatContract", apiVersion: Self.apiVersion, abiVersion: FatHost.nativeABIVersion, genesis: Hex(host.genesis),
                codeKinds: CodeKind.allCases.map(\.rawValue), signatureSchemes: ["ed25519", "sr25519"], seq: world.seq, stateRoot: Hex(world.root),
                contracts: Int(clamping: world.contractCount), limits: limits, operators: host.authority.operators.sorted().map { Hex($0.bytes) },
                unsignedQueries: !configuration.refuseUnsignedQueries, tls: configuration.tls != nil,
                uptimeS: Int(Date().timeIntervalSince(started)),
                cluster: host.cluster.map {
                    HostInfo.Cluster(
                        etcdEndpoints: $0.endpoints, prefix: $0.prefix, appliedRevision: $0.appliedRevision, seenRevision: $0.seenRevision,
                        lagBatches: $0.lagBatches, problem: $0.problem)
                }
            ).json)
    }

    /// `GET /v1/accounts/{account}/nonce`: the last nonce logged for an account.
    func nonce(_ context: BasicRequestContext) throws -> Response {
        let account = try address(context, "account")
        return Self.json(NonceAnswer(account: Hex(account.bytes), nonce: try host.lastNonce(of: account)).json)
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
            try signer.verify(
                SigningPayload.read(genesis: host.genesis, target: target, expiresAtMs: signer.expiresAtMs),
                window: configuration.queryExpiryWindowMs)
            reader = signer.caller
        }
        return Self.json(try renderer.log(from: from, limit: limit, reader: reader).json)
    }
}
