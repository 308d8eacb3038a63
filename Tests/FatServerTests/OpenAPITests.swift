import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer
import FatTesting
import Foundation
import Testing

/// Holds the server to its OpenAPI document: every route the server registers is documented, and
/// each documented operation, called with valid and with bad input, answers a documented status
/// with a body that fits the documented schema.
@Suite("fat serve: the OpenAPI document", .serialized)
struct OpenAPITests {
    static func document() throws -> JSONValue {
        let path = Repository.root.appendingPathComponent("Sources/FatServer/openapi.json").path
        return try JSONValue.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// `GET /v1/contracts/{address}`-style keys of every operation in the document.
    static func documentedOperations(_ document: JSONValue) -> Set<String> {
        guard case let .object(paths)? = document["paths"] else { return [] }
        var operations: Set<String> = []
        for (path, item) in paths {
            guard case let .object(methods) = item else { continue }
            for (method, _) in methods where ["get", "post", "put", "delete", "patch"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyRouteTheServerRegistersIsDocumentedAndNoMore() throws {
        let source = try String(contentsOf: Repository.root.appendingPathComponent("Sources/FatServer/Routes/Endpoints.swift"), encoding: .utf8)
        let pattern = try Regex(#"router\.(get|post)\("([^"]+)"\)"#)
        var registered: Set<String> = []
        for match in source.matches(of: pattern) {
            let method = String(match.output[1].substring ?? "").uppercased()
            let path = String(match.output[2].substring ?? "").split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            registered.insert("\(method) /" + path.joined(separator: "/"))
        }
        #expect(registered.count >= 10, "found \(registered) in Endpoints.swift")
        #expect(registered == Self.documentedOperations(try Self.document()))
    }

    @Test func everyOperationAnswersWhatTheDocumentSays() async throws {
        let document = try Self.document()
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let counter = try await server.deploy("counter", args: .array([.number("1")]), as: alice)
        let account = "0x" + alice.publicKey.hexString
        let code = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Products.library("counter"))))
        let getInput = try await blocking { try server.client.encode(counter, message: "get", args: .array([])) }
        let incrementInput = try await blocking { try server.client.encode(counter, message: "increment", args: .array([.number("1")])) }
        var signed = SignedCommand(
            genesis: server.genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: incrementInput),
            nonce: Nonces.next(), expiresAtMs: FatHost.nowMs + 60_000)
        signed.sign(with: alice)
        let query = SignedQuery(genesis: server.genesis, contract: [UInt8](hex: counter)!, input: getInput, expiresAtMs: FatHost.nowMs + 30_000)

        // (method, documented path, concrete path, body) — a valid request and a bad one for each.
        let exchanges: [(String, String, String, JSONValue?)] = [
            ("GET", "/health", "/health", nil),
            ("GET", "/v1/info", "/v1/info", nil),
            ("GET", "/metrics", "/metrics", nil),
            (
                "POST", "/v1/code", "/v1/code",
                .object([
                    ("kind", .string("native")), ("code", .string("0x" + code.hexString)),
                    ("constructor", .string("new")), ("args", .array([.number("3")])),
                ])
            ),
            ("POST", "/v1/code", "/v1/code", .object([("kind", .string("cobol")), ("code", .string("0x00"))])),
            ("GET", "/v1/contracts/{address}", "/v1/contracts/\(counter)", nil),
            ("GET", "/v1/contracts/{address}", "/v1/contracts/0x" + String(repeating: "00", count: 32), nil),
            ("GET", "/v1/contracts/{address}/ink-metadata", "/v1/contracts/\(counter)/ink-metadata", nil),
            ("GET", "/v1/contracts/{address}/ink-metadata", "/v1/contracts/0x" + String(repeating: "00", count: 32) + "/ink-metadata", nil),
            ("GET", "/v1/contracts/{address}/ink-metadata", "/v1/contracts/0x12/ink-metadata", nil),
            ("POST", "/", "/", .object([("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string("system_chain"))])),
            ("POST", "/", "/", .array([.object([("jsonrpc", .string("2.0")), ("id", .number("2")), ("method", .string("no_such"))])])),
            ("POST", "/", "/", .string("not a request")),
            (
                "POST", "/v1/contracts/{address}/encode", "/v1/contracts/\(counter)/encode",
                .object([("message", .string("increment")), ("args", .array([.number("2")]))])
            ),
            ("POST", "/v1/contracts/{address}/encode", "/v1/contracts/\(counter)/encode", .object([("message", .string("fly"))])),
            ("GET", "/v1/accounts/{account}/nonce", "/v1/accounts/\(account)/nonce", nil),
            ("GET", "/v1/accounts/{account}/nonce", "/v1/accounts/alice/nonce", nil),
            ("POST", "/v1/commands", "/v1/commands", signed.json),
            ("POST", "/v1/commands", "/v1/commands", signed.json),  // the same again: a replay
            ("POST", "/v1/queries", "/v1/queries", query.json(signedBy: alice)),
            ("POST", "/v1/queries", "/v1/queries", query.json(signedBy: nil as ClientKey?)),
            ("POST", "/v1/queries", "/v1/queries", .object([("contract", .string(counter))])),
            ("GET", "/v1/log", "/v1/log?from=1&limit=10", nil),
            ("GET", "/v1/log", "/v1/log?from=-1", nil),
        ]
        var covered: Set<String> = []
        for (method, documented, concrete, body) in exchanges {
            let operation = try #require(document["paths"]?[documented]?[method.lowercased()], "\(method) \(documented) is not documented")
            covered.insert("\(method) \(documented)")
            let response = try await blocking {
                try server.client.send(
                    HTTPRequest(
                        method: method, path: concrete, headers: [("Content-Type", "application/json")],
                        body: body.map { Array($0.serialized().utf8) } ?? []))
            }
            let status = String(response.status)
            let documentedResponse = operation["responses"]?[status] ?? operation["responses"]?["default"]
            #expect(
                documentedResponse != nil, "\(method) \(concrete) answered \(status), which the document does not list: \(response.text.prefix(300))")
            guard let documentedResponse else { continue }
            let resolved = try Self.resolve(documentedResponse, in: document)
            let contentType = response.header("content-type") ?? ""
            if contentType.hasPrefix("application/json") {
                let schema = try #require(resolved["content"]?["application/json"]?["schema"], "\(method) \(documented) \(status) has no JSON schema")
                let json = try JSONValue.parse(response.body)
                let problems = Self.validate(json, against: schema, in: document, at: "$")
                #expect(problems.isEmpty, "\(method) \(concrete) → \(status): \(problems.joined(separator: "; ")) in \(response.text.prefix(400))")
            } else {
                #expect(
                    resolved["content"]?[contentType.split(separator: ";").first.map(String.init) ?? ""] != nil,
                    "\(method) \(documented) \(status) answered \(contentType), which the document does not list")
            }
        }
        // The event stream is documented as text/event-stream and answers as such.
        let events = try #require(document["paths"]?["/v1/events"]?["get"]?["responses"]?["200"]?["content"]?["text/event-stream"])
        #expect(events["schema"]?["type"]?.stringValue == "string")
        covered.insert("GET /v1/events")
        let stream = try await blocking {
            var first: ServerSentEvent?
            try server.client.events(from: 1) {
                first = $0
                return false
            }
            return first
        }
        #expect(stream?.event == "caught_up" || stream?.event == "receipt")
        #expect(
            covered == Self.documentedOperations(document), "operations not exercised: \(Self.documentedOperations(document).subtracting(covered))")
    }

    /// Follows `$ref` (`#/components/...`) until a value without one.
    static func resolve(_ value: JSONValue, in document: JSONValue) throws -> JSONValue {
        guard let reference = value["$ref"]?.stringValue else { return value }
        guard reference.hasPrefix("#/") else { throw FatError(.badArguments, "external $ref \(reference)") }
        var target = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = target[String(part)] else { throw FatError(.badArguments, "unresolved $ref \(reference)") }
            target = next
        }
        return try resolve(target, in: document)
    }

    /// The ways `value` does not fit `schema` (type, enum, const, required, properties,
    /// additionalProperties: false, items, oneOf/anyOf/allOf, pattern); empty when it fits.
    static func validate(_ value: JSONValue, against schema: JSONValue, in document: JSONValue, at path: String) -> [String] {
        guard let schema = try? resolve(schema, in: document) else { return ["\(path): unresolvable schema"] }
        var problems: [String] = []
        if let all = schema["allOf"]?.arrayValue {
            for part in all { problems += validate(value, against: part, in: document, at: path) }
        }
        for key in ["oneOf", "anyOf"] {
            if let options = schema[key]?.arrayValue, !options.contains(where: { validate(value, against: $0, in: document, at: path).isEmpty }) {
                problems.append("\(path): fits none of \(key)")
            }
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) { problems.append("\(path): \(value.serialized()) not in enum") }
        if let constant = schema["const"], constant != value { problems.append("\(path): not \(constant.serialized())") }
        let types: [String] = schema["type"].map { $0.stringValue.map { [$0] } ?? ($0.arrayValue ?? []).compactMap(\.stringValue) } ?? []
        if !types.isEmpty, !types.contains(where: { Self.has(value, type: $0) }) {
            return problems + ["\(path): \(value.serialized().prefix(80)) is not \(types.joined(separator: " or "))"]
        }
        if case let .string(text) = value, let pattern = schema["pattern"]?.stringValue {
            // A pattern Swift cannot compile is a problem of the document, not a pass.
            do {
                if try Regex(pattern).firstMatch(in: text) == nil {
                    problems.append("\(path): \"\(text.prefix(40))\" does not match \(pattern)")
                }
            } catch {
                problems.append("\(path): the pattern \(pattern) does not compile: \(error)")
            }
        }
        if case let .object(fields) = value {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !fields.contains(where: { $0.0 == name }) {
                problems.append("\(path): missing required `\(name)`")
            }
            for (name, field) in fields {
                if let property = schema["properties"]?[name] {
                    problems += validate(field, against: property, in: document, at: "\(path).\(name)")
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): `\(name)` is not documented")
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    problems += validate(field, against: additional, in: document, at: "\(path).\(name)")
                }
            }
        }
        if case let .array(items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { problems += validate(item, against: itemSchema, in: document, at: "\(path)[\(index)]") }
        }
        return problems
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("number", .number): true
        case let ("integer", .number(text)): !text.contains(".") && !text.lowercased().contains("e")
        default: false
        }
    }
}
