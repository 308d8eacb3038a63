import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import FatWire
import Foundation
import Synchronization
import Testing

/// Several `fat serve` hosts ordered by a real etcd (`--order etcd://…`): one order, one state,
/// whichever host a command reaches and whichever host or etcd member fails.
@Suite(
    "fat serve --order etcd: a cluster of hosts", .serialized,
    .enabled(if: EtcdProcesses.available, "etcd is not installed (apt-get install etcd-server)"))
struct ClusterTests {
    /// A cluster's hosts: one master key file, one prefix, each its own data directory.
    final class Hosts: @unchecked Sendable {
        let etcd: EtcdProcesses
        let root: String
        let prefix = "/test-\(UUID().uuidString.prefix(8))/"
        var servers: [ServeProcess?]

        init(_ count: Int, etcd: EtcdProcesses) throws {
            self.etcd = etcd
            root = FileManager.default.temporaryDirectory.appendingPathComponent("fat-cluster-\(UUID().uuidString)").path
            TemporaryDirectories.register(root)
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            servers = Array(repeating: nil, count: count)
            try #require(
                FileManager.default.createFile(atPath: masterKey, contents: Data(SecureRandom.bytes(32)), attributes: [.posixPermissions: 0o600]))
            for index in 0 ..< count { try start(index) }
        }

        var masterKey: String { root + "/master.key" }
        func data(_ index: Int) -> String { root + "/host\(index)" }
        var arguments: [String] {
            ["--master-key", masterKey, "--order", etcd.orderURL, "--cluster-prefix", prefix, "--cluster-takeover-ms", "1000"]
        }

        func start(_ index: Int) throws { servers[index] = try ServeProcess(data: data(index), arguments: arguments) }

        func kill(_ index: Int) {
            guard let server = servers[index] else { return }
            Foundation.kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            servers[index] = nil
        }

        func stopAll() {
            for case let server? in servers {
                server.process.terminate()
                server.process.waitUntilExit()
            }
            servers = servers.map { _ in nil }
        }

        deinit { stopAll() }

        func server(_ index: Int) throws -> ServeProcess { try #require(servers[index]) }

        /// Every running host's `(seq, state_root)` once they agree on it, or an error saying how they differ.
        func converged(atLeast seq: UInt64, timeout: Duration = .seconds(30)) throws -> (seq: UInt64, root: String) {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            var last: [String] = []
            while ContinuousClock.now < deadline {
                let infos = try servers.compactMap { $0 }.map { try $0.client().info() }
                last = infos.map { "#\($0.seq) \($0.stateRoot) \($0.cluster.map { "\($0)" } ?? "")" }
                if let first = infos.first, first.seq >= seq, infos.allSatisfy({ $0.seq == first.seq && $0.stateRoot == first.stateRoot }) {
                    return (first.seq, first.stateRoot.description)
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw MissingTestInput("the hosts did not converge on a state at or past #\(seq): \(last)")
        }

        /// Opens a host's data directory (read side only: it belongs to the cluster).
        func open(_ index: Int) throws -> FatHost { try FatHost(dataDirectory: data(index), masterKeyPath: masterKey, create: false) }
    }

    /// Sends increments from `clients` threads, client i to host i mod n, retrying a command
    /// the cluster could not order (503) with a new nonce, until `stop` says so. A client whose
    /// host went away moves to the next host.
    static func burst(_ hosts: Hosts, counter: String, clients: Int, stop: @escaping @Sendable (Int) -> Bool) async throws -> Burst {
        let first = try hosts.server(0)
        let input = try await blocking { try first.client().encode(counter, message: "increment", args: .array([.number("1")])) }
        let genesis = first.genesis
        let acknowledged = Acknowledgements()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0 ..< clients {
                group.addTask {
                    let signer = try key(UInt8(40 + index))
                    try await blocking {
                        var target = index % hosts.servers.count
                        var failures = 0
                        while !stop(acknowledged.count) {
                            guard failures < 200 else {
                                acknowledged.end("gave up after \(failures) failures")
                                return
                            }
                            guard let server = hosts.servers[target] else {
                                target = (target + 1) % hosts.servers.count
                                continue
                            }
                            var command = SignedCommand(
                                genesis: genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input), nonce: Nonces.next(),
                                expiresAtMs: FatHost.nowMs + 60_000)
                            command.sign(with: signer)
                            do {
                                let answer = try server.client().submit(command).json
                                guard answer["ok"] == .bool(true), let seq = answer["seq"].flatMap({ UInt64($0.serialized()) }) else {
                                    acknowledged.end("answered \(answer.serialized())")
                                    return
                                }
                                acknowledged.add(Acknowledged(seq: seq, caller: signer.publicKey, nonce: command.nonce))
                            } catch {
                                failures += 1
                                if let refusal = serverError(error), refusal.status != 503 {
                                    acknowledged.end("refused: \(error)")
                                    return
                                }
                                // 503 (etcd unreachable for now), or the host is gone: try again, maybe elsewhere.
                                if serverError(error) == nil { target = (target + 1) % hosts.servers.count }
                                Thread.sleep(forTimeInterval: 0.05)
                            }
                        }
                        acknowledged.end("told to stop")
                    }
                }
            }
            try await group.waitForAll()
        }
        return Burst(counter: counter, acknowledged: acknowledged.all, endings: acknowledged.endings)
    }

