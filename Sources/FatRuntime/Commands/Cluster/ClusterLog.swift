import FatCrypto
import FatStore
import Foundation

/// The command log of a host in a cluster ordered by etcd: every host of the cluster appends
/// batches of commands to etcd and applies all of them in etcd's revision order, through the same
/// `BatchApplication` as a single host, so every host reaches the same state.
///
/// Three threads:
/// - the **proposer** takes the commands this host accepted, as many as fit in one batch, seals
///   them with the cluster's key and creates them in etcd (one transaction however many commands,
///   which is group commit carried over). The timestamp is decided here, once, and travels in the
///   batch.
/// - the **watcher** follows the prefix from the revision this host applied: etcd's watch, or,
///   when etcd has compacted that history, the keys themselves read in creation order (entries are
///   never overwritten or deleted, so compaction costs a host nothing it needs).
/// - the **applier** applies batches in revision order. What the machine decides while a batch
///   runs (native crashes, deadlines: `MachineOutcomes`) is decided once, by the first host to
///   create the batch's decision in etcd: the host that proposed it, or any host after
///   `takeoverAfter` if the proposer went away. Every other host applies the batch with those
///   outcomes and checks that it reached the same sequence number and the same results; a host
///   that does not stops applying rather than serve a different state.
///
/// A command is acknowledged once its batch and its decision are committed in etcd and the batch
/// is committed in this host's store: nothing acknowledged is lost whichever host or etcd member
/// fails afterwards. **Thread-safe.**
final class ClusterLog: CommandLog, @unchecked Sendable {
    static let maxBatch = 4096
    /// Batches one host has proposed and not yet applied, at most.
    static let batchesInFlight = 1
    let order: EtcdOrder
    let etcd: EtcdClient
    private let keys: ClusterKeys
    private let store: SealedStore
    private let applier: CommandApplier
    private let committed: CommittedState
    private let sealer: Sealer

    private let condition = NSCondition()
    /// Accepted here, not yet proposed.
    private var queue: [PendingCommand] = []
    /// Batches this host proposed, by id, with the commands waiting for their receipts.
    private var proposed: [[UInt8]: [PendingCommand]] = [:]
    /// Those of them whose decision is in etcd, committing here: no longer in the way of the next.
    private var decidedHere: Set<[UInt8]> = []
    /// Batches heard of and not yet applied, in revision order.
    private var inbox: [(revision: Int64, key: [UInt8], sealed: [UInt8])] = []
    /// Decisions heard of, by the revision of their batch.
    private var decisions: [Int64: [UInt8]] = [:]
    /// When the batch at the head of the inbox first waited for a decision.
    private var headWaiting: (revision: Int64, since: ContinuousClock.Instant)?
    private var seenRevision: Int64
    private var appliedRevision: Int64
    /// The newest revision this host created a batch at, and when: a watch that has not shown it
    /// after a while is restarted (a member cut off from its cluster keeps a stream open, silent).
    private var expected: (revision: Int64, since: ContinuousClock.Instant) = (0, .now)
    private var stopping = false
    private var threadsRunning = 0
    /// The last failure to reach etcd (cleared by the next success).
    private var lastFailure: String?
    /// Set when this host can no longer apply the cluster's order: it takes no more commands.
    private var halted: FatError?
    private var committedBatches = 0

    var batchesCommitted: Int { condition.withLock { committedBatches } }

    /// Joins the cluster: checks the store belongs to it, then applies what this host missed
    /// before returning (so a host serves only once caught up).
    init(order: EtcdOrder, store: SealedStore, applier: CommandApplier, committed: CommittedState) throws {
        self.order = order
        etcd = EtcdClient(endpoints: order.endpoints)
        keys = ClusterKeys(prefix: order.prefix)
        self.store = store
        self.applier = applier
        self.committed = committed
        sealer = try Sealer(key: store.derivedSecret("cluster-entries"))
        let position = try FatHost.wrapStore { try store.readOnWriterConnection { try $0.clusterPosition() } }
        if let position, position.prefix != order.prefix {
            throw FatError(
                .badArguments,
                "this data directory follows the cluster under etcd prefix `\(position.prefix)`, not `\(order.prefix)`: give --cluster-prefix \(position.prefix)"
            )
        }
        if position == nil, committed.current.seq > 0 {
            throw FatError(
                .badArguments,
                "this data directory holds \(committed.current.seq) commands logged by a single host; a cluster host starts from an empty data directory (or a copy of another host's)"
            )
        }
        appliedRevision = position?.revision ?? 0
        seenRevision = appliedRevision
        start("fat.cluster-watcher") { $0.watchLoop() }
        start("fat.cluster-applier") { $0.applyLoop() }
        start("fat.cluster-proposer") { $0.proposeLoop() }
        do {
            try catchUp(within: order.catchUpTimeout)
        } catch {
            close()
            throw error
        }
    }

