import FatCodec
import FatCrypto
import FatStore
import FatTesting
import Foundation
import Testing

@testable import FatRuntime

/// The cluster log's rules, with hosts in this process and a real etcd: who decides a batch, that
/// every host applies the decision rather than its own machine's, and that a host whose result
/// differs stops rather than serve another state.
@Suite("Cluster log (etcd)", .serialized, .enabled(if: EtcdProcesses.available, "etcd is not installed (apt-get install etcd-server)"))
struct ClusterLogTests {
    /// One etcd, one master key, a fresh prefix: hosts of one cluster.
    final class Cluster {
        let etcd: EtcdProcesses
        let directory = TemporaryDirectory()
        let prefix = "/unit-\(UUID().uuidString.prefix(8))/"

        init() throws {
            etcd = try EtcdProcesses(count: 1)
            FileManager.default.createFile(atPath: masterKey, contents: Data(SecureRandom.bytes(32)), attributes: [.posixPermissions: 0o600])
        }

        deinit { directory.remove() }

        var masterKey: String { directory.path + "/master.key" }

        func order(takeover: Duration = .seconds(3)) -> EtcdOrder {
            var order = EtcdOrder(endpoints: ["127.0.0.1:\(etcd.members[0].clientPort)"], prefix: prefix)
            order.takeoverAfter = takeover
            return order
        }

        func host(_ name: String, takeover: Duration = .seconds(3)) throws -> FatHost {
            try FatHost(dataDirectory: directory.path + "/" + name, masterKeyPath: masterKey, order: .etcd(order(takeover: takeover)))
        }

        /// Creates a batch in etcd as a host would, without deciding it: a proposer that died.
        func propose(_ commands: [Command], sealedBy host: FatHost, timestampMs: UInt64 = FatHost.nowMs) throws -> Int64 {
            let batch = ClusterBatch(id: SecureRandom.bytes(16), timestampMs: timestampMs, commands: commands)
            let keys = ClusterKeys(prefix: prefix)
            let key = keys.batch(batch.id)
            let sealer = try Sealer(key: host.store.derivedSecret("cluster-entries"))
            return try EtcdClient(endpoints: order().endpoints).createIfAbsent(key: key, value: sealer.seal(batch.encoded(), binding: key)).revision
        }

        /// Creates the decision on the batch at `revision`.
        func decide(_ revision: Int64, _ decision: ClusterDecision, sealedBy host: FatHost) throws {
            let key = ClusterKeys(prefix: prefix).decision(revision)
            let sealer = try Sealer(key: host.store.derivedSecret("cluster-entries"))
            _ = try EtcdClient(endpoints: order().endpoints).createIfAbsent(key: key, value: sealer.seal(decision.encoded(), binding: key))
        }
    }

    static func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    static func counter(_ host: FatHost) throws -> AccountId {
        let (address, receipt) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
        try #require(receipt.outcome == .success, "\(receipt.outcome)")
        return address
    }

    static func increment(_ host: FatHost, _ counter: AccountId) throws -> Command {
        let spec = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
        return TestAccount.alice.signed(
            Command(caller: TestAccount.alice.account, action: .call(contract: counter, input: spec.selector + le32(1))), for: host)
    }

    @Test func aBatchWhoseProposerWentAwayIsDecidedByAnotherHostAfterTheTakeoverTime() throws {
        let cluster = try Cluster()
        let host = try cluster.host("a", takeover: .milliseconds(400))
        defer { host.close() }
        let counter = try Self.counter(host)
        let started = ContinuousClock.now
        let revision = try cluster.propose([try Self.increment(host, counter)], sealedBy: host)
        #expect(Self.waitUntil { host.snapshot.seq == 2 }, "the orphaned batch was never applied")
        #expect(ContinuousClock.now - started >= .milliseconds(400), "the host did not give the proposer its time")
        let decision = try #require(try EtcdClient(endpoints: cluster.order().endpoints).get(ClusterKeys(prefix: cluster.prefix).decision(revision)))
        #expect(!decision.value.isEmpty)
        #expect(try u64(host.ask(counter, "get").output) == 1)
        #expect(host.cluster?.appliedRevision == revision)
    }

