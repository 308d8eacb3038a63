import FatCodec
import FatStore
import Foundation

/// The command log of one host: appends commands and applies them, in order, on one thread, with
/// group commit: every command waiting when a batch starts is appended, applied and committed in
/// one SQLite transaction, so a batch costs one fsync however many commands it holds.
///
/// A command is acknowledged (its completion called with the receipt) only after the
/// transaction holding its log entry and its effects has committed; a crash before that loses
/// only unacknowledged commands. **Thread-safe**: `submit` may be called from any thread.
final class GroupCommitLog: CommandLog, @unchecked Sendable {
    static let maxBatch = 4096
    private let condition = NSCondition()
    private var queue: [PendingCommand] = []
    private var stopping = false
    private var thread: Thread?
    private let store: SealedStore
    private let applier: CommandApplier
    private let committed: CommittedState
    /// The state after the last batch this log committed; only the writer thread touches it.
    private var world: WorldState
    private(set) var batchesCommitted = 0

    /// Writes `store`, applying commands with `applier`; publishes each batch's state to `committed`.
    init(store: SealedStore, applier: CommandApplier, committed: CommittedState) {
        self.store = store
        self.applier = applier
        self.committed = committed
        world = committed.current
        let thread = Thread { [unowned self] in run() }
        thread.name = "fat.command-writer"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    func append(_ batch: [PendingCommand]) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else {
            for pending in batch { pending.completion(.failure(FatError(.notAllowed, "the host is shutting down; the command was not logged"))) }
            return
        }
        queue += batch
        condition.signal()
    }

    /// Finishes the commands already queued, then stops the thread.
    func close() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        while true {
            condition.lock()
            let done = thread == nil
            condition.unlock()
            if done { return }
            usleep(1000)
        }
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty, !stopping { condition.wait() }
            if queue.isEmpty, stopping {
                thread = nil
                condition.unlock()
                return
            }
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            process(batch)
        }
    }

    private func process(_ batch: [PendingCommand]) {
        var results: [Result<Receipt, Error>] = []
        var cacheOperations: [(AccountId, CacheOperation)] = []
        do {
            let state = try store.write { writer -> WorldState in
                var world = self.world
                // Another process may have committed since this host loaded its state.
                if try writer.reader.lastSeq() != world.seq { world = try WorldLoader.load(writer.reader) }
                let reader = writer.reader
                for pending in batch {
                    // The nonce is checked here, in log order, so two copies of one command in
                    // the same batch cannot both be logged.
                    let command = pending.command
                    let timestamp = pending.fixed?.timestampMs ?? max(FatHost.nowMs, world.timestampMs)
                    // Checked again here: a command may have waited in the queue past its expiry.
                    if pending.fixed == nil, command.signature != nil, command.expiresAtMs < timestamp {
                        results.append(.failure(FatHost.expired(command.expiresAtMs)))
                        continue
                    }
                    if let nonce = command.nonce {
                        do { try FatHost.checkNonce(nonce, of: command, last: world.nonces[command.caller] ?? 0) } catch {
                            results.append(.failure(error))
                            continue
                        }
                        world.nonces[command.caller] = nonce
                        try writer.putNonce(account: command.caller.bytes, nonce: nonce)
                    }
                    let seq = pending.fixed?.seq ?? world.seq + 1
                    let entry = LogEntry(
                        seq: seq, timestampMs: timestamp, command: command, machineOutcomes: pending.fixed?.machineOutcomes ?? MachineOutcomes())
                    let (receipt, tx) = applier.apply(entry, to: world, fetchCode: { try reader.code($0) })
                    // Written after applying, with what the machine decided while it ran.
                    try writer.appendLog(
                        seq: seq, entry: LogEntry(seq: seq, timestampMs: timestamp, command: command, machineOutcomes: tx.machineOutcomes).encoded())
                    if receipt.outcome.isSuccess {
                        if let code = command.code, let codeHash = command.action.codeHash {
                            if world.code(codeHash) == nil {
                                try writer.putCode(
                                    CodeRecord(
                                        hash: codeHash, kind: code.kind.rawValue, bytes: code.bytes,
                                        metadataHash: command.action.metadataHash))
                            }
                            if let metadataHash = command.action.metadataHash, !world.hasMetadata(metadataHash) {
                                try writer.putMetadata(hash: metadataHash, document: code.metadata)
                            }
                        }
                        try persist(tx, into: writer)
                        world = tx.world
                        cacheOperations += tx.cacheOperations
                    }
                    world.seq = seq
                    world.timestampMs = timestamp
                    try writer.putReceipt(seq: seq, receipt: receipt.encoded())
                    results.append(.success(receipt))
                }
                try writer.setLastSeq(world.seq)
                return world
            }
            world = state
            self.committed.publish(state)
            applier.dispatcher.capabilities.apply(cacheOperations)
            batchesCommitted += 1
            for (pending, result) in zip(batch, results) { pending.completion(result) }
        } catch {
            let failure = FatError(wrapping: error)
            for pending in batch { pending.completion(.failure(failure)) }
        }
    }

    private func persist(_ tx: Transaction, into writer: StoreWriter) throws {
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
