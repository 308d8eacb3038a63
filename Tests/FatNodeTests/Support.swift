import FatCodec
import FatCrypto
import FatTesting
import Foundation
import Testing

@testable import FatNode
@testable import FatRuntime

/// Runs blocking work inline: the tests drive the node without a server.
struct InlineExecutor: BlockingExecutor {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T { try body() }
}

/// An sr25519 account that signs extrinsics, as a wallet does.
struct Wallet {
    let secret: [UInt8]
    let account: AccountId

    init(seed: UInt8) throws {
        secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: seed, count: 32))
        account = AccountId(try Sr25519.publicKey(secretKey: secret))!
    }

    /// A signed extrinsic carrying `call`, for the chain whose genesis hash is `genesisHash`.
    func extrinsic(_ call: [UInt8], nonce: UInt32, genesisHash: [UInt8], era: Era = .immortal, birthHash: [UInt8]? = nil) throws -> [UInt8] {
        let additional = ExtrinsicProof.additional(genesisHash: genesisHash, birthHash: birthHash ?? genesisHash)
        return try Extrinsic.signed(signer: account, era: era, nonce: nonce, call: call, additional: additional) { payload in
            .sr25519(try Sr25519.sign(message: payload, secretKey: secret, randomness: nil))
        }
    }
}

/// A host served by a node face over a fresh data directory; the native token is deployed by the
/// operator (opened locally first), then the host is reopened as a network host would be.
final class NodeHarness: @unchecked Sendable {
    let directory: String
    let host: FatHost
    let node: SubstrateNode
    let token: AccountId
    let operatorAccount: AccountId

    init(dev: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fat-node-\(UUID().uuidString)").path
        let local = try FatHost(dataDirectory: directory)
        let code = try Data(contentsOf: URL(fileURLWithPath: try Products.library("token")))
        let upload = CodeUpload(kind: .native, bytes: [UInt8](code), metadata: [])
        let constructor = try #require(try local.prepare(upload).metadata.constructor(named: "new"))
        operatorAccount = try Wallet(seed: 9).account
        var supply = ScaleEncoder()
        supply.append(UInt128(1_000))
        let receipt = try local.submit(Command.deploy(upload, input: constructor.selector + supply.bytes, salt: [], caller: operatorAccount))
        token = receipt.contract
        local.close()
        host = try FatHost(dataDirectory: directory, authority: .network(operators: [operatorAccount]))
        node = SubstrateNode(host: host, signal: CommitSignal(lastSeq: host.snapshot.seq), executor: InlineExecutor(), dev: dev)
    }

    deinit {
        host.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends one request and answers what the session received first (its answer).
    func call(_ method: String, _ params: [JSONValue], session: NodeSession = NodeSession(canSubscribe: false)) async throws -> JSONValue {
        let request = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string(method)), ("params", .array(params))])
        await node.receive(Array(request.serialized().utf8), session: session)
        return try await next(session)
    }

    /// The next message the session received.
    func next(_ session: NodeSession) async throws -> JSONValue {
        var iterator = session.outgoing.makeAsyncIterator()
        let text = try #require(await iterator.next())
        return try JSONValue.parse(text)
    }

    /// The answer's `result`, or a failed expectation naming the error.
    func result(_ method: String, _ params: [JSONValue], session: NodeSession = NodeSession(canSubscribe: false)) async throws -> JSONValue {
        let answer = try await call(method, params, session: session)
        return try #require(answer["result"], "\(method) answered \(answer)")
    }

    /// The answer's error code.
    func errorCode(_ method: String, _ params: [JSONValue]) async throws -> Int? {
        try await call(method, params)["error"]?["code"]?.intValue
    }

    /// A result that is hex, decoded.
    func bytes(_ method: String, _ params: [JSONValue], session: NodeSession = NodeSession(canSubscribe: false)) async throws -> [UInt8] {
        let text = try #require(try await result(method, params, session: session).stringValue)
        return try #require(Hex.decode(text))
    }

    func stateCall(_ method: String, _ data: [UInt8]) async throws -> [UInt8] {
        try await bytes("state_call", [.string(method), Hex.json(data)])
    }
}

/// `Contracts.call(dest, value 0, gas_limit, None, data)` as a client encodes it.
func contractsCall(_ dest: AccountId, _ data: [UInt8], refTime: UInt64 = 1_000_000_000) -> [UInt8] {
    var encoder = ScaleEncoder()
    encoder.append(RuntimeCall.Pallet.contracts)
    encoder.append(RuntimeCall.Index.call)
    encoder.append(UInt8(0))
    encoder.appendBytes(dest.bytes)
    encoder.appendCompact(0)
    Weight(refTime: refTime, proofSize: 0).encode(into: &encoder)
    encoder.append(UInt8(0))
    encoder.appendByteVector(data)
    return encoder.bytes
}
