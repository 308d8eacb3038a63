import FatCLI
import FatCodec
import FatRuntime
import FatTesting
import Foundation
import Testing

/// `fat --remote URL …`: every command of the CLI through a server, with local keys.
@Suite("fat --remote", .serialized)
struct RemoteCLITests {
    /// Runs a `fat` command line on its own thread and parses the one JSON object it prints.
    func fat(_ arguments: [String], data: String, status expected: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> JSONValue
    {
        let (status, text) = try await blocking { () -> (Int32, String) in
            let console = Console(capturing: true)
            let status = Console.$current.withValue(console) { Fat.run(arguments + ["--data", data]) }
            return (status, console.captured.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(status == expected, "fat \(arguments.joined(separator: " ")) → \(text)", sourceLocation: sourceLocation)
        return try JSONValue.parse(Array(text.utf8))
    }

    @Test func everyCommandWorksThroughTheServer() async throws {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("fat-remote-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keys) }
        _ = try await fat(["key", "new", "alice", "--json"], data: keys)
        _ = try await fat(["key", "new", "bob", "--json"], data: keys)
        // alice is the server's operator: she brings the native contracts.
        let server = try await TestServer(operators: [try KeyStore(directory: keys + "/keys").load("alice").signingKey])
        defer { Task { await server.stop() } }
        let remote = "http://127.0.0.1:\(server.port)"
        // Global options before the subcommand, as the README writes them.
        let deployed = try await fat(
            ["--remote", remote, "--json", "deploy", try Products.library("token"), "--args", "[1000]", "--as", "alice"], data: keys)
        let token = try #require(deployed["address"]?.stringValue, "\(deployed.serialized())")
        let moved = try await fat(["--remote", remote, "--json", "call", token, "transfer", "--args", "[\"bob\", 10]", "--as", "alice"], data: keys)
        #expect(moved["ok"] == .bool(true), "\(moved.serialized())")
        #expect(moved["output"] == .bool(true))
        #expect(moved["events"]?.arrayValue?.count == 1)
        // A signed query: the contract sees bob.
        let balance = try await fat(["query", token, "my_balance", "--as", "bob", "--remote", remote, "--json"], data: keys)
        #expect(balance["output"] == .number("10"), "\(balance.serialized())")
        let refused = try await fat(
            ["call", token, "transfer", "--args", "[\"alice\", 50]", "--as", "bob", "--remote", remote, "--json"],
            data: keys, status: 1)
        #expect(refused["error"]?["code"]?.stringValue == "contract_reverted", "\(refused.serialized())")
        let inspected = try await fat(["inspect", token, "--remote", remote, "--json"], data: keys)
        #expect(inspected["messages"]?.arrayValue?.count == 4)
        let log = try await fat(["log", "--remote", remote, "--json"], data: keys)
        #expect(log["entries"]?.arrayValue?.count == 3)
        // Anonymous, the log shows the order only; signed by bob, his own command in full.
        #expect(log["entries"]?.arrayValue?.allSatisfy { $0["input"] == nil && $0["disclosed"] == .string("order") } == true)
        let bobs = try await fat(["log", "--remote", remote, "--as", "bob", "--json"], data: keys)
        #expect(bobs["entries"]?.arrayValue?.map { $0["disclosed"]?.stringValue } == ["order", "order", "full"])
        #expect(bobs["entries"]?.arrayValue?.last?["message"] == .string("transfer"))
        let events = try await fat(["events", "--from", "1", "--remote", remote, "--json"], data: keys)
        #expect(events["records"]?.arrayValue?.map { $0["seq"] } == [.number("2")])
        let uploaded = try await fat(["upload", try Products.library("counter"), "--remote", remote, "--as", "alice", "--json"], data: keys)
        #expect(uploaded["seq"] == .number("4"), "\(uploaded.serialized())")
        // The server's log is the one a local reader sees.
        #expect(try server.logCount == 4)
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("fat-remote-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let answer = try await fat(
            ["query", "0x" + String(repeating: "00", count: 32), "get", "--remote", "http://127.0.0.1:1", "--json"],
            data: keys, status: 1)
        #expect(answer["error"]?["message"]?.stringValue?.contains("cannot connect to 127.0.0.1:1") == true, "\(answer.serialized())")
        let malformed = try await fat(["log", "--remote", "ftp://somewhere", "--json"], data: keys, status: 1)
        #expect(malformed["error"]?["message"]?.stringValue?.contains("ftp://somewhere") == true)
    }
}
