import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Synchronization
import Testing

/// A `fat serve` child process on a free port.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let genesis: [UInt8]

    /// Key 1 is the operator, as in `TestServer`. `arguments` are added to `fat serve`'s.
    init(data: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: try Products.executable("fat"))
        process.arguments =
            ["serve", "--data", data, "--listen", "127.0.0.1:0", "--json", "--operator", "0x" + (try key(1)).publicKey.hexString] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var line: [UInt8] = []
        while !line.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw FatError(.internalError, "fat serve exited before listening: \(String(decoding: line, as: UTF8.self))") }
            line += chunk
        }
        let json = try JSONValue.parse(Array(line.prefix { $0 != 10 }))
        guard let url = json["listening"]?.stringValue, let port = url.split(separator: ":").last.flatMap({ Int($0) }) else {
            throw FatError(.internalError, "unexpected first line from fat serve: \(json.serialized())")
        }
        self.port = port
        genesis = try APIClient(url: "http://127.0.0.1:\(port)").genesis()
    }

    func client() throws -> APIClient { try APIClient(url: "http://127.0.0.1:\(port)") }
}

struct Acknowledged: Sendable {
    let seq: UInt64
    let caller: [UInt8]
    let nonce: UInt64
}

/// Acknowledgements collected from client threads, and why each client stopped.
final class Acknowledgements: Sendable {
    private let list = Mutex<[Acknowledged]>([])
    private let stops = Mutex<[String]>([])
    var count: Int { list.withLock { $0.count } }
    var all: [Acknowledged] { list.withLock { $0 } }
    var endings: [String] { stops.withLock { $0 } }
    func add(_ ack: Acknowledged) { list.withLock { $0.append(ack) } }
    func end(_ reason: String) { stops.withLock { $0.append(reason) } }
}

/// What a burst of commands left behind.
struct Burst {
    let counter: String
    let acknowledged: [Acknowledged]
    /// Why each client stopped: "told to stop", or the error or refusal it met.
    let endings: [String]
}

