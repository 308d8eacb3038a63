import FatCodec

extension FatHost {
    /// Runs `command` as it would run if it were logged now, on the latest committed state, and
    /// discards everything it wrote: what a Substrate client's `ContractsApi_instantiate` dry run
    /// asks. Nothing is logged and nothing needs a signature, so nothing native may come in: a
    /// dry run that brings native code is refused (only the operator's command may load it).
    /// The same checks as `submit` otherwise, but for the nonce; bounded by `timeout`.
    public func dryRun(_ command: Command, timeout: Duration = FatHost.defaultQueryTimeout) throws -> Receipt {
        if command.code?.kind == .native {
            throw FatError(.notAllowed, "a dry run does not load native code; only the operator's signed command brings native code")
        }
        guard command.gasLimit <= limits.maxCommandGas else {
            throw FatError(
                .badArguments, "the dry run asks for \(command.gasLimit) gas; this host allows at most \(limits.maxCommandGas) per command")
        }
        let store = store
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try read { world in
            switch command.action {
            case let .call(contract, _):
                guard world.contract(contract) != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
            case let .deploy(codeHash, metadataHash, _, _), let .upload(codeHash, metadataHash):
                if let code = command.code {
                    _ = try describe(code, codeHash: codeHash, metadataHash: metadataHash, in: world)
                } else if world.code(codeHash) == nil {
                    throw FatError(.unknownCode, "no code with hash 0x\(codeHash.hexString) is stored")
                }
            }
            let entry = LogEntry(seq: world.seq + 1, timestampMs: max(FatHost.nowMs, world.timestampMs), command: command)
            let (receipt, _) = CommandApplier(dispatcher: dispatcher).apply(
                entry, to: world, deadline: deadline, fetchCode: { try store.reader().code($0) })
            return receipt
        }
    }
}
