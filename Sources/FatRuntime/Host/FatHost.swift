import FatCodec
import FatCrypto
import FatStore
import Foundation
import HashTreeCollections
import Synchronization

/// A FatContract host: one data directory, its sealed store, the contracts in it, and the two
/// ways in — commands (`submit`) and queries (`query`).
///
/// - Commands are verified, appended to the log and applied in order on the writer thread with
///   group commit; `submit` returns the receipt once the command is durable and applied.
/// - Queries run at once on the latest committed snapshot, in parallel with each other and with
///   commands, and never touch the log; their writes are discarded.
/// - Who may do what is the host's `authority` to decide, in one place (see `Authority`).
///
/// The sealed store is the state: opening a host reads only the summary of its last commit, and
/// reads go through a bounded cache of plaintext values (`HostLimits.stateCacheBytes`) to the
/// store, so a host holds a state larger than its memory and opens in the same time whatever its
/// size; a query on cached keys answers in microseconds without touching the store.
/// **Thread-safe**: use one `FatHost` from any number of threads.
public final class FatHost: @unchecked Sendable {
    public let dataDirectory: String
    /// Identifies this host's log in every signature (`SigningPayload`): derived from the master
    /// key, so every host sealed with the same key (a cluster) has the same one.
    public let genesis: [UInt8]
    /// The hash of block 0 of the chain the node face shows (`BlockHeader.genesis`): what
    /// Substrate extrinsics for this host sign.
    public let chainGenesisHash: [UInt8]
    public let authority: Authority
    public let limits: HostLimits
    package let store: SealedStore
    let codes: CodeCache
    let engines: [ContractEngine]
    let metadataCache: MetadataCache
    let dispatcher: Dispatcher
    let committed: CommittedState
    /// Where commands get their place in the order: the one way into the state.
    let log: any CommandLog

    /// Default gas budget and wall-clock deadline of a query.
    public static let defaultQueryGas: UInt64 = 5_000_000_000
    public static let defaultQueryTimeout: Duration = .seconds(10)

    /// Opens (or with `create`, creates) the host whose data lives in `dataDirectory`.
    /// `capabilities` says what contracts may reach (HTTP hosts, modules); see CapabilityConfiguration.
    /// `authority` says who may do what: `.local` for the master key's owner (the CLI), `.network`
    /// for a server.
    public convenience init(
        dataDirectory: String, masterKeyPath: String? = nil, create: Bool = true, engines: [ContractEngine]? = nil,
        capabilities: CapabilityConfiguration = CapabilityConfiguration(), authority: Authority = .local,
        limits: HostLimits = HostLimits(), order: CommandOrder = .local
    ) throws {
        try self.init(
            dataDirectory: dataDirectory, masterKeyPath: masterKeyPath, create: create, engines: engines,
            capabilities: capabilities, authority: authority, limits: limits, contractKeySecret: nil, order: order)
    }

    /// `contractKeySecret` replaces the secret contract keys derive from (by default, one derived
    /// from the master key): a replay must derive the same keys as the host it checks.
    init(
        dataDirectory: String, masterKeyPath: String?, create: Bool, engines: [ContractEngine]?,
        capabilities: CapabilityConfiguration, authority: Authority, limits: HostLimits, contractKeySecret: [UInt8]?,
        order: CommandOrder = .local
    ) throws {
        self.dataDirectory = dataDirectory
        self.authority = authority
        self.limits = limits
        do {
            store = try SealedStore(directory: dataDirectory, masterKeyPath: masterKeyPath, create: create, derivations: StateScan.derivations)
        } catch let error as StoreError {
            throw FatError(wrapping: error)
        }
        let store = store
        genesis = store.genesis
        chainGenesisHash = BlockHeader.genesis(store.genesis).hash
        FatHost.removePlaintextCode(in: dataDirectory)
        self.engines = engines ?? FatHost.defaultEngines
        codes = CodeCache(engines: self.engines, budget: limits.codeCacheBytes)
        metadataCache = MetadataCache(capacity: limits.metadataCacheEntries)
        let keySecret = contractKeySecret ?? store.derivedSecret("contract-keys")
        dispatcher = Dispatcher(
            codes: codes, capabilities: try Capabilities(configuration: capabilities, keySecret: keySecret),
            fetchCommitted: { try store.reader().code($0) })
        let committed = try CommittedState(store: store, cacheBytes: limits.stateCacheBytes)
        self.committed = committed
        let applier = CommandApplier(dispatcher: dispatcher)
        switch order {
        case .local:
            if let position = try FatHost.wrapStore({ try store.readOnWriterConnection { try $0.clusterPosition() } }) {
                // A host of a cluster applies the cluster's order only: a local command would fork it.
                log = RefusingLog(
                    reason: FatError(
                        .notAllowed,
                        "this data directory belongs to the cluster under etcd prefix `\(position.prefix)`: send commands to one of its `fat serve --order etcd://…` hosts"
                    ))
            } else {
                log = GroupCommitLog(applier: applier, committed: committed)
            }
        case let .etcd(etcdOrder):
            log = try ClusterLog(order: etcdOrder, store: store, applier: applier, committed: committed)
        }
    }