    /// The decision's machine outcomes are applied as they are: the increment below would succeed
    /// on this machine, but the decision says its native call crashed where it was decided.
    @Test func everyHostAppliesTheMachineOutcomesOfTheDecision() throws {
        let cluster = try Cluster()
        let host = try cluster.host("a", takeover: .seconds(60))
        defer { host.close() }
        let counter = try Self.counter(host)
        let command = try Self.increment(host, counter)
        let timestamp = FatHost.nowMs + 1
        let crashed = MachineOutcomes(recorded: [0: FatError(.contractCrashed, "the worker died where this batch was decided")])

        // What the batch gives with that outcome, computed by a single host replaying the same log.
        let scratchDirectory = TemporaryDirectory()
        defer { scratchDirectory.remove() }
        let scratch = try FatHost(dataDirectory: scratchDirectory.path, masterKeyPath: cluster.masterKey)
        for (entry, _) in try host.logEntries() { _ = try scratch.submitReplay(entry) }
        let expected = try scratch.submitReplay(LogEntry(seq: 2, timestampMs: timestamp, command: command, machineOutcomes: crashed))
        scratch.close()
        #expect(!expected.outcome.isSuccess)
        let decision = ClusterDecision(seqAfter: 2, results: [.success(expected)], outcomes: [crashed])
        let revision = try cluster.propose([command], sealedBy: host, timestampMs: timestamp)
        try cluster.decide(revision, decision, sealedBy: host)
        #expect(Self.waitUntil { host.snapshot.seq == 2 })
        let receipt = try #require(try host.logEntries(from: 2).first?.receipt)
        #expect(receipt.outcome == .failed(FatError(.contractCrashed, "the worker died where this batch was decided")))
        #expect(try u64(host.ask(counter, "get").output) == 0)
        let logged = try #require(try host.logEntries(from: 2).first?.entry)
        #expect(logged.machineOutcomes == crashed)
        #expect(host.cluster?.problem == nil)
    }

    /// A decision this host's result does not match (a different sequence number here) stops the
    /// host: it applies nothing more and takes no command, naming why.
    @Test func aHostWhoseResultDiffersFromTheDecisionStops() throws {
        let cluster = try Cluster()
        let host = try cluster.host("a", takeover: .seconds(60))
        defer { host.close() }
        let counter = try Self.counter(host)
        let command = try Self.increment(host, counter)
        let decision = ClusterDecision(seqAfter: 7, results: [], outcomes: [nil])
        let revision = try cluster.propose([command], sealedBy: host)
        try cluster.decide(revision, decision, sealedBy: host)
        #expect(Self.waitUntil { host.cluster?.problem != nil })
        #expect(host.cluster?.problem?.contains("differs from the cluster's") == true, "\(host.cluster?.problem ?? "")")
        #expect(host.snapshot.seq == 1)
        #expect(throws: FatError.self) { try host.submit(try Self.increment(host, counter)) }
    }

    /// An entry that does not open (another master key, or altered in etcd) is refused, named.
    @Test func anEntryThatDoesNotOpenStopsTheHostThatReadsIt() throws {
        let cluster = try Cluster()
        let host = try cluster.host("a")
        let counter = try Self.counter(host)
        let key = ClusterKeys(prefix: cluster.prefix).batch(SecureRandom.bytes(16))
        _ = try EtcdClient(endpoints: cluster.order().endpoints).createIfAbsent(key: key, value: SecureRandom.bytes(64))
        #expect(Self.waitUntil { host.cluster?.problem != nil })
        #expect(host.cluster?.problem?.contains("does not open with this host's master key") == true, "\(host.cluster?.problem ?? "")")
        host.close()
        // Restarting does not get past it either: the host refuses to start, saying why.
        #expect(throws: FatError.self) { _ = try cluster.host("a") }
        _ = counter
    }

    @Test func entriesRoundTrip() throws {
        let command = Command(caller: TestAccount.bob.account, action: .call(contract: TestAccount.alice.account, input: [1, 2, 3, 4]), nonce: 9)
        let batch = ClusterBatch(id: [UInt8](repeating: 7, count: 16), timestampMs: 42, commands: [command, command])
        let decoded = try ClusterBatch.decode(batch.encoded())
        #expect(decoded.id == batch.id && decoded.timestampMs == 42 && decoded.commands.count == 2)
        #expect(decoded.commands[1].nonce == 9)
        let decision = ClusterDecision(
            seqAfter: 0, results: [.failure(FatError(.replayedNonce, "x"))],
            outcomes: [nil, MachineOutcomes(recorded: [3: FatError(.deadlineExceeded, "late")])])
        #expect(try ClusterDecision.decode(decision.encoded()) == decision)
        // Truncations are errors, never traps.
        let bytes = batch.encoded()
        for length in 0 ..< bytes.count { #expect(throws: (any Error).self) { _ = try ClusterBatch.decode(Array(bytes.prefix(length))) } }
        let keys = ClusterKeys(prefix: "/a/")
        #expect(keys.decisionRevision(keys.decision(123)) == 123)
        #expect(keys.end == Array("/a0".utf8))
    }
}
