import FatStore

/// Everything one top-level call shares across its nested frames: the working copy of the world,
/// the events and log lines so far, the gas spent, and the call stack.
///
/// **Confined to the thread running the call.**
public final class Transaction {
    public let kind: CallKind
    /// The signer of the command or query; nil for an unsigned query.
    public let origin: AccountId?
    public let seq: UInt64
    public let timestampMs: UInt64
    public internal(set) var world: WorldState
    public internal(set) var events: [ContractEvent] = []
    public internal(set) var logs: [String] = []
    let gasLimit: UInt64
    var gasUsed: UInt64 = 0
    var stack: [AccountId] = []
    /// Cache writes made by a command, applied after it commits (see CallFrame+Capabilities).
    var cacheOperations: [(AccountId, CacheOperation)] = []
    /// How many times a command has drawn random bytes, so each draw differs.
    var randomDraws: UInt64 = 0
    /// A query's deadline: checked between frames, at Wasm host calls, and by the worker
    /// processes of native contracts, which are killed when it passes.
    let deadline: ContinuousClock.Instant?
    /// When the native calls of this command must have finished (set by the first one that runs
    /// in a worker process; see `IsolatedNativeEngine.commandTimeout`).
    var nativeDeadline: ContinuousClock.Instant?
    /// Machine-dependent outcomes of this command's native calls: recorded by a replay's log entry
    /// (honoured instead of running the call), or observed live (to be recorded).
    var machineOutcomes = MachineOutcomes()
    /// Reads stored code the cache does not hold: for a command, through the writer's own
    /// connection (so code stored earlier in the same batch is found); nil for a query, which
    /// reads committed code through a reader of the dispatcher's.
    let fetchCode: ((CodeHash) throws -> CodeRecord?)?
    /// Code the command brings, not in the store until the command commits.
    var attachedCode: CodeUpload?

    init(
        kind: CallKind, origin: AccountId?, world: WorldState, seq: UInt64, timestampMs: UInt64, gasLimit: UInt64,
        deadline: ContinuousClock.Instant? = nil, fetchCode: ((CodeHash) throws -> CodeRecord?)? = nil
    ) {
        self.kind = kind
        self.origin = origin
        self.world = world
        self.seq = seq
        self.timestampMs = timestampMs
        self.gasLimit = gasLimit
        self.deadline = deadline
        self.fetchCode = fetchCode
    }

    var gasLeft: UInt64 { gasLimit > gasUsed ? gasLimit - gasUsed : 0 }

    /// Charges `amount` gas; throws out-of-gas when the budget is spent.
    func charge(_ amount: UInt64) throws {
        let (sum, overflow) = gasUsed.addingReportingOverflow(amount)
        gasUsed = overflow ? .max : sum
        if gasUsed > gasLimit {
            throw FatError(.outOfGas, "ran out of gas: the call needs more than its limit of \(gasLimit)")
        }
    }

    // MARK: Storage of the working world

    func storageGet(_ contract: AccountId, _ key: [UInt8]) -> [UInt8]? {
        world.storage(contract, key)
    }

    func storageSet(_ contract: AccountId, _ key: [UInt8], _ value: [UInt8]?) {
        world.setStorage(contract, key, value)
    }

    /// A saved point to return to when a frame reverts or fails.
    struct Checkpoint {
        let world: WorldState
        let eventCount: Int
        let cacheOperationCount: Int
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(world: world, eventCount: events.count, cacheOperationCount: cacheOperations.count)
    }

    func restore(_ checkpoint: Checkpoint) {
        world = checkpoint.world
        events.removeSubrange(checkpoint.eventCount...)
        cacheOperations.removeSubrange(checkpoint.cacheOperationCount...)
    }
}
