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
            let host = host
            if let signer = try RequestSigner(fields) {
                if signer.expiresAtMs > FatHost.nowMs, signer.expiresAtMs - FatHost.nowMs > configuration.queryExpiryWindowMs {
                    throw FatError(.expired, "`expires_at_ms` is more than \(configuration.queryExpiryWindowMs) ms ahead; this server bounds how long a signed query stays valid")
                }
                result = try await queryPool.run {
                    try host.query(contract, input: input, signedBy: signer.caller, signature: signer.signature, expiresAtMs: signer.expiresAtMs,
                                   gasLimit: gas, timeout: timeout)
                }
            } else {
                if configuration.refuseUnsignedQueries {
                    throw APIError(.unauthorized, .signatureRequired, "this server answers signed queries only: add caller, expires_at_ms and signature")
                }
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
