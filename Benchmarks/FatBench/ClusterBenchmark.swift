import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import Foundation
import Glibc
import Synchronization

/// Three `fat serve --order etcd://…` hosts and one etcd member (Debian's etcd, on loopback, its
/// data in a temporary directory), under load from this process: commands sent round-robin to the
/// three hosts. Baselines measured in the same run: the raw etcd transaction rate at the batch
/// size the cluster reached (what etcd alone could carry), one single-host `fat serve` under the
/// same load, and, for catch-up, the cluster's own live rate.
func benchCluster() throws {
    let etcd = try EtcdMember()
    defer { etcd.stop() }
    let root = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let masterKey = root + "/master.key"
    FileManager.default.createFile(atPath: masterKey, contents: Data(SecureRandom.bytes(32)), attributes: [.posixPermissions: 0o600])
    let prefix = "/bench/"
    let hostArguments = [
        "--operator", "0x" + deployer.publicKey.hexString, "--native-isolation", "in-process", "--master-key", masterKey,
        "--order", "etcd://127.0.0.1:\(etcd.clientPort)", "--cluster-prefix", prefix,
    ]
    var hosts = try (0 ..< 3).map { index in try ServeProcess(hostArguments, data: root + "/host\(index)") }
    defer { for host in hosts { host.stop() } }
    let counter = try deployBenchCounter(hosts[0])
    let genesis = try APIClient(url: hosts[0].listening).genesis()
    let increment = try APIClient(url: hosts[0].listening).encode(counter, message: "increment", args: .array([.number("1")]))
    try waitForSeq(hosts, 1)

    let signers = try (0 ..< 48).map { try Ed25519SigningKey(seed: [UInt8](repeating: UInt8(100 + $0), count: 32)) }
    let nonceBase = UInt64(Date().timeIntervalSince1970 * 1_000_000)
    var round: UInt64 = 0
    /// `total` increments from `connections` threads, connection i to `targets[i % count]`.
    func load(_ targets: [ServeProcess], connections: Int, total: Int) throws -> (rate: Double, latencies: [Double]) {
        round += 1
        let base = nonceBase + round * 1_000_000
        return try commandLoad(targets: targets.map(\.listening), connections: connections, total: total) { thread, index in
            var command = SignedCommand(
                genesis: genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: increment), nonce: base + UInt64(index),
                expiresAtMs: FatHost.nowMs + 600_000)
            command.sign(with: signers[thread])
            return command
        }
    }

    // Warm-up, then the measured run: 48 connections, 16 per host.
    _ = try load(hosts, connections: 12, total: 600)
    let batchesBefore = try etcd.batches(prefix: prefix).count
    let (clusterRate, latencies) = try load(hosts, connections: 48, total: 9600)
    let batches = try etcd.batches(prefix: prefix).dropFirst(batchesBefore)
    let commandsPerBatch = 9600 / Double(max(1, batches.count))
    let bytesPerBatch = batches.map(\.value.count).reduce(0, +) / max(1, batches.count)
    let sorted = latencies.sorted()
    let (p50, p99) = (percentile(sorted, 0.5), percentile(sorted, 0.99))

    // etcd alone: three writers (one per host), each creating keys of a batch's size in turn, as
    // long as the cluster's run took.
    let putRate = try etcd.createRate(writers: 3, valueBytes: bytesPerBatch, seconds: 3)
    let etcdCommandRate = putRate * commandsPerBatch

    // Catch-up: one host stops; the other two take 6000 commands; it starts again and is timed
    // until it serves (it listens only once it has applied everything etcd held).
    hosts[2].kill()
    let seqBefore = try APIClient(url: hosts[0].listening).info().seq
    let (liveRate, _) = try load(Array(hosts[0 ..< 2]), connections: 32, total: 6400)
    let missed = try APIClient(url: hosts[0].listening).info().seq - seqBefore
    let started = ContinuousClock.now
    hosts[2] = try ServeProcess(hostArguments, data: root + "/host2")
    let catchUpSeconds = nanoseconds(hosts[2].ready - started) / 1e9
    let caughtUp = try APIClient(url: hosts[2].listening).info()
    let leader = try APIClient(url: hosts[0].listening).info()
    guard caughtUp.seq == leader.seq, caughtUp.stateRoot == leader.stateRoot else {
        throw BenchError("cluster: the restarted host is at #\(caughtUp.seq), the cluster at #\(leader.seq)")
    }
    let catchUpRate = Double(missed) / catchUpSeconds

    // One host alone (its own log, no etcd) under the same load.
    let single = try ServeProcess(["--operator", "0x" + deployer.publicKey.hexString, "--native-isolation", "in-process"])
    defer { single.stop() }
    let singleCounter = try deployBenchCounter(single)
    let singleGenesis = try APIClient(url: single.listening).genesis()
    let (singleRate, singleLatencies) = try commandLoad(targets: [single.listening], connections: 48, total: 9600) { thread, index in
        var command = SignedCommand(
            genesis: singleGenesis, caller: [], action: .call(contract: [UInt8](hex: singleCounter)!, input: increment),
            nonce: nonceBase + 50_000_000 + UInt64(index), expiresAtMs: FatHost.nowMs + 600_000)
        command.sign(with: signers[thread])
        return command
    }
    let singleSorted = singleLatencies.sorted()

    print("cluster: 3 fat serve hosts, 1 etcd member (fsync on), loopback; 48 connections round-robin over the hosts, 9600 increments:")
    print(String(format: "  cluster commands               %8.0f cmd/s   ack p50 %6.2f ms   p99 %6.2f ms", clusterRate, p50 / 1000, p99 / 1000))
    print(
        String(
            format: "  batches                        %8d       %.1f commands and %d bytes sealed per batch", batches.count, commandsPerBatch,
            bytesPerBatch))
    print(
        String(
            format: "  etcd alone, 3 writers          %8.0f txn/s   (%.0f cmd/s at that batch size; the cluster: %.2f×)", putRate, etcdCommandRate,
            clusterRate / etcdCommandRate))
    print(
        String(
            format: "  one host alone, same load      %8.0f cmd/s   ack p50 %6.2f ms   p99 %6.2f ms   (the cluster: %.2f×)", singleRate,
            percentile(singleSorted, 0.5) / 1000, percentile(singleSorted, 0.99) / 1000, clusterRate / singleRate))
    print(
        String(
            format: "  catch-up: %llu commands missed   %8.0f cmd/s applied (%.2f s until it served; the live 2-host rate was %.0f cmd/s: %.2f×)",
            missed, catchUpRate, catchUpSeconds, liveRate, catchUpRate / liveRate))
    Report.row(
        "cluster.commands.vs-etcd", baseline: etcdCommandRate, subject: clusterRate,
        unit: "commands/s (baseline: raw etcd txn/s × commands per batch)")
    Report.row("cluster.commands.vs-single-host", baseline: singleRate, subject: clusterRate, unit: "commands/s (baseline: one fat serve, same load)")
    Report.row("cluster.ack.p50", baseline: percentile(singleSorted, 0.5), subject: p50, unit: "µs (baseline: one fat serve, same load)")
    Report.row("cluster.ack.p99", baseline: percentile(singleSorted, 0.99), subject: p99, unit: "µs (baseline: one fat serve, same load)")
    Report.row("cluster.catch-up", baseline: liveRate, subject: catchUpRate, unit: "commands/s applied (baseline: the live cluster's rate)")
}

