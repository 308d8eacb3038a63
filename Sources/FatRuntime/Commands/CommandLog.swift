import Synchronization

/// Where a verified command gets its place in the total order, is applied and becomes durable:
/// the one way into the state. The host validates a command, hands it to its log, and learns the
/// committed state from the `CommittedState` the log publishes to; nothing else writes the store.
///
/// `GroupCommitLog` (SQLite, one writer thread, group commit) orders the commands of one host; an
/// order decided elsewhere (an etcd cluster) is another implementation of the same protocol.
protocol CommandLog: AnyObject, Sendable {
    /// Queues `commands` together (in one batch, when they fit in one). Each completion gets the
    /// command's receipt once it is durable and applied, or the reason it was not logged.
    func append(_ commands: [PendingCommand])
    /// Finishes the commands already queued, then takes no more.
    func close()
    /// Batches committed so far (read after a completion: updated before any is called).
    var batchesCommitted: Int { get }
}

/// The log of a data directory that belongs to a cluster, opened without it (the CLI): it
/// takes no command, since one applied here alone would fork the cluster's state.
final class RefusingLog: CommandLog {
    let reason: FatError
    init(reason: FatError) { self.reason = reason }
    func append(_ commands: [PendingCommand]) { commands.fail(reason) }
    func close() {}
    var batchesCommitted: Int { 0 }
}

/// A command on its way into the log.
struct PendingCommand {
    let command: Command
    /// Replay supplies the original sequence number, timestamp and recorded machine outcomes.
    let fixed: (seq: UInt64, timestampMs: UInt64, machineOutcomes: MachineOutcomes)?
    let completion: @Sendable (Result<Receipt, Error>) -> Void

    /// Why a log that is closing takes no more commands.
    static let shuttingDown = FatError(.notAllowed, "the host is shutting down; the command was not logged")
}

extension Sequence<PendingCommand> {
    /// Answers every command with `error`: none of them was logged (or will be answered otherwise).
    func fail(_ error: Error) { for pending in self { pending.completion(.failure(error)) } }
}
