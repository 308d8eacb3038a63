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
///
/// The whole plaintext state is held in memory as a persistent map (loaded and opened from the
/// store when the host opens), which is what lets a query answer in microseconds.
/// **Thread-safe**: use one `FatHost` from any number of threads.
public final class FatHost: @unchecked Sendable {
    public let dataDirectory: String
    public let store: SealedStore
    let codes: CodeCache
    let dispatcher: Dispatcher
    private let state: Mutex<WorldState>
    private var writer: CommandWriter!
    private let commitObservers = Mutex<[@Sendable (_ lastSeq: UInt64) -> Void]>([])

    /// Default gas budget and wall-clock deadline of a query.
    public static let defaultQueryGas: UInt64 = 5_000_000_000
    public static let defaultQueryTimeout: Duration = .seconds(10)

    /// Opens (or with `create`, creates) the host whose data lives in `dataDirectory`.
    /// `capabilities` says what contracts may reach (HTTP hosts, modules); see CapabilityConfiguration.
    public convenience init(dataDirectory: String, masterKeyPath: String? = nil, create: Bool = true, engines: [ContractEngine]? = nil,
                            capabilities: CapabilityConfiguration = CapabilityConfiguration()) throws
    {
        try self.init(dataDirectory: dataDirectory, masterKeyPath: masterKeyPath, create: create, engines: engines,
                      capabilities: capabilities, contractKeySecret: nil)
    }

    /// `contractKeySecret` replaces the secret contract keys derive from (by default, one derived
    /// from the master key): a replay must derive the same keys as the host it checks.
    init(dataDirectory: String, masterKeyPath: String?, create: Bool, engines: [ContractEngine]?,
         capabilities: CapabilityConfiguration, contractKeySecret: [UInt8]?) throws
    {
        self.dataDirectory = dataDirectory
        do {
            store = try SealedStore(directory: dataDirectory, masterKeyPath: masterKeyPath, create: create)
        } catch let error as StoreError {
            throw FatHost.fatError(error)
        }
        let store = store
        let engineList = engines ?? FatHost.defaultEngines(dataDirectory: dataDirectory)
        // A connection of its own: code is fetched while the writer holds its connection mid-transaction.
        codes = CodeCache(engines: engineList, fetch: { hash in try store.reader().code(hash) })
        let keySecret = contractKeySecret ?? HKDF.sha256(inputKey: store.master.bytes, salt: Array("fatcontract.v1".utf8),
                                    info: Array("contract-keys".utf8), outputLength: 32)
        dispatcher = Dispatcher(codes: codes, capabilities: try Capabilities(configuration: capabilities, keySecret: keySecret))
        state = Mutex(.empty)
        let (world, noncesStored) = try FatHost.wrapStore { try store.readLatest { (try self.loadWorld($0), try $0.noncesComplete()) } }
        state.withLock { $0 = world }
        // A store from before the nonces table has just had them read from its log: keep them.
        if !noncesStored {
            try FatHost.wrapStore {
                try store.write { writer in
                    for (account, nonce) in world.nonces { try writer.putNonce(account: account.bytes, nonce: nonce) }
                    try writer.setNoncesComplete()
                }
            }
        }
        writer = CommandWriter(host: self)
    }

    /// The engines a host has unless told otherwise: native shared objects and Wasm (ink!).
    public static func defaultEngines(dataDirectory: String) -> [ContractEngine] {
        [NativeEngine(codeDirectory: dataDirectory + "/code"), InkContractEngine()]
    }

    /// Stops the writer after the commands already submitted; the host takes no more commands.
    public func close() {
        writer.stop()
    }

    deinit { writer?.stop() }

    /// The latest committed state.
    public var snapshot: WorldState { state.withLock { $0 } }

    func publish(_ world: WorldState) {
        state.withLock { $0 = world }
        for observer in commitObservers.withLock({ $0 }) { observer(world.seq) }
    }

    /// Calls `observer` with the last sequence number each time a batch of commands has committed
    /// (on the writer thread: it must return at once; read the receipts elsewhere).
    public func onCommit(_ observer: @escaping @Sendable (_ lastSeq: UInt64) -> Void) {
        commitObservers.withLock { $0.append(observer) }
    }