/// Deploys the native counter through `server`, signed by the operator; answers its address.
private func deployBenchCounter(_ server: ServeProcess) throws -> String {
    let client = try APIClient(url: server.listening)
    let code = [UInt8](FileManager.default.contents(atPath: productPath("counter"))!)
    _ = try client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(deployer))
    var command = SignedCommand(
        genesis: try client.genesis(), caller: deployer.publicKey,
        action: .deploy(
            codeHash: Blake2b.hash256(code), metadataHash: nil,
            input: Array(Blake2b.hash256(Array("new".utf8)).prefix(4)) + [UInt8](repeating: 0, count: 8),
            salt: SecureRandom.bytes(8)),
        nonce: UInt64(Date().timeIntervalSince1970 * 1_000_000), expiresAtMs: FatHost.nowMs + 60_000)
    command.sign(with: deployer)
    guard case let .deployed(answer) = try client.submit(command) else { throw BenchError("cluster: the deploy failed") }
    return answer.address.description
}

private func waitForSeq(_ hosts: [ServeProcess], _ seq: UInt64) throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(30))
    while ContinuousClock.now < deadline {
        if try hosts.allSatisfy({ try APIClient(url: $0.listening).info().seq >= seq }) { return }
        usleep(20_000)
    }
    throw BenchError("cluster: the hosts did not reach #\(seq)")
}

