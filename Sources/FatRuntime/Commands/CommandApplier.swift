import FatStore

/// Applies one log entry to a world state: the deterministic heart of a command. The writer uses
/// it for new commands and `verify` for replay, so both follow exactly the same rules.
struct CommandApplier {
    let dispatcher: Dispatcher

    /// Runs the entry on `world`. The returned transaction holds the new world (unchanged when the
    /// command reverted or failed), the keys it wrote, and its events. `fetchCode` reads stored
    /// code through the writer's connection.
    func apply(
        _ entry: LogEntry, to world: WorldState, deadline: ContinuousClock.Instant? = nil, fetchCode: @escaping (CodeHash) throws -> CodeRecord?
    ) -> (
        receipt: Receipt, transaction: Transaction
    ) {
        var base = world
        base.seq = entry.seq
        base.timestampMs = entry.timestampMs
        let command = entry.command
        let tx = Transaction(
            kind: .command, origin: command.caller, world: base, seq: entry.seq,
            timestampMs: entry.timestampMs, gasLimit: command.gasLimit, deadline: deadline, fetchCode: fetchCode)
        tx.machineOutcomes = entry.machineOutcomes
        let contract: AccountId
        var result: CallResult
        let selector: [UInt8]
        let start = tx.checkpoint()
        let refused = Self.admitCode(command, into: tx)
        switch command.action {
        case let .deploy(codeHash, metadataHash, input, salt):
            selector = Array(input.prefix(4))
            if let refused {
                contract = Dispatcher.contractAddress(deployer: command.caller, codeHash: codeHash, input: input, salt: salt)
                result = CallResult(output: [], outcome: .failed(refused), gasUsed: 0)
            } else {
                (contract, result) = dispatcher.instantiate(
                    tx, deployer: command.caller, codeHash: codeHash, metadataHash: metadataHash,
                    input: input, salt: salt, value: command.value, depth: 1, gasLimit: nil)
            }
        case let .call(target, input):
            contract = target
            selector = Array(input.prefix(4))
            result =
                refused.map { CallResult(output: [], outcome: .failed($0), gasUsed: 0) }
                ?? dispatcher.call(tx, caller: command.caller, callee: target, input: input, value: command.value, depth: 1, gasLimit: nil)
        case let .upload(codeHash, _):
            // Nothing runs: the code joined the state above and is stored when the command commits.
            contract = .zero
            selector = []
            result = CallResult(output: codeHash, outcome: refused.map { .failed($0) } ?? .success, gasUsed: 0)
            if refused == nil, command.code == nil {
                result = CallResult(output: [], outcome: .failed(FatError(.unknownCode, "an upload carries its code")), gasUsed: 0)
            }
        }
        if !result.outcome.isSuccess {
            // The dispatcher already rolled the frame back; the command's own effects (the code
            // it brought included) go the same way, to where the transaction began.
            tx.restore(start)
        }
        let receipt = Receipt(
            seq: entry.seq, timestampMs: entry.timestampMs, caller: command.caller, contract: contract,
            isDeploy: { if case .deploy = command.action { return true } else { return false } }(),
            selector: selector, outcome: result.outcome, output: result.output, events: tx.events, logs: tx.logs,
            gasUsed: tx.gasUsed)
        return (receipt, tx)
    }

    /// Code and metadata a command brings join the transaction's world (and leave it again if
    /// the command fails); a deploy of stored code must name metadata the world holds. Answers
    /// why the command cannot run, if it cannot.
    static func admitCode(_ command: Command, into tx: Transaction) -> FatError? {
        let action = command.action
        guard let code = command.code else {
            if let metadataHash = action.metadataHash, !tx.world.hasMetadata(metadataHash) {
                return FatError(.unknownCode, "no metadata document 0x\(metadataHash.hexString) is stored")
            }
            return nil
        }
        guard let codeHash = action.codeHash else { return FatError(.badArguments, "a call brings no code") }
        guard code.codeHash == codeHash, code.metadataHash == action.metadataHash else {
            return FatError(.badArtifact, "the code or metadata the command brings does not hash to what it names")
        }
        if let known = tx.world.code(codeHash) {
            guard known.kind == code.kind else {
                return FatError(.badArtifact, "code 0x\(codeHash.hexString) is stored as \(known.kind.rawValue) code, not \(code.kind.rawValue)")
            }
        } else {
            tx.world.addCode(codeHash, CodeInfo(kind: code.kind, metadataHash: action.metadataHash))
        }
        if let metadataHash = action.metadataHash, !tx.world.hasMetadata(metadataHash) { tx.world.addMetadata(metadataHash) }
        tx.attachedCode = code
        return nil
    }
}
