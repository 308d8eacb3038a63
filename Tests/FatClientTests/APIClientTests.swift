import FatCodec
import FatCrypto
import FatWire
import Testing

@testable import FatClient

/// What `APIClient` makes of an answer, whoever sent it: the typed value of the endpoint, the
/// server's error as `ClientError.server`, and anything else as an error naming the endpoint.
@Suite("FatClient: answers")
struct APIClientTests {
    static let genesis = [UInt8](repeating: 0xAB, count: 32)

    static let info = HostInfo(
        software: "fat", apiVersion: "1", abiVersion: "1.1", genesis: Hex(genesis), codeKinds: ["native", "wasm"],
        signatureSchemes: ["ed25519", "sr25519"], seq: 7, stateRoot: Hex([UInt8](repeating: 1, count: 32)), contracts: 2,
        limits: .init(
            maxBodyBytes: 1 << 20, maxPendingCommands: 1024, maxConcurrentQueries: 64, queryThreads: 2, queryExpiryWindowMs: 300_000,
            queryTimeoutMs: 10_000, maxCommandGas: 1 << 40, maxQueryGas: 1 << 40, maxStagedUploads: 16, maxStagedBytes: 64 << 20),
        operators: [], unsignedQueries: true, tls: false, uptimeS: 3)

    func json(_ answer: some Answer, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("content-type", "application/json")], body: Array(answer.json.serialized().utf8))
    }

    func badResponse(_ error: any Error) -> String? {
        if case let .badResponse(message) = error as? ClientError { return message }
        return nil
    }

    @Test func infoIsDecodedAsTheServerRendersIt() throws {
        let transport = StubTransport(json: Self.info.json)
        let client = APIClient(transport: transport)
        let info = try client.info()
        #expect(info.seq == 7 && info.genesis.bytes == Self.genesis && info.limits.queryThreads == 2)
        #expect(transport.requests.map { "\($0.method) \($0.path)" } == ["GET /v1/info"])
        #expect(transport.requests.first?.headers.contains { $0 == ("Accept", "application/json") } == true)
    }

    @Test func theGenesisIsAskedForOnce() throws {
        let transport = StubTransport(json: Self.info.json)
        let client = APIClient(transport: transport)
        #expect(try client.genesis() == Self.genesis)
        #expect(try client.genesis() == Self.genesis)
        #expect(transport.requests.count == 1)
    }

    @Test func aGenesisThatIsNot32BytesIsRefused() throws {
        guard case var .object(fields) = Self.info.json else { throw ClientError.badResponse("info is not an object") }
        fields = fields.map { $0.0 == "genesis" ? ($0.0, .string("0x0102")) : $0 }
        let client = APIClient(transport: StubTransport(json: .object(fields)))
        #expect { try client.genesis() } throws: { badResponse($0)?.contains("no 32-byte genesis") == true }
    }

    @Test func theServersErrorBecomesClientErrorServer() throws {
        let client = APIClient(
            transport: StubTransport { _ in
                json(ErrorAnswer(code: "unknown_contract", message: "no contract at 0x01"), status: 404)
            })
        #expect(throws: ClientError.server(status: 404, code: "unknown_contract", message: "no contract at 0x01")) {
            try client.contract("0x01")
        }
    }

    @Test func anErrorStatusWithoutAJSONErrorKeepsTheStatus() throws {
        let client = APIClient(transport: StubTransport(status: 429, json: .object([("busy", .bool(true))])))
        #expect { try client.info() } throws: { error in
            guard case let .server(status, code, _) = error as? ClientError else { return false }
            return status == 429 && code == "http_429"
        }
    }

    @Test func aBodyThatIsNotJSONIsNamedWithTheEndpoint() throws {
        let client = APIClient(transport: StubTransport { _ in HTTPResponse(status: 502, headers: [], body: Array("<html>Bad Gateway</html>".utf8)) })
        #expect { try client.info() } throws: { badResponse($0)?.contains("GET /v1/info answered 502 with a body that is not JSON: <html>") == true }
    }

    @Test func anAnswerOfTheWrongShapeIsNamedWithTheEndpointAndType() throws {
        let client = APIClient(transport: StubTransport(json: .object([("ok", .bool(true)), ("nonce", .string("many"))])))
        #expect { try client.nonce(of: "0x01") } throws: { error in
            badResponse(error)?.contains("GET /v1/accounts/{account}/nonce answered something that is not a NonceAnswer") == true
        }
        let info = APIClient(transport: StubTransport(json: .object([("ok", .bool(true))])))
        #expect { try info.info() } throws: { badResponse($0)?.contains("is not a HostInfo") == true }
    }

    @Test func aRevertedCommandIsAnAnswerNotAnError() throws {
        let failed = FailedCommandAnswer(error: ErrorBody(code: "reverted", message: "the contract reverted"), seq: 12, output: .string("0x01"))
        let client = APIClient(transport: StubTransport { _ in json(failed) })
        let command = SignedCommand(
            genesis: Self.genesis, caller: [], action: .call(contract: [UInt8](repeating: 2, count: 32), input: [1]),
            nonce: 1, expiresAtMs: 1)
        guard case let .failed(answer) = try client.submit(command) else {
            Issue.record("a reverted command decoded as a success")
            return
        }
        #expect(answer.seq == 12 && answer.error.code == "reverted")
    }

    @Test func theCommandAnswerIsTheKindOfCommand() throws {
        let call = CallAnswer(seq: 3, output: .number("15"), events: [], logs: ["hello"], gasUsed: 42)
        let upload = UploadAnswer(codeHash: Hex([UInt8](repeating: 5, count: 32)), metadataHash: nil, kind: "wasm", name: "flipper", seq: 4)
        let command = SignedCommand(
            genesis: Self.genesis, caller: [], action: .upload(codeHash: [UInt8](repeating: 5, count: 32), metadataHash: nil),
            nonce: 1, expiresAtMs: 1)
        guard case let .called(called) = try APIClient(transport: StubTransport { _ in json(call) }).submit(command) else {
            Issue.record("a call answer decoded as another kind")
            return
        }
        #expect(called.output == .number("15") && called.logs == ["hello"])
        guard case let .uploaded(uploaded) = try APIClient(transport: StubTransport { _ in json(upload) }).submit(command) else {
            Issue.record("an upload answer decoded as another kind")
            return
        }
        #expect(uploaded.name == "flipper" && uploaded.metadataHash == nil)
    }

    @Test func anEventStreamNeedsASocket() throws {
        let client = APIClient(transport: StubTransport(json: .null))
        #expect { try client.events(from: 1) { _ in false } } throws: { error in
            if case let .transport(message) = error as? ClientError { return message.contains("an event stream needs a socket") }
            return false
        }
    }

    @Test func aReceiptEventCarriesItsRecord() throws {
        let record = EventRecord(seq: 9, timestampMs: 1_000, contract: Hex([UInt8](repeating: 3, count: 32)), events: [.string("Flipped")])
        let event = ServerSentEvent(id: "9", event: "receipt", data: record.json.serialized())
        let decoded = try #require(try event.record())
        #expect(decoded.seq == 9 && decoded.events == [.string("Flipped")])
    }
}
