import FatCodec
import FatRuntime
import Hummingbird

extension Endpoints {
    /// `POST /v1/queries`: runs a message on the latest committed snapshot, at once, on the query
    /// pool, in parallel with other queries and with commands. Signed, the contract sees the caller; unsigned, it
    /// sees none (and the server may refuse it).
    func query(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        guard queryGate.enter() else {
            metrics.add("fat_queries_total", "outcome=\"busy\"")
            throw busy("queries", limit: queryGate.limit)
        }
        defer { queryGate.leave() }
        do {
            let fields = try RequestFields(try await body(request),
                                           allowed: ["contract", "input", "caller", "scheme", "signature", "expires_at_ms", "gas_limit", "timeout_ms"])
            let contract = try fields.requiredAccount("contract")
            let input = try fields.requiredHex("input")
            guard input.count >= 4 else { throw FatError(.badArguments, "`input` starts with a 4-byte selector") }
            let gas = try fields.unsigned("gas_limit") ?? FatHost.defaultQueryGas
            let timeout = Duration.milliseconds(Int64(min(try fields.unsigned("timeout_ms") ?? configuration.queryTimeoutMs, configuration.queryTimeoutMs)))
            let result: QueryResult
            if let caller = try fields.account("caller") {
                let schemeName = try fields.string("scheme") ?? "ed25519"
                guard let scheme = Signature.Scheme(name: schemeName) else {
                    throw APIError(.badRequest, .unsupportedScheme, "signature scheme `\(schemeName)` is unknown; use ed25519 or sr25519")
                }
                let expiry: UInt64 = try fields.requiredUnsigned("expires_at_ms")
                if expiry > FatHost.nowMs + configuration.queryExpiryWindowMs {
                    throw FatError(.expired, "`expires_at_ms` is more than \(configuration.queryExpiryWindowMs) ms ahead; this server bounds how long a signed query stays valid")
                }
                let signature = Signature(scheme: scheme, bytes: try fields.requiredHex("signature"))
                let host = host
                result = try await queryPool.run {
                    try host.query(contract, input: input, signedBy: caller, signature: signature, expiresAtMs: expiry,
                                   gasLimit: gas, timeout: timeout)
                }
            } else {
                if fields["signature"] != nil { throw APIError(.badRequest, .malformedRequest, "a signed query names its `caller`") }
                if configuration.refuseUnsignedQueries {
                    throw APIError(.unauthorized, .signatureRequired, "this server answers signed queries only: add caller, expires_at_ms and signature")
                }
                let host = host
                result = try await queryPool.run { try host.query(contract, input: input, gasLimit: gas, timeout: timeout) }
            }
            let rendered = try renderer.queried(result, contract: contract, input: input)
            metrics.queryAnswered(outcome: "success", gas: result.gasUsed, duration: ContinuousClock.now - start)
            return Self.json(rendered.json)
        } catch {
            metrics.add("fat_queries_total", "outcome=\"refused\"")
            throw error
        }
    }
}
