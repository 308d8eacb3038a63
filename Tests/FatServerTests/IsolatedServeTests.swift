import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Testing

/// `fat serve` with its defaults runs native contracts in worker processes: a contract that
/// segfaults, spins or asks for 4 GiB gets a JSON error for that request, and the server, the
/// contract's other messages and every other contract keep answering.
@Suite("fat serve: native contracts in worker processes", .serialized)
struct IsolatedServeTests {
    /// Deploys `unruly` through the API as the operator (key 1).
    static func deployUnruly(_ server: ServeProcess) async throws -> String {
        let deployer = try key(1)
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Products.library("unruly"))))
        let input = try constructorInput("unruly", args: .array([]))
        let answer = try await blocking {
            let client = try server.client()
            let staged = try client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(deployer))
            var deploy = SignedCommand(
                genesis: server.genesis, caller: [], action: .deploy(codeHash: staged.codeHash.bytes, metadataHash: nil, input: input, salt: []),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: deployer)
            return try client.submit(deploy)
        }
        guard case let .deployed(deployed) = answer else { throw FatError(.internalError, "the deploy answered \(answer.json.serialized())") }
        return deployed.address.description
    }

    /// An unsigned query through `POST /v1/queries`: the status and the JSON answer.
    static func query(_ server: ServeProcess, _ contract: String, _ message: String, _ args: [JSONValue] = [], timeoutMs: Int? = nil)
        async throws -> (status: Int, json: JSONValue?, elapsed: Duration)
    {
        try await blocking {
            let client = try server.client()
            let input = try client.encode(contract, message: message, args: .array(args))
            var fields: [(String, JSONValue)] = [("contract", .string(contract)), ("input", .string("0x" + input.hexString))]
            if let timeoutMs { fields.append(("timeout_ms", .number("\(timeoutMs)"))) }
            let body = Array(JSONValue.object(fields).serialized().utf8)
            // Timed from the query's request alone (encoding the input is a request of its own).
            let start = ContinuousClock.now
            let response = try client.send(
                HTTPRequest(method: "POST", path: "/v1/queries", headers: [("Content-Type", "application/json")], body: body))
            return (response.status, try? JSONValue.parse(response.body), ContinuousClock.now - start)
        }
    }

    static func command(_ server: ServeProcess, _ contract: String, _ message: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await blocking {
            let client = try server.client()
            let input = try client.encode(contract, message: message, args: .array(args))
            var command = SignedCommand(
                genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: contract)!, input: input), nonce: Nonces.next(),
                expiresAtMs: FatHost.nowMs + 60_000)
            command.sign(with: try key(2))
            return try client.submit(command).json
        }
    }

    @Test func misbehavingQueriesAndCommandsGetErrorsWhileTheServerServesAndVerifyAgrees() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-isolated-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try ServeProcess(data: data)
        let unruly = try await Self.deployUnruly(server)
        let counter = try await LifecycleTests.deployCounter(server)
        #expect(try await Self.command(server, unruly, "increment")["ok"] == .bool(true))

        let crashed = try await Self.query(server, unruly, "misbehave", [.number("1")])
        #expect(crashed.status == 422)
        #expect(crashed.json?["error"]?["code"] == .string("contract_crashed"), "\(crashed.json?.serialized() ?? "")")
        #expect(crashed.json?["error"]?["message"]?.stringValue?.contains("SIGSEGV") == true)

        let spun = try await Self.query(server, unruly, "misbehave", [.number("2")], timeoutMs: 500)
        #expect(spun.elapsed < .milliseconds(500 + 400))
        #expect(spun.status == 422)
        #expect(spun.json?["error"]?["code"] == .string("deadline_exceeded"), "\(spun.json?.serialized() ?? "")")

        let hog = try await Self.query(server, unruly, "hog", [.number("4096")])
        #expect(hog.status == 422)
        #expect(hog.json?["error"]?["code"] == .string("contract_crashed"), "\(hog.json?.serialized() ?? "")")

        // The same contract's well-behaved message, another contract, and commands still answer.
        #expect(try await Self.query(server, unruly, "get").json?["output"] == .number("1"))
        #expect(try await Self.query(server, counter, "get").json?["output"] == .number("0"))
        let poisoned = try await Self.command(server, unruly, "poison", [.number("1")])
        #expect(poisoned["error"]?["code"] == .string("contract_crashed"), "\(poisoned.serialized())")
        #expect(try await Self.command(server, counter, "increment", [.number("5")])["ok"] == .bool(true))
        #expect(try await Self.query(server, unruly, "get").json?["output"] == .number("1"))

        server.process.terminate()
        server.process.waitUntilExit()
        // `fat verify` (contracts in process) replays the log, honouring the recorded crash.
        let verify = Process()
        verify.executableURL = URL(fileURLWithPath: try Products.executable("fat"))
        verify.arguments = ["verify", "--data", data, "--json"]
        let output = Pipe()
        verify.standardOutput = output
        try verify.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        verify.waitUntilExit()
        let report = try JSONValue.parse([UInt8](printed))
        #expect(verify.terminationStatus == 0, "\(report.serialized())")
        #expect(report["ok"] == .bool(true), "\(report.serialized())")
    }

    @Test func hostJSONSetsTheWorkersLimitsAndASpinningCommandStopsAtItsTimeLimit() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-isolated-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        // 512 MiB of address space: enough for the worker and 64 MiB, not for 1 GiB.
        try #"{ "worker": { "memoryBytes": 536870912, "commandTimeoutMs": 400 } }"#.write(
            toFile: data + "/host.json", atomically: true, encoding: .utf8)
        let server = try ServeProcess(data: data)
        let unruly = try await Self.deployUnruly(server)
        #expect(try await Self.query(server, unruly, "hog", [.number("64")]).json?["output"] == .number("16384"))
        let hog = try await Self.query(server, unruly, "hog", [.number("1024")])
        #expect(hog.json?["error"]?["code"] == .string("contract_crashed"), "\(hog.json?.serialized() ?? "")")
        let start = ContinuousClock.now
        let spun = try await Self.command(server, unruly, "poison", [.number("2")])
        #expect(spun["error"]?["code"] == .string("deadline_exceeded"), "\(spun.serialized())")
        // It would spin forever: the time limit stopped it (the bound leaves room for a loaded machine).
        #expect(ContinuousClock.now - start < .milliseconds(400 + 5000))
        #expect(try await Self.query(server, unruly, "get").json?["output"] == .number("0"))
        server.process.terminate()
        server.process.waitUntilExit()
        let host = try FatHost(dataDirectory: data)
        defer { host.close() }
        let report = try host.verify()
        #expect(report.ok, "\(report.mismatches)")
    }

    @Test func aBadWorkerSettingIsRefusedBeforeListening() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-isolated-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try #"{ "worker": { "memoryBites": 1 } }"#.write(toFile: data + "/host.json", atomically: true, encoding: .utf8)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: try Products.executable("fat"))
        serve.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--json"]
        let output = Pipe()
        serve.standardOutput = output
        serve.standardError = output
        try serve.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 1)
        let refusal = try JSONValue.parse(Array(printed.utf8))
        #expect(refusal["error"]?["code"] == .string("bad_arguments"), "\(printed)")
        #expect(refusal["error"]?["message"]?.stringValue?.contains("unknown setting \"worker.memoryBites\"") == true, "\(printed)")
    }
}
