import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatInk
import FatRuntime
import FatServer
import FatTesting
import Foundation
import Testing

/// What an outsider can send to `fat serve`: requests built to crash it, to run code in it, to
/// read what is sealed, to replay a signature elsewhere or to fill its memory. Each gets a 4xx
/// with a JSON error naming the cause, and the server keeps answering.
@Suite("fat serve: hostile requests", .serialized)
struct HostileRequestTests {
    func expectRefused(
        _ server: any APIHarness, _ method: String, _ path: String, body: [UInt8] = [], headers: [(String, String)] = [],
        status: Int, code: String, mentions phrase: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try server.logCount
        let answer = try await server.raw(method, path, body: body, headers: headers)
        #expect(answer.status == status, "\(method) \(path) → \(answer.status) \(answer.json?.serialized() ?? "")", sourceLocation: sourceLocation)
        #expect(answer.json?["ok"] == .bool(false), sourceLocation: sourceLocation)
        #expect(answer.json?["error"]?["code"]?.stringValue == code, "\(answer.json?.serialized() ?? "no JSON")", sourceLocation: sourceLocation)
        let message = answer.json?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains(phrase), "message: \(message)", sourceLocation: sourceLocation)
        #expect(try server.logCount == before, "a refused request reached the log", sourceLocation: sourceLocation)
        let health = try await server.raw("GET", "/health")
        #expect(health.status == 200, "the server stopped answering", sourceLocation: sourceLocation)
    }

    func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func requestsBuiltToTrapTheServerAreRefusedAndItKeepsAnswering() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            try await expectRefused(
                server, "POST", "/v1/queries", body: body(#"{"contract":"\uD800\u0041"}"#), status: 400,
                code: "malformed_request", mentions: "surrogate")
            try await expectRefused(
                server, "GET", "/v1/events", headers: [("Last-Event-ID", "18446744073709551615")], status: 400,
                code: "malformed_request", mentions: "Last-Event-ID")
            let leb = "0x0061736d01000000" + "01" + "80808080808080808001"
            try await expectRefused(
                server, "POST", "/v1/code", body: body(#"{"kind":"wasm","code":"\#(leb)"}"#), status: 400,
                code: "bad_artifact", mentions: "declares")
            try await expectRefused(server, "GET", "/v1/log?from=99999999999999999999", status: 400, code: "malformed_request", mentions: "`from`")
        }
    }

    /// The flipper of Contracts/wasm with `types` in place of its metadata's.
    func flipper(types: String) throws -> (code: [UInt8], metadata: [UInt8]) {
        let wat = try String(contentsOf: Repository.root.appendingPathComponent("Contracts/wasm/flipper.wat"), encoding: .utf8)
        let document = try JSONValue.parse(try [UInt8](Data(contentsOf: Repository.root.appendingPathComponent("Contracts/wasm/flipper.json"))))
        guard case var .object(fields) = document else { throw FatError(.badArtifact, "flipper.json is not an object") }
        fields = fields.map { $0.0 == "types" ? ($0.0, try! JSONValue.parse(types)) : $0 }
        return (try InkCode.compileWAT(wat), Array(JSONValue.object(fields).serialized().utf8))
    }

    @Test func metadataWithTypesNoValueCanHaveOrArraysOutOfRangeIsRefusedNamingTheType() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let cases: [(types: String, phrase: String)] = [
                (#"[{"id": 0, "type": {"def": {"composite": {"fields": [{"type": 0}]}}}}]"#, "type 0 contains itself"),
                (
                    #"[{"id": 0, "type": {"def": {"primitive": "bool"}}}, {"id": 1, "type": {"def": {"array": {"len": -1, "type": 0}}}}]"#,
                    "type 1 is an array of -1"
                ),
                (
                    #"[{"id": 0, "type": {"def": {"primitive": "bool"}}}, {"id": 1, "type": {"def": {"array": {"len": 4000000000, "type": 0}}}}]"#,
                    "type 1 is an array of 4000000000"
                ),
            ]
            for (types, phrase) in cases {
                let (code, metadata) = try flipper(types: types)
                let request = JSONValue.object([("kind", .string("wasm")), ("code", .hex(code)), ("metadata", .hex(metadata))])
                try await expectRefused(
                    server, "POST", "/v1/code", body: Array(request.serialized().utf8), status: 400, code: "bad_artifact", mentions: phrase)
            }
        }
    }

    /// Builds the counter with a constructor function that creates `marker` when the shared
    /// object is loaded.
    func markedCounter(marker: String, in directory: String) throws -> [UInt8] {
        let source = directory + "/marker.c"
        try "#include <stdio.h>\n__attribute__((constructor)) static void loaded(void) { FILE *f = fopen(\"\(marker)\", \"w\"); if (f) fclose(f); }\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        let output = directory + "/libmarked.so"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "cc", "-shared", "-fPIC", "-std=c11", "-I", Repository.root.appendingPathComponent("ABI/include").path, "-o", output,
            source, Repository.root.appendingPathComponent("Contracts/counter/counter.c").path,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FatError(.badArtifact, "cc failed") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    @Test func nativeCodeFromAnyoneButTheOperatorIsRefusedAndNothingIsLoadedBeforeTheOperatorsCommand() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("fat-marker-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            let marker = work + "/loaded"
            let code = try markedCounter(marker: marker, in: work)
            let request = JSONValue.object([("kind", .string("native")), ("code", .hex(code))])
            try await expectRefused(
                server, "POST", "/v1/code", body: Array(request.serialized().utf8), status: 403, code: "not_allowed", mentions: "operator")
            // Signed by someone who is not an operator: refused too.
            await #expect {
                _ = try await blocking { try server.client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(try key(2))).json }
            } throws: { serverError($0)?.status == 403 }
            // A deploy command bringing it from a non-operator: refused before anything is loaded.
            #expect(!FileManager.default.fileExists(atPath: marker), "the shared object was loaded")
            // The operator stages it: kept, still not loaded.
            let staged = try await blocking {
                try server.client.upload(kind: "native", code: code, metadata: [], signedBy: .ed25519(try key(1))).json
            }
            #expect(staged["staged"] == .bool(true))
            #expect(!FileManager.default.fileExists(atPath: marker), "staging loaded the shared object")
            var intruder = SignedCommand(
                genesis: server.genesis, caller: [],
                action: .deploy(
                    codeHash: Blake2b.hash256(code), metadataHash: nil,
                    input: try constructorInput("counter", args: .array([.number("1")])), salt: []),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            intruder.sign(with: try key(2))
            try await expectRefused(
                server, "POST", "/v1/commands", body: Array(intruder.json.serialized().utf8), status: 403, code: "not_allowed",
                mentions: "operator")
            #expect(!FileManager.default.fileExists(atPath: marker), "a refused command loaded the shared object")
            // The operator's own deploy loads it, and it runs.
            var deploy = intruder
            deploy.nonce = Nonces.next()
            deploy.sign(with: try key(1))
            let signed = deploy
            let answer = try await blocking { try server.client.submit(signed).json }
            #expect(answer["ok"] == .bool(true), "\(answer.serialized())")
            #expect(FileManager.default.fileExists(atPath: marker))
        }
    }

    @Test func anonymousReadersOfTheLogAndTheEventsSeeTheOrderButNoArgumentsOrOutputs() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let carol = try key(3)
        let dave = try key(4)
        let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
        let token = try await server.deploy("token", args: .array([.number("1000")]), as: alice)
        // carol's increment by 424242 (0x32790600 little-endian), which is also its output.
        let secret = withUnsafeBytes(of: UInt32(424_242).littleEndian) { Array($0) }.hexString
        let call = try await server.call(counter, "increment", args: .array([.number("424242")]), as: carol)
        #expect(call["output"] == .number("424242"))
        _ = try await server.call(token, "transfer", args: .array([.string("0x" + dave.publicKey.hexString), .number("7")]), as: alice)
        // Anonymous: the order, with no caller, message, input, output or log lines.
        let anonymous = try await server.raw("GET", "/v1/log")
        let text = anonymous.json?.serialized() ?? ""
        #expect(anonymous.status == 200)
        #expect(!text.contains(secret), "carol's argument or output is readable: \(text)")
        #expect(!text.contains(carol.publicKey.hexString), "carol's account is readable")
        let entries = anonymous.json?["entries"]?.arrayValue ?? []
        #expect(entries.count == 4)
        for entry in entries {
            #expect(entry["disclosed"] == .string("order"))
            for field in ["caller", "input", "message", "signed"] { #expect(entry[field] == nil, "\(field) in \(entry.serialized())") }
            #expect(entry["receipt"]?["output"] == nil && entry["receipt"]?["logs"] == nil && entry["receipt"]?["gas_used"] == nil)
            #expect(entry["receipt"]?["outcome"] == .string("success"))
        }
        // Events are published by the contracts' choice: the token's Transfer is there.
        #expect(entries[3]["receipt"]?["events"]?.arrayValue?.count == 1)
        // carol reads her own command in full, and only hers.
        let mine = try await blocking { try server.client.log(from: 1, limit: 10, signedBy: .ed25519(carol)).json }
        let disclosed = mine["entries"]?.arrayValue?.map { $0["disclosed"]?.stringValue }
        #expect(disclosed == ["order", "order", "full", "order"])
        #expect(mine["entries"]?.arrayValue?[2]["input"]?.stringValue?.contains(secret) == true)
        // dave, who received tokens, does not read alice's transfer: he did not sign it.
        let daves = try await blocking { try server.client.log(from: 4, limit: 1, signedBy: .ed25519(dave)).json }
        #expect(daves["entries"]?.arrayValue?.first?["disclosed"] == .string("order"))
        // The operator reads everything.
        let operators = try await blocking { try server.client.log(from: 1, limit: 10, signedBy: .ed25519(alice)).json }
        #expect(operators["entries"]?.arrayValue?.allSatisfy { $0["disclosed"] == .string("full") } == true)
        // A signature over another request, or by someone else, or expired, does not open the log.
        let signature = ClientKey.ed25519(carol)
        let forOtherPath =
            "Fat caller=0x\(carol.publicKey.hexString), scheme=ed25519, expires_at_ms=\(FatHost.nowMs + 60_000), signature=0x"
            + signature.sign(SigningPayload.read(genesis: server.genesis, target: "GET /v1/log?from=2", expiresAtMs: FatHost.nowMs + 60_000))
            .hexString
        try await expectRefused(
            server, "GET", "/v1/log?from=1", headers: [("Authorization", forOtherPath)], status: 401, code: "bad_signature",
            mentions: "does not verify")
        let expired = FatHost.nowMs - 1_000
        let stale =
            "Fat caller=0x\(carol.publicKey.hexString), scheme=ed25519, expires_at_ms=\(expired), signature=0x"
            + signature.sign(SigningPayload.read(genesis: server.genesis, target: "GET /v1/log", expiresAtMs: expired)).hexString
        try await expectRefused(server, "GET", "/v1/log", headers: [("Authorization", stale)], status: 400, code: "expired", mentions: "expired")
        try await expectRefused(
            server, "GET", "/v1/log", headers: [("Authorization", "Bearer 12345")], status: 401, code: "bad_signature",
            mentions: "Authorization")
        // The event stream carries the events only.
        let stream = EventsCollector()
        try await blocking {
            try server.client.events(from: 1) { event in
                stream.add(event)
                return event.event != "caught_up"
            }
        }
        #expect(stream.events.contains { $0.id == "4" })
        #expect(!stream.events.contains { $0.data.contains(secret) || $0.data.contains(carol.publicKey.hexString) })
    }

    @Test func aHostWithLocalAuthorityIsNotServed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fat-local-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let host = try FatHost(dataDirectory: directory)
        defer { host.close() }
        await #expect { try await APIServer(host: host).run(handleSignals: false) } throws: { ($0 as? FatError)?.code == .notAllowed }
    }

    @Test func anyoneMayInstantiateStoredNativeCodeByHashWhileTheOperatorsCopyIsStaged() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            _ = try await server.deploy("counter", args: .array([.number("0")]), as: try key(1))
            let code = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
            var deploy = SignedCommand(
                genesis: server.genesis, caller: [],
                action: .deploy(
                    codeHash: Blake2b.hash256(code), metadataHash: nil,
                    input: try constructorInput("counter", args: .array([.number("4")])), salt: [7]),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: try key(2))
            let signed = deploy
            let answer = try await blocking { try server.client.submit(signed).json }
            #expect(answer["ok"] == .bool(true), "\(answer.serialized())")
            // A failed deploy's address (a hash of its hidden input) is not shown in the order.
            var failing = deploy
            failing.nonce = Nonces.next()
            failing.action = .deploy(codeHash: Blake2b.hash256(code), metadataHash: nil, input: [9, 9, 9, 9], salt: [8])
            failing.sign(with: try key(2))
            let refused = failing
            _ = try await blocking { try server.client.submit(refused).json }
            let order = try await server.raw("GET", "/v1/log?from=3")
            #expect(order.json?["entries"]?.arrayValue?.first?["receipt"]?["outcome"] == .string("failed"))
            #expect(order.json?["entries"]?.arrayValue?.first?["contract"] == nil)
        }
    }

    @Test func oneUploadersMetadataCannotReplaceAnothersStagedForTheSameCode() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let code = try InkCode.compileWAT(
                try String(contentsOf: Repository.root.appendingPathComponent("Contracts/wasm/flipper.wat"), encoding: .utf8))
            let original = [UInt8](try Data(contentsOf: Repository.root.appendingPathComponent("Contracts/wasm/flipper.json")))
            let hostile = Array(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"flipper\"", with: "\"evil\"").utf8)
            #expect(hostile != original)
            let bob = try key(2)
            let mallory = try key(6)
            // bob stages his, then mallory stages the same code with her document.
            let mine = try await blocking {
                try server.client.upload(kind: "wasm", code: code, metadata: original, constructor: "new", args: .array([.bool(true)])).json
            }
            _ = try await blocking { try server.client.upload(kind: "wasm", code: code, metadata: hostile, signedBy: .ed25519(mallory)).json }
            let input = try #require(mine["input"]?.stringValue.flatMap { [UInt8](hex: $0) })
            var deploy = SignedCommand(
                genesis: server.genesis, caller: [],
                action: .deploy(
                    codeHash: Blake2b.hash256(code), metadataHash: Blake2b.hash256(original),
                    input: input, salt: [1]),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: bob)
            let signed = deploy
            let answer = try await blocking { try server.client.submit(signed).json }
            #expect(answer["name"] == .string("flipper"), "\(answer.serialized())")
            let address = try #require(answer["address"]?.stringValue)
            let described = try await blocking { try server.client.contract(address).json }
            #expect(described["name"] == .string("flipper"))
            #expect(described["metadata_hash"] == .string("0x" + Blake2b.hash256(original).hexString))
        }
    }

    @Test func aCommandSignedForOneHostIsRefusedByAnother() async throws {
        try await RouteServer.with { (first: RouteServer) async throws in
            try await RouteServer.with { (second: RouteServer) async throws in
                #expect(first.genesis != second.genesis)
                let alice = try key(1)
                let counter = try await first.deploy("counter", args: .array([.number("0")]), as: alice)
                let again = try await second.deploy("counter", args: .array([.number("0")]), as: alice)
                let input = try await blocking { try first.client.encode(counter, message: "increment", args: .array([.number("1")])) }
                var command = SignedCommand(
                    genesis: first.genesis, caller: [], action: .call(contract: [UInt8](hex: again)!, input: input),
                    nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
                command.sign(with: alice)
                try await expectRefused(
                    second, "POST", "/v1/commands", body: Array(command.json.serialized().utf8), status: 401, code: "bad_signature",
                    mentions: "on this host")
                // expires_at_ms 0 is long past, never "no expiry".
                var forever = command
                forever.genesis = second.genesis
                forever.expiresAtMs = 0
                forever.sign(with: alice)
                try await expectRefused(
                    second, "POST", "/v1/commands", body: Array(forever.json.serialized().utf8), status: 400, code: "expired",
                    mentions: "expired")
            }
        }
    }

    @Test func stagedCodeIsBoundedInCountBytesAndTime() async throws {
        var configuration = ServerConfiguration()
        configuration.maxUploads = 2
        configuration.maxStagedBytes = 64 << 10
        configuration.stagedLifetimeSeconds = 1
        try await RouteServer.with(configuration: configuration) { (server: RouteServer) async throws in
            let alice = try key(1)
            // Three distinct modules: the first is pushed out by the third.
            let modules = try (0 ..< 3).map { index in
                try InkCode.compileWAT(
                    #"(module (import "env" "memory" (memory 1 1)) (data (i32.const 0) "\#(index)") (func (export "deploy")) (func (export "call")))"#
                )
            }
            for module in modules { _ = try await blocking { try server.client.upload(kind: "wasm", code: module, metadata: []).json } }
            func upload(_ module: [UInt8]) -> [UInt8] {
                var command = SignedCommand(
                    genesis: server.genesis, caller: [], action: .upload(codeHash: Blake2b.hash256(module), metadataHash: nil),
                    nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
                command.sign(with: alice)
                return Array(command.json.serialized().utf8)
            }
            try await expectRefused(server, "POST", "/v1/commands", body: upload(modules[0]), status: 404, code: "unknown_code", mentions: "staged")
            let kept = try await server.raw("POST", "/v1/commands", body: upload(modules[2]))
            #expect(kept.status == 200 && kept.json?["ok"] == .bool(true), "\(kept.json?.serialized() ?? "")")
            // Larger than the whole area.
            let big = JSONValue.object([
                ("kind", .string("wasm")), ("code", .hex(modules[1])), ("metadata", .hex([UInt8](repeating: 0x20, count: 70 << 10))),
            ])
            let refused = try await server.raw("POST", "/v1/code", body: Array(big.serialized().utf8))
            #expect(refused.status == 400)
            // And staged code expires.
            try await Task.sleep(for: .milliseconds(1_200))
            try await expectRefused(server, "POST", "/v1/commands", body: upload(modules[1]), status: 404, code: "unknown_code", mentions: "staged")
        }
    }

    @Test func gasAskedForIsCappedByTheOperatorsLimit() async throws {
        var limits = HostLimits()
        limits.maxCommandGas = 1_000_000
        try await RouteServer.with(limits: limits) { (server: RouteServer) async throws in
            let info = try await blocking { try server.client.info().json }
            #expect(info["limits"]?["max_command_gas"] == .number("1000000"))
            let alice = try key(1)
            let module = try InkCode.compileWAT(#"(module (import "env" "memory" (memory 1 1)) (func (export "deploy")) (func (export "call")))"#)
            _ = try await blocking { try server.client.upload(kind: "wasm", code: module, metadata: []).json }
            var command = SignedCommand(
                genesis: server.genesis, caller: [], action: .upload(codeHash: Blake2b.hash256(module), metadataHash: nil),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            command.gasLimit = 1_000_001
            command.sign(with: alice)
            try await expectRefused(
                server, "POST", "/v1/commands", body: Array(command.json.serialized().utf8), status: 400, code: "bad_arguments",
                mentions: "at most 1000000")
        }
    }
}

/// Events collected from a stream on another thread.
final class EventsCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ServerSentEvent] = []
    func add(_ event: ServerSentEvent) {
        lock.lock()
        list.append(event)
        lock.unlock()
    }
    var events: [ServerSentEvent] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
