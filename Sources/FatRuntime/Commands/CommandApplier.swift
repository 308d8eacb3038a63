/// Applies one log entry to a world state: the deterministic heart of a command. The writer uses
/// it for new commands and `verify` for replay, so both follow exactly the same rules.
struct CommandApplier {
    let dispatcher: Dispatcher

    /// Runs the entry on `world`. The returned transaction holds the new world (unchanged when the
    /// command reverted or failed), the keys it wrote, and its events.
    func apply(_ entry: LogEntry, to world: WorldState) -> (receipt: Receipt, transaction: Transaction) {
        var base = world
        base.seq = entry.seq
        base.timestampMs = entry.timestampMs
        let command = entry.command
        let tx = Transaction(kind: .command, origin: command.caller, world: base, seq: entry.seq,
                             timestampMs: entry.timestampMs, gasLimit: command.gasLimit)
        let contract: AccountId
        let result: CallResult
        let selector: [UInt8]
        switch command.action {
        case let .deploy(codeHash, input, salt):
            (contract, result) = dispatcher.instantiate(tx, deployer: command.caller, codeHash: codeHash, input: input, salt: salt,
                                                        value: command.value, depth: 1, gasLimit: nil)
            selector = Array(input.prefix(4))
        case let .call(target, input):
            contract = target
            result = dispatcher.call(tx, caller: command.caller, callee: target, input: input, value: command.value, depth: 1,
                                     gasLimit: nil)
            selector = Array(input.prefix(4))
        case let .upload(codeHash):
            // Nothing runs: the writer stores the code, which was validated before the command
            // was logged. On replay the code is already in the store.
            contract = .zero
            selector = []
            result = (try? dispatcher.codes.code(codeHash)) != nil
                ? CallResult(output: codeHash, outcome: .success, gasUsed: 0)
                : CallResult(output: [], outcome: .failed(FatError(.unknownCode, "code \(codeHash.hexString) was not uploaded")), gasUsed: 0)
        }
        if !result.outcome.isSuccess {
            // The dispatcher already rolled the frame back; drop what the transaction kept.
            tx.world = base
            tx.events = []
            tx.dirty = [:]
            tx.touchedContracts = []
        }
        let receipt = Receipt(
            seq: entry.seq, timestampMs: entry.timestampMs, caller: command.caller, contract: contract,
            isDeploy: { if case .deploy = command.action { return true } else { return false } }(),
            selector: selector, outcome: result.outcome, output: result.output, events: tx.events, logs: tx.logs,
            gasUsed: tx.gasUsed)
        return (receipt, tx)
    }
}