    func loadWorld(_ reader: StoreReader) throws -> WorldState {
        var world = WorldState.empty
        world.seq = try reader.lastSeq()
        if world.seq > 0, let last = try reader.receipt(world.seq) {
            world.timestampMs = try Receipt.decode(last).timestampMs
        }
        for record in try reader.contracts() {
            guard let address = AccountId(record.address) else {
                throw FatError(.storeCorrupt, "a contract record has a \(record.address.count)-byte address")
            }
            var contract = try ContractState(codeHash: record.codeHash, info: record.info)
            var storage = TreeDictionary<ByteKey, [UInt8]>()
            for entry in try reader.storage(of: record.address) { storage[ByteKey(entry.key)] = entry.value }
            contract.storage = storage
            world.contracts[address] = contract
        }
        if try reader.noncesComplete() {
            for (account, nonce) in try reader.nonces() { world.nonces[AccountId(unchecked: account)] = nonce }
        } else {
            // A store from before the nonces table: every accepted nonce is in its log entry.
            for row in try reader.logEntries(from: 1) {
                let command = try LogEntry.decode(row.entry).command
                if let nonce = command.nonce { world.nonces[command.caller] = max(world.nonces[command.caller] ?? 0, nonce) }
            }
        }
        return world
    }

    // MARK: Commands

    /// Verifies, logs and applies a command; returns its receipt once it is durable.
    /// A command that reverts or fails inside the contract is still logged, with that outcome in
    /// its receipt; a command that fails verification (bad signature, unknown contract, code that
    /// does not load) is refused with an error and never logged.
    public func submit(_ command: Command) throws -> Receipt {
        try validate(command)
        let box = ResultBox()
        writer.submit(.init(command: command, fixed: nil) { box.set($0) })
        return try box.wait().get()
    }