/// Sends `total` pre-signed commands from `connections` threads (thread i to `targets[i % n]`),
/// each on its own keep-alive connection; answers commands/s and each command's latency in µs.
private func commandLoad(
    targets: [String], connections: Int, total: Int, _ command: @escaping @Sendable (Int, Int) -> SignedCommand
) throws -> (rate: Double, latencies: [Double]) {
    let perConnection = total / connections
    let requests = (0 ..< connections).map { thread in
        (0 ..< perConnection).map { index in
            HTTPRequest(
                method: "POST", path: "/v1/commands", headers: [("Content-Type", "application/json")],
                body: Array(command(thread, index).json.serialized().utf8))
        }
    }
    let run = try connectionLoad(targets: targets, requests: requests) { $0.status == 200 && !$0.text.hasPrefix("{\"ok\":false") }
    guard run.failures.isEmpty else { throw BenchError("cluster: \(run.failures.count) commands failed, e.g. \(run.failures[0].prefix(200))") }
    return (Double(perConnection * connections) / run.seconds, run.latencies)
}

/// One etcd member (Debian's `etcd`) on free loopback ports, its data in a temporary directory.
private final class EtcdMember {
    let process = Process()
    let clientPort: Int
    let data = temporaryDirectory()

    init() throws {
        guard let binary = ["/usr/bin/etcd", "/usr/local/bin/etcd"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError("cluster: etcd is not installed (apt-get install etcd-server)")
        }
        clientPort = Int.random(in: 30_000 ..< 40_000)
        let peerPort = clientPort + 10_000
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--name", "bench", "--data-dir", data + "/etcd", "--listen-client-urls", "http://127.0.0.1:\(clientPort)",
            "--advertise-client-urls", "http://127.0.0.1:\(clientPort)", "--listen-peer-urls", "http://127.0.0.1:\(peerPort)",
            "--initial-advertise-peer-urls", "http://127.0.0.1:\(peerPort)", "--initial-cluster", "bench=http://127.0.0.1:\(peerPort)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let client = EtcdClient(endpoints: ["127.0.0.1:\(clientPort)"])
        for _ in 0 ..< 200 {
            if (try? client.createIfAbsent(key: Array("/ready".utf8), value: [])) != nil { return }
            usleep(50_000)
        }
        throw BenchError("cluster: etcd did not start on port \(clientPort)")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: data)
    }

    /// The cluster's batches under `prefix`, in creation order.
    func batches(prefix: String) throws -> [EtcdClient.KeyValue] {
        let client = EtcdClient(endpoints: ["127.0.0.1:\(clientPort)"])
        let start = Array((prefix + "log/").utf8)
        let end = Array((prefix + "log0").utf8)
        var all: [EtcdClient.KeyValue] = []
        var after: Int64 = 0
        while true {
            let (page, _) = try client.range(from: start, to: end, createdAfter: after, limit: 1000)
            all += page
            guard let last = page.last, page.count == 1000 else { return all }
            after = last.createRevision
        }
    }

    /// Key creations per second (each a transaction creating a new key holding `valueBytes`),
    /// from `writers` threads for `seconds`.
    func createRate(writers: Int, valueBytes: Int, seconds: Double) throws -> Double {
        let count = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let done = DispatchGroup()
        let value = SecureRandom.bytes(max(1, valueBytes))
        let port = clientPort
        for writer in 0 ..< writers {
            done.enter()
            Thread {
                let client = EtcdClient(endpoints: ["127.0.0.1:\(port)"])
                var index = 0
                while !stop.load(ordering: .relaxed) {
                    index += 1
                    do {
                        _ = try client.createIfAbsent(key: Array("/raw/\(writer)/\(index)".utf8), value: value)
                        count.wrappingAdd(1, ordering: .relaxed)
                    } catch {
                        failures.wrappingAdd(1, ordering: .relaxed)
                    }
                }
                done.leave()
            }.start()
        }
        let began = ContinuousClock.now
        Thread.sleep(forTimeInterval: seconds)
        stop.store(true, ordering: .relaxed)
        done.wait()
        guard failures.load(ordering: .relaxed) == 0 else { throw BenchError("cluster: \(failures.load(ordering: .relaxed)) raw etcd writes failed") }
        return Double(count.load(ordering: .relaxed)) / (nanoseconds(ContinuousClock.now - began) / 1e9)
    }
}
