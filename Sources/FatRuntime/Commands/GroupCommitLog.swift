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
    private let applier: CommandApplier
    private let committed: CommittedState
    private(set) var batchesCommitted = 0

    /// Applies commands with `applier` to `committed` (which writes and publishes each batch).
    init(applier: CommandApplier, committed: CommittedState) {
        self.applier = applier
        self.committed = committed
        let thread = Thread { [unowned self] in run() }
        thread.name = "fat.command-writer"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    func append(_ batch: [PendingCommand]) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return batch.fail(PendingCommand.shuttingDown) }
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
        let ordered = batch.map { pending in
            OrderedCommand(
                command: pending.command, timestampMs: pending.fixed?.timestampMs ?? FatHost.nowMs, fixedSeq: pending.fixed?.seq,
                machineOutcomes: pending.fixed?.machineOutcomes ?? MachineOutcomes())
        }
        do {
            let applied = try committed.write { writer, world -> (BatchResult, WorldState) in
                let applied = try BatchApplication.apply(ordered, to: world, applier: applier, writer: writer)
                return (applied, applied.world)
            }
            applier.dispatcher.capabilities.apply(applied.cacheOperations)
            batchesCommitted += 1
            for (pending, result) in zip(batch, applied.results) { pending.completion(result) }
        } catch {
            batch.fail(FatError(wrapping: error))
        }
    }
}
