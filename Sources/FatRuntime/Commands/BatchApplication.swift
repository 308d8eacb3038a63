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
/// order, the log entries, the receipts, and the writes of every command that succeeded. Shared by
/// the single host's log and the cluster's, so both follow exactly the same rules.
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
                do { try FatHost.checkNonce(nonce, of: command, last: world.nonces[command.caller] ?? 0) } catch {
                    result.results.append(.failure(error))
                    result.machineOutcomes.append(nil)
                    continue
                }
                world.nonces[command.caller] = nonce
                try writer.putNonce(account: command.caller.bytes, nonce: nonce)
            }
            let seq = ordered.fixedSeq ?? world.seq + 1
            let entry = LogEntry(seq: seq, timestampMs: timestamp, command: command, machineOutcomes: ordered.machineOutcomes)
            let (receipt, tx) = applier.apply(entry, to: world, fetchCode: { try reader.code($0) })
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
                try persist(tx, into: writer)
                world = tx.world
                result.cacheOperations += tx.cacheOperations
            }
            world.seq = seq
            world.timestampMs = timestamp
            try writer.putReceipt(seq: seq, receipt: receipt.encoded())
            result.results.append(.success(receipt))
            result.machineOutcomes.append(tx.machineOutcomes)
        }
        try writer.setLastSeq(world.seq)
        result.world = world
        return result
    }

    private static func persist(_ tx: Transaction, into writer: StoreWriter) throws {
        for address in tx.touchedContracts.sorted() {
            if let contract = tx.world.contracts[address] {
                try writer.putContract(ContractRecord(address: address.bytes, codeHash: contract.codeHash, info: contract.info))
            } else {
                try writer.removeContract(address.bytes)
            }
        }
        for (address, keys) in tx.dirty {
            guard let contract = tx.world.contracts[address] else { continue }
            for key in keys {
                try writer.setStorage(contract: address.bytes, key: key.bytes, value: contract.storage[key])
            }
        }
    }
}