    /// The async form of `submit`, for servers: suspends instead of blocking a thread.
    public func submit(_ command: Command) async throws -> Receipt {
        try validate(command)
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.init(command: command, fixed: nil) { continuation.resume(with: $0) })
        }
    }

    func submitReplay(_ entry: LogEntry) throws -> Receipt {
        let box = ResultBox()
        writer.submit(.init(command: entry.command, fixed: (entry.seq, entry.timestampMs)) { box.set($0) })
        return try box.wait().get()
    }

    private func validate(_ command: Command) throws {
        if let signature = command.signature {
            guard try Signer.verify(signature, payload: command.signingPayload, account: command.caller) else {
                throw FatError(.badSignature, "the command's signature does not verify for caller \(command.caller)")
            }
        }
        if command.expiresAtMs != 0, command.expiresAtMs < FatHost.nowMs {
            throw FatError(.expired, "the command expired at \(command.expiresAtMs) ms; it is now \(FatHost.nowMs) ms")
        }
        if let nonce = command.nonce, let last = snapshot.nonces[command.caller], nonce <= last {
            throw FatHost.replayedNonce(command.caller, nonce: nonce, last: last)
        }
        switch command.action {
        case let .call(contract, input):
            guard snapshot.contracts[contract] != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
            guard input.count >= 4 else { throw FatError(.badArguments, "a message starts with a 4-byte selector") }
        case let .upload(codeHash):
            guard let code = command.code else { throw FatError(.badArguments, "an upload carries its code") }
            guard Blake2b.hash256(code.bytes) == codeHash else {
                throw FatError(.badArtifact, "the code's hash is not \(codeHash.hexString)")
            }
            _ = try codes.prepare(kind: code.kind, hash: codeHash, bytes: code.bytes, metadata: code.metadata)
        case let .deploy(codeHash, _, _):
            if let code = command.code {
                guard Blake2b.hash256(code.bytes) == codeHash else {
                    throw FatError(.badArtifact, "the code's hash is not \(codeHash.hexString)")
                }
                _ = try codes.prepare(kind: code.kind, hash: codeHash, bytes: code.bytes, metadata: code.metadata)
            } else {
                _ = try codes.code(codeHash)
            }
        }
    }

    // MARK: Queries

    /// Runs a message as a query on the latest committed state. Never logged; writes discarded.
    public func query(_ contract: AccountId, input: [UInt8], origin: AccountId? = nil, gasLimit: UInt64 = FatHost.defaultQueryGas,
                      timeout: Duration = FatHost.defaultQueryTimeout) throws -> QueryResult
    {
        let world = snapshot
        guard world.contracts[contract] != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
        let tx = Transaction(kind: .query, origin: origin, world: world, seq: world.seq, timestampMs: world.timestampMs,
                             gasLimit: gasLimit, deadline: ContinuousClock.now.advanced(by: timeout))
        let result = dispatcher.call(tx, caller: origin, callee: contract, input: input, value: 0, depth: 1, gasLimit: nil)
        return QueryResult(output: result.output, outcome: result.outcome, events: tx.events, logs: tx.logs, gasUsed: tx.gasUsed)
    }

    /// A query signed by its caller: the signature covers the contract and the input (and the
    /// expiry, when there is one; an expired query is refused).
    public func query(_ contract: AccountId, input: [UInt8], signedBy origin: AccountId, signature: Signature,
                      expiresAtMs: UInt64? = nil, gasLimit: UInt64 = FatHost.defaultQueryGas,
                      timeout: Duration = FatHost.defaultQueryTimeout) throws -> QueryResult
    {
        let payload = FatHost.queryPayload(contract: contract, input: input, expiresAtMs: expiresAtMs)
        guard try Signer.verify(signature, payload: payload, account: origin) else {
            throw FatError(.badSignature, "the query's signature does not verify for caller \(origin)")
        }
        if let expiresAtMs, expiresAtMs < FatHost.nowMs {
            throw FatError(.expired, "the query expired at \(expiresAtMs) ms; it is now \(FatHost.nowMs) ms")
        }
        return try query(contract, input: input, origin: origin, gasLimit: gasLimit, timeout: timeout)
    }

    /// The bytes a query's signature covers (`SigningPayload.query`): the contract and the input,
    /// and the expiry when there is one.
    public static func queryPayload(contract: AccountId, input: [UInt8], expiresAtMs: UInt64? = nil) -> [UInt8] {
        SigningPayload.query(contract: contract.bytes, input: input, expiresAtMs: expiresAtMs)
    }

    /// Wall-clock milliseconds since the Unix epoch (for expiry checks, never inside a command).
    public static var nowMs: UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    static func replayedNonce(_ caller: AccountId, nonce: UInt64, last: UInt64) -> FatError {
        FatError(.replayedNonce, "nonce \(nonce) of \(caller) is not above its last logged nonce \(last): a replay, or a stale nonce")
    }

    // MARK: Reading

    /// The message model of the code a contract runs.
    public func metadata(of contract: AccountId) throws -> ContractMetadata {
        guard let state = snapshot.contracts[contract] else { throw FatError(.unknownContract, "no contract at \(contract)") }
        return try codes.code(state.codeHash).metadata
    }

    /// The prepared code stored under `hash`.
    public func code(_ hash: CodeHash) throws -> PreparedCode { try codes.code(hash) }

    /// Prepares (validates and loads) code without storing it; returns its hash and model.
    public func prepare(_ upload: CodeUpload) throws -> PreparedCode {
        try codes.prepare(kind: upload.kind, hash: Blake2b.hash256(upload.bytes), bytes: upload.bytes, metadata: upload.metadata)
    }

    public func logEntries(from seq: UInt64 = 1, limit: Int = .max) throws -> [(entry: LogEntry, receipt: Receipt?)] {
        try FatHost.wrapStore {
            try store.readLatest { reader in
                let receipts = Dictionary(uniqueKeysWithValues: try reader.receipts(from: seq, limit: limit).map { ($0.seq, $0.receipt) })
                return try reader.logEntries(from: seq, limit: limit).map { row in
                    (try LogEntry.decode(row.entry), try receipts[row.seq].map(Receipt.decode))
                }
            }
        }
    }

    /// The receipts from `seq` on, in order (at most `limit`).
    public func receipts(from seq: UInt64, limit: Int = .max) throws -> [Receipt] {
        try FatHost.wrapStore {
            try store.readLatest { reader in try reader.receipts(from: seq, limit: limit).map { try Receipt.decode($0.receipt) } }
        }
    }

    static func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw fatError(error) }
    }

    static func fatError(_ error: StoreError) -> FatError {
        switch error {
        case .corrupt, .tampered: FatError(.storeCorrupt, error.description)
        case .wrongMasterKey: FatError(.wrongMasterKey, error.description)
        default: FatError(.store, error.description)
        }
    }
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
