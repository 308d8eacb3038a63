import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import Foundation
import Synchronization
import Testing

/// A `fat serve` child process on a free port.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let genesis: [UInt8]

    /// Key 1 is the operator, as in `TestServer`.
    init(data: String) throws {
        process.executableURL = URL(fileURLWithPath: TestServer.fatExecutable)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--json", "--operator", "0x" + (try key(1)).publicKey.hexString]
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
        genesis = try FatClient(url: "http://127.0.0.1:\(port)").genesis()
    }

    func client() throws -> FatClient { try FatClient(url: "http://127.0.0.1:\(port)") }
}

struct Acknowledged: Sendable {
    let seq: UInt64
    let caller: [UInt8]
    let nonce: UInt64
}

/// Acknowledgements collected from client threads.
final class Acknowledgements: Sendable {
    private let list = Mutex<[Acknowledged]>([])
    var count: Int { list.withLock { $0.count } }
    var all: [Acknowledged] { list.withLock { $0 } }
    func add(_ ack: Acknowledged) { list.withLock { $0.append(ack) } }
}

/// `fat serve` as a separate process: what it acknowledged survives SIGKILL; SIGTERM drains.
@Suite("fat serve: lifecycle of the server process", .serialized)
struct LifecycleTests {
    /// Deploys a counter, then sends increments from `clients` threads until `stop` says so or a
    /// request fails; answers what the server acknowledged.
    static func burst(_ server: ServeProcess, clients: Int, stop: @escaping @Sendable (Int) -> Bool) async throws -> (String, [Acknowledged]) {
        let deployer = try key(1)
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestServer.library("counter"))))
        let counter: String = try await blocking {
            let client = try server.client()
            let staged = try client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(deployer))
            var deploy = SignedCommand(genesis: server.genesis, caller: [], action: .deploy(codeHash: [UInt8](hex: staged["code_hash"]!.stringValue!)!, metadataHash: nil,
                                                                    input: try TestServer.constructorInput("counter", args: .array([.number("0")])), salt: []),
                                       nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: deployer)
            return try client.submit(deploy)["address"]!.stringValue!
        }
        let input = try await blocking { try server.client().encode(counter, message: "increment", args: .array([.number("1")])) }
        let acknowledged = Acknowledgements()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0 ..< clients {
                group.addTask {
                    let signer = try key(UInt8(20 + index))
                    try await blocking {
                        let client = try server.client()
                        while !stop(acknowledged.count) {
                            var command = SignedCommand(genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input),
                                                        nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
                            command.sign(with: signer)
                            guard let answer = try? client.submit(command), answer["ok"] == .bool(true),
                                  let seq = answer["seq"].flatMap({ UInt64($0.serialized()) }) else { return }
                            acknowledged.add(Acknowledged(seq: seq, caller: signer.publicKey, nonce: command.nonce))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        return (counter, acknowledged.all)
    }

    /// Every acknowledged command is in the log at its sequence number, and the counter counts
    /// exactly the increments in the log.
    static func checkLog(_ data: String, counter: String, acknowledged: [Acknowledged]) throws {
        let host = try FatHost(dataDirectory: data)
        defer { host.close() }
        let entries = try host.logEntries()
        let bySeq = Dictionary(uniqueKeysWithValues: entries.map { ($0.entry.seq, $0.entry.command) })
        for ack in acknowledged {
            let logged = bySeq[ack.seq]
            #expect(logged?.caller.bytes == ack.caller && logged?.nonce == ack.nonce, "acknowledged command #\(ack.seq) is not in the log")
        }
        let increments = entries.count - 1
        let value = try host.query(AccountId(hex: counter)!, input: Array(Blake2b.hash256(Array("get".utf8)).prefix(4)))
        #expect(value.output == withUnsafeBytes(of: UInt64(increments).littleEndian, Array.init), "the counter disagrees with the log")
    }

    @Test func everyAcknowledgedCommandSurvivesSIGKILL() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let killed = Atomic<Bool>(false)
        let (counter, acknowledged) = try await Self.burst(server, clients: 6) { count in
            if count >= 150, !killed.exchange(true, ordering: .relaxed) { kill(server.process.processIdentifier, SIGKILL) }
            return false
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .uncaughtSignal)
        #expect(acknowledged.count >= 150)
        try Self.checkLog(data, counter: counter, acknowledged: acknowledged)
        // The restarted server serves the same state.
        let restarted = try ServeProcess(data: data)
        defer { restarted.process.terminate(); restarted.process.waitUntilExit() }
        let info = try await blocking { try restarted.client().info() }
        #expect(UInt64(info["seq"]?.serialized() ?? "") ?? 0 >= acknowledged.map(\.seq).max() ?? 0)
    }

    @Test func sigtermFinishesInFlightCommandsAndExitsCleanly() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-term-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let signalled = Atomic<Bool>(false)
        let (counter, acknowledged) = try await Self.burst(server, clients: 4) { count in
            if count >= 60, !signalled.exchange(true, ordering: .relaxed) { kill(server.process.processIdentifier, SIGTERM) }
            return false
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
        try Self.checkLog(data, counter: counter, acknowledged: acknowledged)
    }
}
