import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer
import FatTesting
import Foundation
import Testing

@Suite("fat serve: the HTTP API", .serialized)
struct ServerAPITests {
    @Test func infoHealthAndMetricsDescribeTheHost() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let info = try await blocking { try server.client.info().json }
            #expect(info["api_version"]?.stringValue == "1")
            #expect(info["abi_version"]?.stringValue == FatHost.nativeABIVersion)
            #expect(info["signature_schemes"] == .array([.string("ed25519"), .string("sr25519")]))
            let health = try await server.raw("GET", "/health")
            #expect(health.status == 200 && health.json?["ok"] == .bool(true))
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("1")]), as: alice)
            _ = try await server.call(counter, "increment", args: .array([.number("2")]), as: alice)
            _ = try await server.query(counter, "get")
            let metrics = try await blocking { try server.client.send(HTTPRequest(method: "GET", path: "/metrics")) }
            #expect(metrics.status == 200)
            #expect(metrics.header("content-type")?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("fat_commands_total{outcome=\"success\"} 2"), "\(metrics.text)")
            #expect(metrics.text.contains("fat_queries_total{outcome=\"success\"} 1"))
            #expect(metrics.text.contains("fat_log_last_seq 2"))
            #expect(metrics.text.contains("fat_query_duration_seconds_count 1"))
            #expect(metrics.text.contains("fat_gas_used_total"))
        }
    }

    @Test func aSignedCommandIsAnsweredOnceDurableAndAQueryReadsIt() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("10")]), as: alice)
            let call = try await server.call(counter, "increment", args: .array([.number("5")]), as: alice)
            #expect(call["ok"] == .bool(true))
            #expect(call["output"] == .number("15"))
            #expect(call["seq"] == .number("2"))
            // Durable: the host's own log has it, signed, with its nonce.
            let entries = try server.host.logEntries()
            #expect(entries.count == 2)
            #expect(entries[1].entry.command.signature?.scheme == .ed25519)
            #expect(entries[1].entry.command.nonce != nil)
            #expect(entries[1].receipt?.output == [15, 0, 0, 0, 0, 0, 0, 0])
            let query = try await server.query(counter, "get")
            #expect(query["output"] == .number("15"))
            // The contract's description, and the log and nonce endpoints.
            let described = try await blocking { try server.client.contract(counter).json }
            #expect(described["name"]?.stringValue == "counter")
            let log = try await blocking { try server.client.log(from: 2, limit: 10, signedBy: .ed25519(alice)).json }
            #expect(log["entries"]?.arrayValue?.count == 1)
            #expect(log["entries"]?.arrayValue?.first?["message"]?.stringValue == "increment")
            let nonce = try await blocking { try server.client.nonce(of: "0x" + alice.publicKey.hexString) }
            #expect(nonce == entries[1].entry.command.nonce)
        }
    }

    @Test func aSignedQueryShowsTheCallerAndAnUnsignedOneShowsNone() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let token = try await server.deploy("token", args: .array([.number("1000")]), as: alice)
            let mine = try await server.query(token, "my_balance", as: alice)
            #expect(mine["output"] == .number("1000"))
            await #expect {
                _ = try await server.query(token, "my_balance")
            } throws: { error in
                serverError(error)?.status == 422 && "\(error)".contains("a signed caller is required")
            }
            // Someone else's signature over alice's query does not pass for alice.
            let input = try await blocking { try server.client.encode(token, message: "my_balance", args: .array([])) }
            let query = SignedQuery(genesis: server.genesis, contract: [UInt8](hex: token)!, input: input, expiresAtMs: FatHost.nowMs + 10_000)
            guard case let .object(fields) = query.json(signedBy: try key(2)) else {
                Issue.record("not an object")
                return
            }
            let forged = fields.map { $0.0 == "caller" ? ($0.0, JSONValue.string("0x" + alice.publicKey.hexString)) : $0 }
            await #expect {
                _ = try await blocking { try server.client.call("POST", "/v1/queries", body: .object(forged)) }
            } throws: { serverError($0)?.status == 401 && serverError($0)?.code == "bad_signature" }
        }
    }

    @Test func theServerCanRefuseUnsignedQueries() async throws {
        var configuration = ServerConfiguration()
        configuration.refuseUnsignedQueries = true
        try await RouteServer.with(configuration: configuration) { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("3")]), as: alice)
            await #expect {
                _ = try await server.query(counter, "get")
            } throws: { serverError($0)?.status == 401 && serverError($0)?.code == "signature_required" }
            let signed = try await server.query(counter, "get", as: alice)
            #expect(signed["output"] == .number("3"))
        }
    }

    @Test func sr25519SignedCommandsAreAccepted() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
            let input = try await blocking { try server.client.encode(counter, message: "increment", args: .array([.number("7")])) }
            // A Substrate-style secret: 32-byte key ‖ 32-byte nonce.
            let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 9, count: 32))
            var command = SignedCommand(
                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            try command.sign(sr25519SecretKey: secret)
            let signed = command
            let answer = try await blocking { try server.client.submit(signed).json }
            #expect(answer["ok"] == .bool(true), "\(answer.serialized())")
            #expect(answer["output"] == .number("7"))
            let logged = try #require(try server.host.logEntries().last)
            #expect(logged.entry.command.signature?.scheme == .sr25519)
            #expect(logged.entry.command.caller.bytes == (try Sr25519.publicKey(secretKey: secret)))
        }
    }

    @Test func uploadThenDeployByHash() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
            let staged = try await blocking { try server.client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(alice)).json }
            let hash = try #require(staged["code_hash"]?.stringValue.flatMap { [UInt8](hex: $0) })
            var upload = SignedCommand(
                genesis: server.genesis, caller: [], action: .upload(codeHash: hash, metadataHash: nil), nonce: Nonces.next(),
                expiresAtMs: FatHost.nowMs + 60_000)
            upload.sign(with: alice)
            let signed = upload
            let uploaded = try await blocking { try server.client.submit(signed).json }
            #expect(uploaded["ok"] == .bool(true) && uploaded["seq"] == .number("1"))
            #expect(try server.host.describe(codeHash: hash, metadataHash: nil).codeHash == hash)
            #expect(try server.host.logEntries().first?.entry.command.action == .upload(codeHash: hash, metadataHash: nil))
        }
    }

    @Test func commandsFromEightConcurrentClientsAreEachLoggedExactlyOnce() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
        let input = try await blocking { try server.client.encode(counter, message: "increment", args: .array([.number("1")])) }
        let clients = 8
        let perClient = 25
        let answers = try await withThrowingTaskGroup(of: [JSONValue].self) { group in
            for index in 0 ..< clients {
                group.addTask {
                    let signer = try key(UInt8(10 + index))
                    return try await blocking {
                        try (0 ..< perClient).map { _ in
                            var command = SignedCommand(
                                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input),
                                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
                            command.sign(with: signer)
                            return try server.client.submit(command).json
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answers.count == clients * perClient)
        #expect(answers.allSatisfy { $0["ok"] == .bool(true) })
        let seqs = Set(answers.compactMap { $0["seq"]?.serialized() })
        #expect(seqs.count == clients * perClient)
        let total = try await server.query(counter, "get")
        #expect(total["output"] == .number(String(clients * perClient)))
        #expect(try server.logCount == 1 + clients * perClient)
    }
}