    /// On every host: each acknowledged command is in the log at its sequence number, the logs
    /// hold the same command at each sequence number, the counter counts the log, and a query
    /// asking for the last acknowledged command (`min_seq`) sees it.
    static func check(_ hosts: Hosts, _ burst: Burst, seq: UInt64) async throws {
        var logs: [[UInt64: (caller: [UInt8], nonce: UInt64?)]] = []
        for index in hosts.servers.indices {
            let host = try hosts.open(index)
            defer { host.close() }
            let entries = try host.logEntries()
            #expect(entries.count == Int(seq), "host \(index) has \(entries.count) log entries, not \(seq)")
            logs.append(Dictionary(uniqueKeysWithValues: entries.map { ($0.entry.seq, ($0.entry.command.caller.bytes, $0.entry.command.nonce)) }))
        }
        for ack in burst.acknowledged {
            for (index, log) in logs.enumerated() {
                let logged = log[ack.seq]
                #expect(logged?.caller == ack.caller && logged?.nonce == ack.nonce, "acknowledged command #\(ack.seq) is not in host \(index)'s log")
            }
        }
        for seq in logs[0].keys {
            #expect(
                logs.allSatisfy { $0[seq]?.caller == logs[0][seq]?.caller && $0[seq]?.nonce == logs[0][seq]?.nonce },
                "the hosts logged different commands at #\(seq)")
        }
        let last = burst.acknowledged.map(\.seq).max() ?? seq
        for case let server? in hosts.servers {
            let answer = try await blocking {
                try server.client().query(
                    SignedQuery(
                        genesis: server.genesis, contract: [UInt8](hex: burst.counter)!,
                        input: try server.client().encode(burst.counter, message: "get", args: .array([])), expiresAtMs: FatHost.nowMs + 30_000,
                        minSeq: last)
                ).json
            }
            #expect(answer["output"] == .number(String(seq - 1)), "a host answered \(answer.serialized()) after #\(seq)")
        }
    }

    @Test func threeHostsReachOneStateAndAKilledHostCatchesUp() async throws {
        let etcd = try EtcdProcesses(count: 1)
        let hosts = try Hosts(3, etcd: etcd)
        let counter = try await LifecycleTests.deployCounter(try hosts.server(1))
        _ = try hosts.converged(atLeast: 1)
        let killed = Atomic<Bool>(false)
        let burst = try await Self.burst(hosts, counter: counter, clients: 6) { count in
            if count >= 100, !killed.exchange(true, ordering: .relaxed) { hosts.kill(2) }
            return count >= 300
        }
        #expect(burst.acknowledged.count >= 300)
        #expect(burst.endings.allSatisfy { $0 == "told to stop" }, "\(burst.endings)")
        // The killed host starts again, catches up with what it missed, then serves.
        try hosts.start(2)
        let (seq, _) = try hosts.converged(atLeast: burst.acknowledged.map(\.seq).max()!)
        try await Self.check(hosts, burst, seq: seq)
        // `fat verify` on a host's data directory replays its log to the same root.
        hosts.stopAll()
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: try Products.executable("fat"))
        verify.arguments = ["verify", "--data", hosts.data(2), "--master-key", hosts.masterKey, "--json"]
        verify.standardOutput = FileHandle.nullDevice
        try verify.run()
        verify.waitUntilExit()
        #expect(verify.terminationStatus == 0)
    }

    @Test func killingTheEtcdLeaderLosesNoAcknowledgedCommand() async throws {
        let etcd = try EtcdProcesses(count: 3)
        let hosts = try Hosts(3, etcd: etcd)
        let counter = try await LifecycleTests.deployCounter(try hosts.server(0))
        let killed = Atomic<Int>(-1)
        let burst = try await Self.burst(hosts, counter: counter, clients: 6) { count in
            if count >= 100, killed.load(ordering: .relaxed) == -1, let leader = etcd.leader() {
                if killed.compareExchange(expected: -1, desired: leader, ordering: .relaxed).exchanged { etcd.kill(leader) }
            }
            return count >= 300
        }
        #expect(killed.load(ordering: .relaxed) >= 0)
        #expect(burst.endings.allSatisfy { $0 == "told to stop" }, "\(burst.endings)")
        let (seq, _) = try hosts.converged(atLeast: burst.acknowledged.map(\.seq).max()!)
        try await Self.check(hosts, burst, seq: seq)
    }

    @Test func etcdDownThenUp() async throws {
        let etcd = try EtcdProcesses(count: 1)
        let hosts = try Hosts(2, etcd: etcd)
        let server = try hosts.server(0)
        let counter = try await LifecycleTests.deployCounter(server)
        _ = try hosts.converged(atLeast: 1)
        etcd.kill(0)
        let input = try await blocking { try server.client().encode(counter, message: "increment", args: .array([.number("1")])) }
        let signer = try key(60)
        @Sendable func send(_ server: ServeProcess) throws -> JSONValue {
            var command = SignedCommand(
                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input), nonce: Nonces.next(),
                expiresAtMs: FatHost.nowMs + 60_000)
            command.sign(with: signer)
            return try server.client().submit(command).json
        }
        // A command: 503 with Retry-After, naming etcd.
        let response = try await blocking {
            var command = SignedCommand(
                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input), nonce: Nonces.next(),
                expiresAtMs: FatHost.nowMs + 60_000)
            command.sign(with: signer)
            return try server.client().send(
                HTTPRequest(
                    method: "POST", path: "/v1/commands", headers: [("Content-Type", "application/json")],
                    body: Array(command.json.serialized().utf8)))
        }
        #expect(response.status == 503)
        #expect(response.headers.contains { $0.0.lowercased() == "retry-after" })
        let refusal = try JSONValue.parse(response.body)
        #expect(refusal["error"]?["code"]?.stringValue == "order_unavailable")
        #expect(refusal["error"]?["message"]?.stringValue?.contains("etcd") == true)
        // Queries go on, on both hosts.
        for case let host? in hosts.servers {
            let answer = try await blocking {
                try host.client().query(
                    SignedQuery(
                        genesis: host.genesis, contract: [UInt8](hex: counter)!,
                        input: try host.client().encode(counter, message: "get", args: .array([])), expiresAtMs: FatHost.nowMs + 30_000)
                ).json
            }
            #expect(answer["output"] == .number("0"))
            let info = try await blocking { try host.client().info() }
            #expect(info.cluster?.problem?.contains("etcd") == true, "\(info.json.serialized())")
        }
        // etcd returns: the hosts take commands again by themselves.
        try etcd.start(0)
        try etcd.waitForLeader()
        let accepted = try await blocking { () -> JSONValue? in
            for _ in 0 ..< 100 {
                if let answer = try? send(server) { return answer }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return nil
        }
        #expect(accepted?["ok"] == .bool(true))
        let (seq, _) = try hosts.converged(atLeast: 2)
        #expect(seq == 2)
        let info = try await blocking { try hosts.server(1).client().info() }
        #expect(info.cluster?.problem == nil)
    }

    /// etcd compacts its history; a host that was down catches up all the same, from the keys.
    @Test func aHostCatchesUpAfterEtcdCompactedItsHistory() async throws {
        let etcd = try EtcdProcesses(count: 1)
        let hosts = try Hosts(2, etcd: etcd)
        let counter = try await LifecycleTests.deployCounter(try hosts.server(0))
        hosts.kill(1)
        let burst = try await Self.burst(hosts, counter: counter, clients: 2) { $0 >= 40 }
        try etcd.compactAll()
        try hosts.start(1)
        let (seq, _) = try hosts.converged(atLeast: burst.acknowledged.map(\.seq).max()!)
        #expect(seq == UInt64(burst.acknowledged.count) + 1)
        try await Self.check(hosts, burst, seq: seq)
    }

    /// What cannot join a cluster says why, and writes nothing.
    @Test func refusals() async throws {
        let etcd = try EtcdProcesses(count: 1)
        let hosts = try Hosts(1, etcd: etcd)
        let counter = try await LifecycleTests.deployCounter(try hosts.server(0))

        // A host with another master key cannot open the cluster's entries.
        let stranger = FileManager.default.temporaryDirectory.appendingPathComponent("fat-stranger-\(UUID().uuidString)").path
        TemporaryDirectories.register(stranger)
        let strangerRun = try Self.serveFails(data: stranger, arguments: ["--order", etcd.orderURL, "--cluster-prefix", hosts.prefix])
        #expect(strangerRun.contains("master key"), "\(strangerRun)")

        // A data directory with commands of its own (a single host) cannot join.
        let single = FileManager.default.temporaryDirectory.appendingPathComponent("fat-single-\(UUID().uuidString)").path
        TemporaryDirectories.register(single)
        let alone = try ServeProcess(data: single)
        _ = try await LifecycleTests.deployCounter(alone)
        alone.process.terminate()
        alone.process.waitUntilExit()
        let singleRun = try Self.serveFails(data: single, arguments: ["--order", etcd.orderURL, "--cluster-prefix", "/other/"])
        #expect(singleRun.contains("single host"), "\(singleRun)")

        // A cluster host's data directory takes no command from the CLI: it would fork the state.
        let host = try hosts.open(0)
        defer { host.close() }
        #expect(throws: FatError.self) {
            try host.submit(
                Command(caller: AccountId([UInt8](repeating: 1, count: 32))!, action: .call(contract: AccountId(hex: counter)!, input: [0, 0, 0, 0])))
        }
        // A query with `min_seq` beyond what the cluster applied waits, then says so.
        let server = try hosts.server(0)
        do {
            var query = SignedQuery(
                genesis: server.genesis, contract: [UInt8](hex: counter)!,
                input: try server.client().encode(counter, message: "get", args: .array([])), expiresAtMs: FatHost.nowMs + 30_000, minSeq: 1000)
            query.minSeq = 1000
            let body = query.json(signedBy: nil as ClientKey?)
            var fields: [(String, JSONValue)] = []
            if case let .object(existing) = body { fields = existing }
            fields.append(("timeout_ms", .number("300")))
            let sent = JSONValue.object(fields)
            _ = try await blocking { try server.client().call("POST", "/v1/queries", body: sent) }
            Issue.record("a query past the applied state was answered")
        } catch {
            let refusal = try #require(serverError(error))
            #expect(refusal.status == 409 && refusal.code == "not_yet_applied", "\(error)")
        }
    }

    /// Runs `fat serve` expecting it to refuse to start; answers what it printed.
    static func serveFails(data: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Products.executable("fat"))
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "fat serve started: \(text)")
        return text
    }
}
