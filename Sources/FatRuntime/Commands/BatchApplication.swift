import FatStore

/// A command in its place in the order, as the writer applies it.
struct OrderedCommand {
    let command: Command
    /// The timestamp the command was given when it was ordered; the writer keeps timestamps
    /// monotonic (it takes the last applied one when this is earlier), except in a replay.
    let timestampMs: UInt64
    /// Replay only: the sequence number the command had (otherwise the next one).
    let fixedSeq: UInt64?
    /// The machine's outcomes already decided for the command (a replay's, or a cluster's).
    let machineOutcomes: MachineOutcomes
}

/// What applying a batch gave: each command's receipt or the reason it was not logged, the new
/// state, the cache operations its commands deferred, and the machine outcomes each logged command
/// recorded (nil for a command not logged).
struct BatchResult {
    var results: [Result<Receipt, Error>] = []
    var world: WorldState
    var cacheOperations: [(AccountId, CacheOperation)] = []
    var machineOutcomes: [MachineOutcomes?] = []
}

/// Applies ordered commands inside one store transaction: the nonce and expiry checks in log
/// order, the log entries, the receipts, and the changes of every command that succeeded (kept in
/// the returned world, which `CommittedState.write` persists once for the whole transaction).
/// Shared by the single host's log and the cluster's, so both follow exactly the same rules.
enum BatchApplication {
    static func apply(_ batch: [OrderedCommand], to initial: WorldState, applier: CommandApplier, writer: StoreWriter) throws -> BatchResult {
        var result = BatchResult(world: initial)
        var world = initial
        let reader = writer.reader
        for ordered in batch {
            let command = ordered.command
            let replay = ordered.fixedSeq != nil
            let timestamp = replay ? ordered.timestampMs : max(ordered.timestampMs, world.timestampMs)
            // Checked here, in log order: a command may have waited past its expiry.
            if !replay, command.signature != nil, command.expiresAtMs < timestamp {
                result.results.append(.failure(FatHost.expired(command.expiresAtMs)))
                result.machineOutcomes.append(nil)
                continue
            }
            // The nonce is checked here, in log order, so two copies of one command in the same
            // batch cannot both be logged.
            if let nonce = command.nonce {
                do { try FatHost.checkNonce(nonce, of: command, last: world.nonce(command.caller)) } catch {
                    result.results.append(.failure(error))
                    result.machineOutcomes.append(nil)
                    continue
                }
                world.setNonce(command.caller, nonce)
            }
            let seq = ordered.fixedSeq ?? world.seq + 1
            let entry = LogEntry(seq: seq, timestampMs: timestamp, command: command, machineOutcomes: ordered.machineOutcomes)
            let (receipt, tx) = applier.apply(entry, to: world, fetchCode: { try reader.code($0) })
            // A read the store could not answer makes the outcome meaningless: nothing is logged.
            if let failure = world.base.failure { throw FatError(wrapping: failure) }
            // Written after applying, with what the machine decided while it ran.
            try writer.appendLog(
                seq: seq, entry: LogEntry(seq: seq, timestampMs: timestamp, command: command, machineOutcomes: tx.machineOutcomes).encoded())
            if receipt.outcome.isSuccess {
                if let code = command.code, let codeHash = command.action.codeHash {
                    if world.code(codeHash) == nil {
                        try writer.putCode(
                            CodeRecord(hash: codeHash, kind: code.kind.rawValue, bytes: code.bytes, metadataHash: command.action.metadataHash))
                    }
                    if let metadataHash = command.action.metadataHash, !world.hasMetadata(metadataHash) {
                        try writer.putMetadata(hash: metadataHash, document: code.metadata)
                    }
                }
                world = tx.world
                result.cacheOperations += tx.cacheOperations
            }
            world.seq = seq
            world.timestampMs = timestamp
            try writer.putReceipt(seq: seq, receipt: receipt.encoded())
            result.results.append(.success(receipt))
            result.machineOutcomes.append(tx.machineOutcomes)
        }
        result.world = world
        return result
    }
}
