import FatAPI
import FatCodec
import FatRuntime
import FatWire
import Hummingbird

extension Endpoints {
    /// `POST /v1/commands`: a signed deploy or call. Answers once the command is durable and
    /// applied: 200 with the rendered receipt (`"ok": false` when the contract reverted or failed,
    /// which is still logged), or a 4xx naming why it was refused before the log saw it.
    func command(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        guard commandGate.enter() else {
            metrics.add("fat_commands_total", "outcome=\"busy\"")
            throw busy("commands", limit: commandGate.limit)
        }
        defer { commandGate.leave() }
        let command: Command
        let receipt: Receipt
        do {
            command = try parseCommand(try await body(request))
            if command.code != nil {
                // Code is prepared (compiled, or loaded by a worker) off the runtime's threads.
                let host = host
                let checked = command
                try await queryPool.offload { try host.check(checked) }
            }
            receipt = try await host.submit(command)
        } catch {
            metrics.add("fat_commands_total", "outcome=\"refused\"")
            throw error
        }
        let outcome: String =
            switch receipt.outcome {
            case .success: "success"
            case .reverted: "reverted"
            case .failed: "failed"
            }
        metrics.commandAnswered(outcome: outcome, gas: receipt.gasUsed, duration: ContinuousClock.now - start)
        let answer = renderer.answer(receipt, to: command.action)
        return Self.json(answer.json)
    }

    /// Reads a command request, attaching the staged code a deploy or an upload names.
    func parseCommand(_ body: [UInt8]) throws -> Command {
        let request = try CommandRequest(body)
        var command = request.command
        if let names = request.names {
            // Stored code (with a known document) needs nothing attached: a deploy of stored
            // native code by a non-operator stays a deploy, not a bringing of native code.
            let stored = try host.isStored(code: names.code, metadata: names.metadata)
            if case .deploy = command.action, stored { return command }
            command.code = staging.upload(codeHash: names.code, metadataHash: names.metadata)
            switch command.action {
            case .upload where command.code == nil:
                throw FatError(
                    .unknownCode, "no staged code with hash 0x\(names.code.hexString) (and that metadata hash): send it first with POST /v1/code")
            case .deploy where try command.code == nil && !host.isStored(code: names.code):
                throw FatError(.unknownCode, "no code with hash 0x\(names.code.hexString) is stored or staged: stage it first with POST /v1/code")
            default:
                break
            }
        }
        return command
    }
}