    /// Returns once this host has applied every batch etcd held when it was called: it writes the
    /// barrier key, whose revision is etcd's newest, and waits until the watch has passed it and
    /// the batches before it are applied. For a host that starts, and for a check that failed
    /// because this host had not applied something yet (a contract another host just deployed).
    func catchUp(within timeout: Duration) throws {
        let barrier: Int64
        do { barrier = try etcd.put(key: keys.barrier, value: []) } catch {
            throw FatError(.orderUnavailable, "cannot reach the cluster's etcd: \(error)")
        }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        condition.lock()
        defer { condition.unlock() }
        while halted == nil, seenRevision < barrier || inbox.contains(where: { $0.revision <= barrier }) {
            if ContinuousClock.now >= deadline {
                let reason = lastFailure.map { " (\($0))" } ?? ""
                throw FatError(.orderUnavailable, "did not catch up with the cluster (etcd revision \(barrier)) in \(timeout)\(reason)")
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
        if let halted { throw halted }
    }

    private func start(_ name: String, _ body: @escaping @Sendable (ClusterLog) -> Void) {
        condition.withLock { threadsRunning += 1 }
        let thread = Thread { [self] in
            body(self)
            condition.withLock {
                threadsRunning -= 1
                condition.broadcast()
            }
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    var status: ClusterStatus {
        let totals = etcd.statistics.totals
        return condition.withLock {
            ClusterStatus(
                endpoints: order.endpoints, prefix: order.prefix, appliedRevision: appliedRevision, seenRevision: seenRevision,
                lagBatches: inbox.count, etcdCalls: totals.calls, etcdFailures: totals.failures, etcdSeconds: totals.seconds,
                problem: halted?.message ?? lastFailure)
        }
    }

    // MARK: CommandLog

    func append(_ batch: [PendingCommand]) {
        condition.lock()
        defer { condition.unlock() }
        if let halted { return batch.fail(halted) }
        guard !stopping else { return batch.fail(PendingCommand.shuttingDown) }
        queue += batch
        condition.broadcast()
    }

    /// Proposes what is queued, applies what this host proposed (or gives up on it after a
    /// while), then stops the threads.
    func close() {
        condition.lock()
        let deadline = ContinuousClock.now.advanced(by: order.takeoverAfter)
        while !queue.isEmpty || !proposed.isEmpty, halted == nil, threadsRunning == 3, ContinuousClock.now < deadline {
            _ = condition.wait(until: Date().addingTimeInterval(0.02))
        }
        stopping = true
        condition.broadcast()
        let abandoned = proposed.values.flatMap { $0 } + queue
        proposed = [:]
        queue = []
        while threadsRunning > 0 { _ = condition.wait(until: Date().addingTimeInterval(0.05)) }
        condition.unlock()
        abandoned.fail(FatError(.orderUnavailable, "the host stopped before the command's batch was applied; it may still be applied by the cluster"))
    }

    deinit { close() }

    // MARK: Proposer

    private func proposeLoop() {
        while true {
            condition.lock()
            // Group commit: while this host's batches are on their way, what arrives waits and
            // goes in the next batch, however many commands that is.
            while queue.isEmpty || proposed.count - decidedHere.count >= Self.batchesInFlight, !stopping {
                // etcd is failing and this host's last batch cannot move: refuse what waits behind
                // it at once (503, retry) rather than hold its callers until etcd returns.
                if !queue.isEmpty, let failure = lastFailure {
                    let refused = queue
                    queue = []
                    condition.unlock()
                    refused.fail(
                        FatError(
                            .orderUnavailable,
                            "the command could not be ordered: \(failure). Retry: a signed command is applied at most once (its nonce)"))
                    condition.lock()
                    continue
                }
                _ = condition.wait(until: Date().addingTimeInterval(0.1))
            }
            if stopping {
                condition.unlock()
                return
            }
            let taken = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(taken.count)
            condition.unlock()
            propose(taken)
        }
    }

    /// Creates `pending` in etcd as one or more batches, each within `maxBatchBytes`.
    private func propose(_ pending: [PendingCommand]) {
        var batch: [(command: PendingCommand, entry: [UInt8])] = []
        var bytes = 0
        for command in pending {
            let entry = ClusterBatch.entry(command.command)
            if entry.count > order.maxBatchBytes {
                command.completion(
                    .failure(
                        FatError(
                            .badArguments,
                            "the command is \(entry.count) bytes as a cluster entry; a cluster orders commands of at most \(order.maxBatchBytes) bytes"
                        )))
                continue
            }
            if bytes + entry.count > order.maxBatchBytes, !batch.isEmpty {
                send(batch)
                batch = []
                bytes = 0
            }
            batch.append((command, entry))
            bytes += entry.count + 8
        }
        if !batch.isEmpty { send(batch) }
    }

    private func send(_ batch: [(command: PendingCommand, entry: [UInt8])]) {
        let id = SecureRandom.bytes(16)
        let pending = batch.map(\.command)
        let key = keys.batch(id)
        let sealed = sealer.seal(ClusterBatch.encoded(id: id, timestampMs: FatHost.nowMs, entries: batch.map(\.entry)), binding: key)
        condition.withLock { proposed[id] = pending }
        do {
            // Created or already there (a retry after an answer that was lost): in the order.
            let (created, revision) = try etcd.createIfAbsent(key: key, value: sealed)
            condition.withLock {
                lastFailure = nil
                if created, revision > expected.revision { expected = (revision, .now) }
            }
        } catch {
            let waiting = condition.withLock {
                lastFailure = "\(error)"
                return proposed.removeValue(forKey: id)
            }
            (waiting ?? []).fail(
                FatError(.orderUnavailable, "the command could not be ordered: \(error). Retry: a signed command is applied at most once (its nonce)")
            )
        }
    }

    // MARK: Watcher

    private func watchLoop() {
        var backoff = 0.05
        while !condition.withLock({ stopping }) {
            let from = condition.withLock { () -> Int64 in
                if expected.revision > seenRevision { expected.since = .now }
                return seenRevision + 1
            }
            do {
                try etcd.watch(from: keys.prefix, to: keys.end, startRevision: from, shouldStop: watchShouldStop, deliver: receive)
                backoff = 0.05
            } catch EtcdError.compacted {
                // etcd forgot the history from `from`: read the keys themselves instead.
                do {
                    try catchUpByRange()
                    backoff = 0.05
                } catch {
                    noteFailure(error, backoff: &backoff)
                }
            } catch {
                noteFailure(error, backoff: &backoff)
            }
        }
    }

    /// Whether the watch should end: the log is closing, or the watch has not shown a batch this
    /// host created two seconds ago (the member it follows may be cut off; another may answer).
    @Sendable private func watchShouldStop() -> Bool {
        condition.withLock { stopping || (expected.revision > seenRevision && ContinuousClock.now - expected.since > .seconds(2)) }
    }

    private func noteFailure(_ error: Error, backoff: inout Double) {
        condition.withLock { lastFailure = "\(error)" }
        Thread.sleep(forTimeInterval: backoff)
        backoff = min(backoff * 2, 1)
    }

    /// Reads every key under the prefix created after the last one heard of, in creation order,
    /// as of one revision; the watch then resumes after that revision.
    private func catchUpByRange() throws {
        var after = condition.withLock { seenRevision }
        var at: Int64 = 0
        while !condition.withLock({ stopping }) {
            let (page, revision) = try etcd.range(from: keys.prefix, to: keys.end, createdAfter: after, limit: 512, at: at)
            at = revision
            // Read in creation order, the barrier (created long ago, rewritten since) is out of
            // place: the batches and decisions are created once, so their order is revision order.
            receive(page.filter { $0.key.starts(with: keys.logPrefix) || $0.key.starts(with: keys.decisionPrefix) })
            guard let last = page.last, page.count == 512 else { break }
            after = last.createRevision
        }
        condition.withLock {
            seenRevision = max(seenRevision, at)
            condition.broadcast()
        }
    }

    /// Takes what the watch or a range read delivered (an empty list: the stream is alive).
    private func receive(_ changes: [EtcdClient.KeyValue]) {
        condition.lock()
        defer { condition.unlock() }
        if halted == nil { lastFailure = nil }
        for change in changes where change.modRevision > seenRevision {
            seenRevision = change.modRevision
            if change.key.starts(with: keys.logPrefix) {
                // A batch key is created once; anything else under it is not this cluster's doing.
                guard change.version == 1 else { continue }
                inbox.append((change.modRevision, change.key, change.value))
            } else if let revision = keys.decisionRevision(change.key), revision > appliedRevision {
                decisions[revision] = change.value
            }
        }
        condition.broadcast()
    }

    // MARK: Applier

    private func applyLoop() {
        while true {
            condition.lock()
            while inbox.isEmpty, !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            // The decided batches at the head, applied together (one store transaction: a host
            // that catches up is not bound by one fsync per batch), and the batch after them if
            // this host proposed it and nobody decided it yet.
            var run: [(revision: Int64, key: [UInt8], sealed: [UInt8], decision: [UInt8])] = []
            for entry in inbox {
                guard let decision = decisions[entry.revision], run.count < 64 else { break }
                run.append((entry.revision, entry.key, entry.sealed, decision))
            }
            let next = run.count < inbox.count ? inbox[run.count] : nil
            condition.unlock()

            var decided: [(revision: Int64, batch: ClusterBatch, sealedDecision: [UInt8])] = []
            for entry in run {
                guard let batch = open(entry.revision, entry.key, entry.sealed) else { return }
                decided.append((entry.revision, batch, entry.decision))
            }
            var deciding: (revision: Int64, batch: ClusterBatch)?
            if let next, run.count < 64 {
                guard let batch = open(next.revision, next.key, next.sealed) else { return }
                condition.lock()
                let mine = proposed[batch.id] != nil
                if run.isEmpty, headWaiting?.revision != next.revision { headWaiting = (next.revision, .now) }
                let waited = run.isEmpty ? ContinuousClock.now - headWaiting!.since : .zero
                let undecided = decisions[next.revision] == nil
                if undecided, mine || waited >= order.takeoverAfter {
                    deciding = (next.revision, batch)
                } else if run.isEmpty, undecided {
                    // Wait for its proposer's decision (or the takeover time).
                    _ = condition.wait(until: Date().addingTimeInterval(min(0.05, (order.takeoverAfter - waited).seconds)))
                }
                condition.unlock()
            }
            if !decided.isEmpty || deciding != nil { apply(decided, deciding: deciding) }
        }
    }

    /// The batch in a sealed entry; nil (and the host halted) when it does not open.
    private func open(_ revision: Int64, _ key: [UInt8], _ sealed: [UInt8]) -> ClusterBatch? {
        do {
            return try ClusterBatch.decode(try sealer.open(sealed, binding: key, what: "the cluster entry at etcd revision \(revision)"))
        } catch {
            halt(
                FatError(
                    .storeCorrupt,
                    "the cluster entry at etcd revision \(revision) does not open with this host's master key (every host of a cluster needs the same --master-key), or was altered in etcd: \(error)"
                ))
            return nil
        }
    }

    private func ordered(_ batch: ClusterBatch, outcomes: [MachineOutcomes?]) -> [OrderedCommand] {
        batch.commands.enumerated().map { index, command in
            OrderedCommand(
                command: command, timestampMs: batch.timestampMs, fixedSeq: nil,
                machineOutcomes: (index < outcomes.count ? outcomes[index] : nil) ?? MachineOutcomes())
        }
    }

    private struct DecidedElsewhere: Error {
        let revision: Int64
    }

    /// Applies, in one store transaction: the decided batches of `run`, each as its decision says
    /// (checking this host reaches the same result), then `deciding`, a batch nobody has decided
    /// yet, whose decision it creates in etcd before committing. It commits only if etcd keeps
    /// this host's decision; so the next host can go on as soon as the decision is in etcd,
    /// without waiting for this host's fsync.
    private func apply(_ run: [(revision: Int64, batch: ClusterBatch, sealedDecision: [UInt8])], deciding: (revision: Int64, batch: ClusterBatch)?) {
        do {
            let results = try committed.write { writer, start -> ([BatchResult], WorldState) in
                var world = start
                var results: [BatchResult] = []
                for (revision, batch, sealed) in run {
                    let key = keys.decision(revision)
                    let decision = try ClusterDecision.decode(
                        try sealer.open(sealed, binding: key, what: "the decision at etcd revision \(revision)"))
                    let result = try BatchApplication.apply(ordered(batch, outcomes: decision.outcomes), to: world, applier: applier, writer: writer)
                    let mine = ClusterDecision(result)
                    guard mine.seqAfter == decision.seqAfter, mine.digest == decision.digest else {
                        throw FatError(
                            .verifyFailed,
                            "this host's result for the cluster's batch at etcd revision \(revision) differs from the cluster's (sequence \(mine.seqAfter), the cluster's \(decision.seqAfter)); it stopped applying. Check it with `fat verify`, and restore its data directory from another host"
                        )
                    }
                    world = result.world
                    results.append(result)
                }
                if let (revision, batch) = deciding {
                    let result = try BatchApplication.apply(ordered(batch, outcomes: []), to: world, applier: applier, writer: writer)
                    try writer.setClusterPosition(prefix: order.prefix, revision: revision)
                    let key = keys.decision(revision)
                    let (created, _) = try etcd.createIfAbsent(key: key, value: sealer.seal(ClusterDecision(result).encoded(), binding: key))
                    guard created else { throw DecidedElsewhere(revision: revision) }
                    // The next batch may go to etcd while this one commits here.
                    condition.withLock {
                        decidedHere.insert(batch.id)
                        condition.broadcast()
                    }
                    world = result.world
                    results.append(result)
                } else if let last = run.last {
                    try writer.setClusterPosition(prefix: order.prefix, revision: last.revision)
                }
                return (results, world)
            }
            if deciding != nil { condition.withLock { lastFailure = nil } }
            let batches = run.map { ($0.revision, $0.batch) } + (deciding.map { [$0] } ?? [])
            for ((revision, batch), result) in zip(batches, results) { finish(revision, batch, result) }
        } catch let elsewhere as DecidedElsewhere {
            // Another host decided first (or an earlier attempt of ours did): apply its decision.
            if let existing = try? etcd.get(keys.decision(elsewhere.revision)) {
                condition.withLock { decisions[elsewhere.revision] = existing.value }
            }
        } catch let error as EtcdError {
            condition.withLock { lastFailure = "\(error)" }
            Thread.sleep(forTimeInterval: 0.1)
        } catch {
            halt(FatError(wrapping: error))
        }
    }

    private func finish(_ revision: Int64, _ batch: ClusterBatch, _ result: BatchResult) {
        applier.dispatcher.capabilities.apply(result.cacheOperations)
        let waiting = condition.withLock { () -> [PendingCommand]? in
            inbox.removeFirst()
            appliedRevision = revision
            decisions.removeValue(forKey: revision)
            headWaiting = nil
            committedBatches += 1
            decidedHere.remove(batch.id)
            condition.broadcast()
            return proposed.removeValue(forKey: batch.id)
        }
        for (pending, result) in zip(waiting ?? [], result.results) { pending.completion(result) }
    }

    /// Stops taking and applying commands: this host cannot follow the cluster's order.
    private func halt(_ error: FatError) {
        let waiting = condition.withLock { () -> [PendingCommand] in
            halted = error
            stopping = true
            condition.broadcast()
            defer {
                proposed = [:]
                decidedHere = []
                queue = []
            }
            return proposed.values.flatMap { $0 } + queue
        }
        waiting.fail(error)
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
