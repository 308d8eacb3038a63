import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer
import Foundation
import Testing

/// Every refusal is a 4xx with a JSON error naming the cause, and nothing reaches the log.
@Suite("fat serve: bad requests", .serialized)
struct BadRequestTests {
    /// Sends `body` to `path` and checks the status, the error code and a phrase of the message.
    func expectRefusal(
        _ server: any APIHarness, _ path: String, method: String = "POST", body: [UInt8], status: Int, code: String,
        mentions phrase: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try server.logCount
        let answer = try await server.raw(method, path, body: body)
        #expect(answer.status == status, "\(path) → \(answer.status) \(answer.json?.serialized() ?? "")", sourceLocation: sourceLocation)
        #expect(answer.json?["ok"] == .bool(false), sourceLocation: sourceLocation)
        #expect(answer.json?["error"]?["code"]?.stringValue == code, "\(answer.json?.serialized() ?? "no JSON")", sourceLocation: sourceLocation)
        let message = answer.json?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains(phrase), "message: \(message)", sourceLocation: sourceLocation)
        #expect(try server.logCount == before, "a refused request reached the log", sourceLocation: sourceLocation)
    }

    /// A correctly signed call of `increment(1)`, as JSON fields, for tests to spoil.
    func signedCall(
        _ server: any APIHarness, _ counter: String, key signer: Ed25519SigningKey, nonce: UInt64 = Nonces.next(),
        expiresAtMs: UInt64 = FatHost.nowMs + 60_000
    ) async throws -> [(String, JSONValue)] {
        let input = try await blocking { try server.client.encode(counter, message: "increment", args: .array([.number("1")])) }
        var command = SignedCommand(
            genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: input), nonce: nonce, expiresAtMs: expiresAtMs
        )
        command.sign(with: signer)
        guard case let .object(fields) = command.json else { return [] }
        return fields
    }

    func bytes(_ fields: [(String, JSONValue)]) -> [UInt8] { Array(JSONValue.object(fields).serialized().utf8) }

    @Test func malformedBodiesAndFieldsAreNamed() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
            try await expectRefusal(
                server, "/v1/commands", body: Array("{\"caller\": ".utf8), status: 400, code: "malformed_request", mentions: "not valid JSON")
            try await expectRefusal(
                server, "/v1/commands", body: Array("[1, 2]".utf8), status: 400, code: "malformed_request", mentions: "JSON object")
            var fields = try await signedCall(server, counter, key: alice)
            try await expectRefusal(
                server, "/v1/commands", body: bytes(fields + [("colour", .string("red"))]), status: 400,
                code: "malformed_request", mentions: "unknown field `colour`")
            fields = fields.map { $0.0 == "nonce" ? ($0.0, .string("soon")) : $0 }
            try await expectRefusal(server, "/v1/commands", body: bytes(fields), status: 400, code: "malformed_request", mentions: "`nonce`")
            fields = try await signedCall(server, counter, key: alice).filter { $0.0 != "signature" }
            try await expectRefusal(
                server, "/v1/commands", body: bytes(fields), status: 400, code: "malformed_request", mentions: "missing field `signature`")
            fields = try await signedCall(server, counter, key: alice).map { $0.0 == "caller" ? ($0.0, .number("12")) : $0 }
            try await expectRefusal(server, "/v1/commands", body: bytes(fields), status: 400, code: "malformed_request", mentions: "`caller`")
            try await expectRefusal(
                server, "/v1/queries", body: Array("{\"contract\": \(counter.debugDescription), \"input\": 5}".utf8),
                status: 400, code: "malformed_request", mentions: "`input`")
            try await expectRefusal(
                server, "/v1/log?from=yesterday", method: "GET", body: [], status: 400, code: "malformed_request", mentions: "`from`")
            try await expectRefusal(server, "/v1/nowhere", method: "GET", body: [], status: 404, code: "not_found", mentions: "/v1/nowhere")
        }
    }

    @Test func aBadSignatureAReplayAndAnExpiredCommandAreRefused() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
            // The signature covers the input: changing it after signing breaks the signature.
            var fields = try await signedCall(server, counter, key: alice)
            fields = fields.map { field in
                guard field.0 == "call", case let .object(call) = field.1 else { return field }
                return ("call", .object(call.map { $0.0 == "input" ? ($0.0, .string($0.1.stringValue!.dropLast(2) + "02")) : $0 }))
            }
            try await expectRefusal(server, "/v1/commands", body: bytes(fields), status: 401, code: "bad_signature", mentions: "does not verify")
            // A command accepted once is refused the second time, as is any lower nonce.
            let nonce = Nonces.next()
            let original = try await signedCall(server, counter, key: alice, nonce: nonce)
            let first = try await server.raw("POST", "/v1/commands", body: bytes(original))
            #expect(first.status == 200 && first.json?["ok"] == .bool(true))
            try await expectRefusal(server, "/v1/commands", body: bytes(original), status: 409, code: "replayed_nonce", mentions: "nonce \(nonce)")
            let stale = try await signedCall(server, counter, key: alice, nonce: nonce - 1)
            try await expectRefusal(server, "/v1/commands", body: bytes(stale), status: 409, code: "replayed_nonce", mentions: "not above")
            // Expired a second ago.
            let expired = try await signedCall(server, counter, key: alice, expiresAtMs: FatHost.nowMs - 1000)
            try await expectRefusal(server, "/v1/commands", body: bytes(expired), status: 400, code: "expired", mentions: "expired")
            // A signed query whose expiry has passed, or lies beyond the window, is refused too.
            let input = try await blocking { try server.client.encode(counter, message: "get", args: .array([])) }
            for expiry in [FatHost.nowMs - 1000, FatHost.nowMs + 24 * 3_600_000] {
                let query = SignedQuery(genesis: server.genesis, contract: [UInt8](hex: counter)!, input: input, expiresAtMs: expiry)
                try await expectRefusal(
                    server, "/v1/queries", body: Array(query.json(signedBy: alice).serialized().utf8), status: 400,
                    code: "expired", mentions: "expire")
            }
        }
    }

    @Test func unknownAddressesMessagesAndCodeAreNotFound() async throws {
        try await RouteServer.with { (server: RouteServer) async throws in
            let alice = try key(1)
            let counter = try await server.deploy("counter", args: .array([.number("0")]), as: alice)
            let nowhere = "0x" + String(repeating: "ab", count: 32)
            try await expectRefusal(
                server, "/v1/queries", body: Array("{\"contract\": \"\(nowhere)\", \"input\": \"0x00000000\"}".utf8),
                status: 404, code: "unknown_contract", mentions: nowhere)
            try await expectRefusal(
                server, "/v1/contracts/\(nowhere)", method: "GET", body: [], status: 404, code: "unknown_contract", mentions: nowhere)
            try await expectRefusal(
                server, "/v1/contracts/\(counter)/encode", body: Array("{\"message\": \"decrement\"}".utf8),
                status: 400, code: "unknown_message", mentions: "decrement")
            let call = SignedCommand(
                genesis: server.genesis, caller: alice.publicKey, action: .call(contract: [UInt8](hex: nowhere)!, input: [1, 2, 3, 4]),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            var signed = call
            signed.sign(with: alice)
            try await expectRefusal(
                server, "/v1/commands", body: Array(signed.json.serialized().utf8), status: 404, code: "unknown_contract", mentions: nowhere)
            var deploy = SignedCommand(
                genesis: server.genesis, caller: alice.publicKey,
                action: .deploy(codeHash: [UInt8](repeating: 7, count: 32), metadataHash: nil, input: [], salt: []),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deploy.sign(with: alice)
            try await expectRefusal(
                server, "/v1/commands", body: Array(deploy.json.serialized().utf8), status: 404, code: "unknown_code", mentions: "0x0707")
            // Native code from anyone but the operator is refused; the operator's is staged, not
            // loaded, and code that does not load is refused when the operator's deploy names it.
            try await expectRefusal(
                server, "/v1/code", body: Array("{\"kind\": \"native\", \"code\": \"0x7f454c46\"}".utf8),
                status: 403, code: "not_allowed", mentions: "operator")
            let broken: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
            let staged = try await blocking { try server.client.upload(kind: "native", code: broken, metadata: [], signedBy: .ed25519(alice)).json }
            #expect(staged["staged"] == .bool(true) && staged["messages"] == nil)
            var deployBroken = SignedCommand(
                genesis: server.genesis, caller: alice.publicKey,
                action: .deploy(codeHash: Blake2b.hash256(broken), metadataHash: nil, input: [], salt: []),
                nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
            deployBroken.sign(with: alice)
            try await expectRefusal(
                server, "/v1/commands", body: Array(deployBroken.json.serialized().utf8), status: 400, code: "load_failed",
                mentions: "not a loadable shared object")
        }
    }

    @Test func anOversizedBodyIs413AndACommandBeyondTheAdmissionLimitIs503WithRetryAfter() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 1024
        configuration.maxPendingCommands = 0
        try await RouteServer.with(configuration: configuration) { (server: RouteServer) async throws in
            let huge = Array("{\"kind\": \"native\", \"code\": \"0x\(String(repeating: "00", count: 4096))\"}".utf8)
            try await expectRefusal(server, "/v1/code", body: huge, status: 413, code: "body_too_large", mentions: "1024")
            // No command is admitted: refused before its body is read. (A queue filled by slow
            // queries is in AdmissionTests.)
            let answer = try await server.raw("POST", "/v1/commands", body: Array("{}".utf8))
            #expect(answer.status == 503)
            #expect(answer.json?["error"]?["code"]?.stringValue == "busy")
            #expect(answer.headers.first { $0.0 == "retry-after" }?.1 == "1")
        }
    }
}