    /// The engines a host has unless told otherwise: native shared objects and Wasm (ink!).
    public static var defaultEngines: [ContractEngine] { [NativeEngine(), InkContractEngine()] }

    /// Earlier versions kept native code as plaintext `<data>/code/<hash>.so` files; the code is
    /// sealed in the store, so the copies go.
    private static func removePlaintextCode(in dataDirectory: String) {
        let directory = dataDirectory + "/code"
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasSuffix(".so") || name.hasSuffix(".tmp") { try? fm.removeItem(atPath: directory + "/" + name) }
        if (try? fm.contentsOfDirectory(atPath: directory))?.isEmpty == true { try? fm.removeItem(atPath: directory) }
    }

    /// Stops the writer after the commands already submitted; the host takes no more commands.
    public func close() {
        log.close()
    }

    deinit { log.close() }

    /// The summary of the latest committed state (sequence number, timestamp, root, contracts).
    public var snapshot: StateSummary { committed.current }

    /// Runs `body` on the latest committed state, one consistent snapshot of it, and answers
    /// what `body` does. Reads go through the cache, then the store; a store that cannot be read
    /// is an error (`store_corrupt`), never an absent value.
    public func read<T>(_ body: (WorldState) throws -> T) throws -> T { try committed.read(body) }

    /// How the state cache is doing (hits, misses, evictions, size).
    public var stateCache: StateCacheStatistics {
        let statistics = committed.cache.statistics
        return StateCacheStatistics(
            hits: statistics.hits, misses: statistics.misses, evictions: statistics.evictions, entries: statistics.entries,
            bytes: statistics.bytes, capacity: statistics.capacity)
    }

    /// How this host stands in its cluster; nil for a single host.
    public var cluster: ClusterStatus? { (log as? ClusterLog)?.status }

    /// Calls `observer` with the last sequence number each time a batch of commands has committed
    /// (on the writer thread: it must return at once; read the receipts elsewhere).
    public func onCommit(_ observer: @escaping @Sendable (_ lastSeq: UInt64) -> Void) {
        committed.observe(observer)
    }

    // MARK: Commands

    /// Verifies, logs and applies a command; returns its receipt once it is durable.
    /// A command that reverts or fails inside the contract is still logged, with that outcome in
    /// its receipt; a command that fails verification (bad signature, unknown contract, code that
    /// does not load, a caller without the authority) is refused with an error and never logged.
    public func submit(_ command: Command) throws -> Receipt {
        try validate(command)
        let box = ResultBox()
        log.append([PendingCommand(command: command, fixed: nil) { box.set($0) }])
        return try box.wait().get()
    }

    /// The async form of `submit`, for servers: suspends instead of blocking a thread.
    public func submit(_ command: Command) async throws -> Receipt {
        try validate(command)
        return try await withCheckedThrowingContinuation { continuation in
            log.append([PendingCommand(command: command, fixed: nil) { continuation.resume(with: $0) }])
        }
    }

    /// Verifies `commands` and queues them at once, so that they are logged in one batch, in
    /// order; answers each one's result. Within the package, for tests of what one batch may hold.
    package func submitTogether(_ commands: [Command]) throws -> [Result<Receipt, Error>] {
        for command in commands { try validate(command) }
        let boxes = commands.map { _ in ResultBox() }
        log.append(zip(commands, boxes).map { command, box in PendingCommand(command: command, fixed: nil) { box.set($0) } })
        return boxes.map { $0.wait() }
    }

