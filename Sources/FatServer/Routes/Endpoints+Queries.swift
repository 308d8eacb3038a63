import FatAPI
import FatCodec
import FatRuntime
import FatWire
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
            let query = try QueryRequest(try await body(request))
            let contract = query.contract
            let input = query.input
            let gas = query.gasLimit ?? FatHost.defaultQueryGas
            let timeout = Duration.milliseconds(Int64(min(query.timeoutMs ?? configuration.queryTimeoutMs, configuration.queryTimeoutMs)))
            if let minSeq = query.minSeq { try await waitApplied(minSeq, within: timeout) }
            let result: QueryResult
            let host = host
            if let signer = query.signer {
                if signer.expiresAtMs > FatHost.nowMs, signer.expiresAtMs - FatHost.nowMs > configuration.queryExpiryWindowMs {
                    throw FatError(
                        .expired,
                        "`expires_at_ms` is more than \(configuration.queryExpiryWindowMs) ms ahead; this server bounds how long a signed query stays valid"
                    )
                }
                result = try await queryPool.run {
                    try host.query(
                        contract, input: input, signedBy: signer.caller, signature: signer.signature, expiresAtMs: signer.expiresAtMs,
                        gasLimit: gas, timeout: timeout)
                }
            } else {
                if configuration.refuseUnsignedQueries {
                    throw APIError(
                        .unauthorized, .signatureRequired, "this server answers signed queries only: add caller, expires_at_ms and signature")
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

    /// Returns once this host has applied command `seq` (at once if it has), or fails with
    /// `not_yet_applied` after `timeout`.
    func waitApplied(_ seq: UInt64, within timeout: Duration) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while host.snapshot.seq < seq {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, !signal.isClosed else {
                throw FatError(.notYetApplied, "this host has applied commands up to #\(host.snapshot.seq), not yet #\(seq) (`min_seq`); retry")
            }
            await signal.wait(beyond: seq - 1, timeout: left)
        }
    }
}