/// `fat serve` as a separate process: what it acknowledged survives SIGKILL; SIGTERM drains.
@Suite("fat serve: lifecycle of the server process", .serialized)
struct LifecycleTests {
    /// Deploys a counter, then sends increments from `clients` threads until `stop` says so or a
    /// request fails; answers what the server acknowledged.
    /// Deploys a counter starting at 0 through the server's API, as the operator (key 1).
    static func deployCounter(_ server: ServeProcess) async throws -> String {
        let deployer = try key(1)
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
        let input = try constructorInput("counter", args: .array([.number("0")]))
        let answer = try await blocking {
            let client = try server.client()
            let staged = try client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(deployer))
            let hash = staged.codeHash.bytes
            var deploy = SignedCommand(
                genesis: server.genesis, caller: [], action: .deploy(codeHash: hash, metadataHash: nil, input: input, salt: []),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: deployer)
            return try client.submit(deploy)
        }
        guard case let .deployed(deployed) = answer else { throw FatError(.internalError, "the deploy answered \(answer.json.serialized())") }
        return deployed.address.description
    }

    static func burst(_ server: ServeProcess, clients: Int, stop: @escaping @Sendable (Int) -> Bool) async throws -> Burst {
        let counter = try await deployCounter(server)
        let input = try await blocking { try server.client().encode(counter, message: "increment", args: .array([.number("1")])) }
        let acknowledged = Acknowledgements()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0 ..< clients {
                group.addTask {
                    let signer = try key(UInt8(20 + index))
                    try await blocking {
                        let client = try server.client()
                        while !stop(acknowledged.count) {
                            var command = SignedCommand(
                                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input),
                                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
                            command.sign(with: signer)
                            let answer: JSONValue
                            do { answer = try client.submit(command).json } catch {
                                acknowledged.end("\(error)")
                                return
                            }
                            guard answer["ok"] == .bool(true), let seq = answer["seq"].flatMap({ UInt64($0.serialized()) }) else {
                                acknowledged.end("answered \(answer.serialized())")
                                return
                            }
                            acknowledged.add(Acknowledged(seq: seq, caller: signer.publicKey, nonce: command.nonce))
                        }
                        acknowledged.end("told to stop")
                    }
                }
            }
            try await group.waitForAll()
        }
        return Burst(counter: counter, acknowledged: acknowledged.all, endings: acknowledged.endings)
    }

    /// Every acknowledged command is in the log at its sequence number, and the counter counts
    /// exactly the increments in the log. With `allAnswered`, also the converse: every command
    /// in the log (after the deploy) was answered to its client.
    static func checkLog(_ data: String, _ burst: Burst, allAnswered: Bool = false) throws {
        let host = try FatHost(dataDirectory: data)
        defer { host.close() }
        let entries = try host.logEntries()
        let bySeq = Dictionary(uniqueKeysWithValues: entries.map { ($0.entry.seq, $0.entry.command) })
        for ack in burst.acknowledged {
            let logged = bySeq[ack.seq]
            #expect(logged?.caller.bytes == ack.caller && logged?.nonce == ack.nonce, "acknowledged command #\(ack.seq) is not in the log")
        }
        if allAnswered {
            let answered = Set(burst.acknowledged.map(\.seq))
            let unanswered = entries.map(\.entry.seq).filter { $0 > 1 && !answered.contains($0) }
            #expect(unanswered.isEmpty, "logged but never answered: \(unanswered)")
        }
        let counter = burst.counter
        let increments = entries.count - 1
        let value = try host.query(AccountId(hex: counter)!, input: Array(Blake2b.hash256(Array("get".utf8)).prefix(4)))
        #expect(value.output == withUnsafeBytes(of: UInt64(increments).littleEndian, Array.init), "the counter disagrees with the log")
    }

    @Test func everyAcknowledgedCommandSurvivesSIGKILL() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let killed = Atomic<Bool>(false)
        let burst = try await Self.burst(server, clients: 6) { count in
            if count >= 150, !killed.exchange(true, ordering: .relaxed) { kill(server.process.processIdentifier, SIGKILL) }
            return false
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        #expect(burst.acknowledged.count >= 150)
        // Every client stopped because the server went away, none because of a refusal.
        #expect(burst.endings.count == 6)
        #expect(!burst.endings.contains { $0.hasPrefix("answered") }, "\(burst.endings)")
        try Self.checkLog(data, burst)
        // The restarted server serves the same state.
        let restarted = try ServeProcess(data: data)
        defer {
            restarted.process.terminate()
            restarted.process.waitUntilExit()
        }
        let info = try await blocking { try restarted.client().info().json }
        let restartedSeq = try #require(info["seq"].flatMap { UInt64($0.serialized()) })
        #expect(restartedSeq >= burst.acknowledged.map(\.seq).max() ?? 0)
    }

    @Test func sigtermFinishesInFlightCommandsAndExitsCleanly() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-term-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let signalled = Atomic<Bool>(false)
        let burst = try await Self.burst(server, clients: 4) { count in
            if count >= 60, !signalled.exchange(true, ordering: .relaxed) { kill(server.process.processIdentifier, SIGTERM) }
            return false
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        #expect(burst.acknowledged.count >= 60)
        #expect(burst.endings.count == 4, "\(burst.endings)")
        // The commands in flight when the signal came were finished and answered: nothing is in
        // the log that its client did not hear about.
        try Self.checkLog(data, burst, allAnswered: true)
    }

    /// A server with a small state cache (`--cache-size`) stays within it, says so in /metrics,
    /// and once SIGKILLed and restarted serves the same state, which `fat verify` confirms.
    @Test func aSmallStateCacheStaysWithinItsSizeAndTheStateSurvivesAKill() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-cache-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data, arguments: ["--cache-size", "1K"])
        let burst = try await Self.burst(server, clients: 3) { $0 >= 40 }
        let metrics = try await blocking { try server.client().send(HTTPRequest(method: "GET", path: "/metrics")).text }
        func gauge(_ name: String) -> Int? {
            metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ")[1]) }
        }
        #expect(gauge("fat_state_cache_capacity_bytes") == 1024, "\(metrics)")
        #expect((gauge("fat_state_cache_bytes") ?? .max) <= 1024)
        #expect((gauge("fat_state_cache_evictions_total") ?? 0) > 0)
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        try Self.checkLog(data, burst)
        let report = try FatHost(dataDirectory: data).verify()
        #expect(report.ok, "\(report.mismatches)")
        let restarted = try ServeProcess(data: data)
        defer {
            restarted.process.terminate()
            restarted.process.waitUntilExit()
        }
        let info = try await blocking { try restarted.client().info() }
        #expect(info.stateRoot.bytes == report.liveRoot)
    }

    /// The nonce table is durable: the same signed command sent again to the restarted server
    /// is refused with 409, and the counter moved once.
    @Test func aSignedCommandSentAgainAfterARestartIsRefused() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let counter = try await Self.deployCounter(server)
        let signer = try key(7)
        let input = try await blocking { try server.client().encode(counter, message: "increment", args: .array([.number("1")])) }
        var command = SignedCommand(
            genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input),
            nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
        command.sign(with: signer)
        let signed = command
        let first = try await blocking { try server.client().submit(signed).json }
        #expect(first["ok"] == .bool(true))
        server.process.terminate()
        server.process.waitUntilExit()

        let restarted = try ServeProcess(data: data)
        defer {
            restarted.process.terminate()
            restarted.process.waitUntilExit()
        }
        #expect(restarted.genesis == server.genesis)
        do {
            let again = try await blocking { try restarted.client().submit(signed).json }
            Issue.record("the replayed command was accepted: \(again.serialized())")
        } catch {
            let refusal = try #require(serverError(error), "\(error)")
            #expect(refusal.status == 409 && refusal.code == "replayed_nonce", "\(error)")
        }
        let value = try await blocking {
            try restarted.client().query(
                SignedQuery(
                    genesis: restarted.genesis, contract: [UInt8](hex: counter)!,
                    input: try restarted.client().encode(counter, message: "get", args: .array([])),
                    expiresAtMs: FatHost.nowMs + 30_000)
            ).json
        }
        #expect(value["output"] == .number("1"))
    }
}