    /// Batches the writer has committed. Read it after a submit returns: the count is updated
    /// before any command of the batch is answered.
    package var batchesCommitted: Int { log.batchesCommitted }

    func submitReplay(_ entry: LogEntry) throws -> Receipt {
        let box = ResultBox()
        log.append([PendingCommand(command: entry.command, fixed: (entry.seq, entry.timestampMs, entry.machineOutcomes)) { box.set($0) }])
        return try box.wait().get()
    }

    // MARK: Queries

    /// Runs a message as a query on the latest committed state. Never logged; writes discarded.
    /// `gasLimit` is capped by `limits.maxQueryGas`.
    public func query(
        _ contract: AccountId, input: [UInt8], origin: AccountId? = nil, gasLimit: UInt64 = FatHost.defaultQueryGas,
        timeout: Duration = FatHost.defaultQueryTimeout
    ) throws -> QueryResult {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try committed.read { world in
            guard world.contract(contract) != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
            let tx = Transaction(
                kind: .query, origin: origin, world: world, seq: world.seq, timestampMs: world.timestampMs,
                gasLimit: min(gasLimit, limits.maxQueryGas), deadline: deadline)
            let result = dispatcher.call(tx, caller: origin, callee: contract, input: input, value: 0, depth: 1, gasLimit: nil)
            return QueryResult(output: result.output, outcome: result.outcome, events: tx.events, logs: tx.logs, gasUsed: tx.gasUsed)
        }
    }

    /// A query signed by its caller: the signature covers the host's genesis id, the contract,
    /// the input and the expiry; a query past its expiry is refused.
    public func query(
        _ contract: AccountId, input: [UInt8], signedBy origin: AccountId, signature: Signature,
        expiresAtMs: UInt64, gasLimit: UInt64 = FatHost.defaultQueryGas,
        timeout: Duration = FatHost.defaultQueryTimeout
    ) throws -> QueryResult {
        let payload = SigningPayload.query(genesis: genesis, contract: contract.bytes, input: input, expiresAtMs: expiresAtMs)
        guard try Signer.verify(signature, payload: payload, account: origin) else {
            throw FatError(.badSignature, "the query's signature does not verify for caller \(origin) on this host (genesis 0x\(genesis.hexString))")
        }
        guard expiresAtMs >= FatHost.nowMs else {
            throw FatError(.expired, "the query expired at \(expiresAtMs) ms; it is now \(FatHost.nowMs) ms")
        }
        return try query(contract, input: input, origin: origin, gasLimit: gasLimit, timeout: timeout)
    }

    /// Wall-clock milliseconds since the Unix epoch (for expiry checks, never inside a command).
    public static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    static func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw FatError(wrapping: error) }
    }
}

/// The limits a host's operator sets on what one request may ask for.
public struct HostLimits: Sendable {
    /// A command asking for more gas is refused before it is logged.
    public var maxCommandGas: UInt64 = Command.defaultGasLimit
    /// A query asking for more gas runs with this much.
    public var maxQueryGas: UInt64 = FatHost.defaultQueryGas
    /// The footprint of prepared code kept in memory (see `CodeCache`).
    public var codeCacheBytes: Int = CodeCache.defaultBudget
    /// Parsed metadata documents kept in memory.
    public var metadataCacheEntries = 256
    /// The plaintext state values kept in memory, in bytes (see `StateCache`): 64 MiB unless set.
    public var stateCacheBytes: Int = HostLimits.defaultStateCacheBytes
    public static let defaultStateCacheBytes = 64 << 20

    public init() {}
}

/// The state cache's counters since the host opened, and its size.
public struct StateCacheStatistics: Sendable {
    public let hits: UInt64
    public let misses: UInt64
    public let evictions: UInt64
    public let entries: Int
    public let bytes: Int
    public let capacity: Int
}

/// What a query answered. Its events and log lines are reported but were not kept.
public struct QueryResult: Sendable {
    public let output: [UInt8]
    public let outcome: Outcome
    public let events: [ContractEvent]
    public let logs: [String]
    public let gasUsed: UInt64
}

/// Hands one result from the writer thread to a blocked caller.
final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Receipt, Error>?

    func set(_ value: Result<Receipt, Error>) {
        condition.lock()
        result = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Result<Receipt, Error> {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
