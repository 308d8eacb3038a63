import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Testing

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fat-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds a shared object from C source with the system compiler, for tests of bad contracts.
func compileSharedObject(_ source: String, name: String, in directory: String) throws -> String {
    let sourcePath = "\(directory)/\(name).c"
    let output = "\(directory)/lib\(name).so"
    try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "cc", "-shared", "-fPIC", "-std=c11", "-I", Repository.root.appendingPathComponent("ABI/include").path,
        "-I", Repository.root.appendingPathComponent("Plugins/support/include").path, "-o", output, sourcePath,
    ]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw FatError(.badArtifact, "cc failed for \(name)") }
    return output
}

/// A test account with a fixed key.
struct TestAccount {
    let key: Ed25519SigningKey
    var account: AccountId { AccountId(key.publicKey)! }

    init(_ seedByte: UInt8) {
        key = try! Ed25519SigningKey(seed: [UInt8](repeating: seedByte, count: 32))
    }

    static let alice = TestAccount(1)
    static let bob = TestAccount(2)

    /// `command` signed for `host`: with a nonce above the account's last (unless it has one),
    /// an expiry a minute ahead (unless it has one), over the host's genesis id.
    func signed(_ command: Command, for host: FatHost) -> Command {
        var command = command
        if command.nonce == nil { command.nonce = ((try? host.lastNonce(of: account)) ?? 0) + 1 }
        if command.expiresAtMs == 0 { command.expiresAtMs = FatHost.nowMs + 60_000 }
        command.signature = Signature(scheme: .ed25519, bytes: key.sign(command.signingPayload(genesis: host.genesis)))
        return command
    }
}

extension FatHost {
    /// Deploys a native contract from `path` with constructor `name` and pre-encoded args.
    func deployNative(
        _ path: String, as caller: TestAccount = .alice, constructor: String? = nil, args: [UInt8] = [],
        salt: [UInt8] = SecureRandom.bytes(8)
    ) throws -> (AccountId, Receipt) {
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        let upload = CodeUpload(kind: .native, bytes: bytes, metadata: [])
        let code = try prepare(upload)
        let input = try constructor.map { name in try #require(code.metadata.constructors.first { $0.label == name }).selector + args } ?? []
        let receipt = try submit(caller.signed(Command.deploy(upload, input: input, salt: salt, caller: caller.account), for: self))
        return (receipt.contract, receipt)
    }

    /// Calls `message` as a command with pre-encoded SCALE args.
    func command(_ contract: AccountId, _ message: String, _ args: [UInt8] = [], as caller: TestAccount = .alice) throws -> Receipt {
        let spec = try #require(try metadata(of: contract).messages.first { $0.label == message })
        return try submit(caller.signed(Command(caller: caller.account, action: .call(contract: contract, input: spec.selector + args)), for: self))
    }

    /// Calls `message` as a query.
    func ask(_ contract: AccountId, _ message: String, _ args: [UInt8] = [], as caller: AccountId? = nil) throws -> QueryResult {
        let spec = try #require(try metadata(of: contract).messages.first { $0.label == message })
        return try query(contract, input: spec.selector + args, origin: caller)
    }
}

func le64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
func le128(_ value: UInt128) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
func u64(_ bytes: [UInt8]) -> UInt64 { bytes.prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
func u128(_ bytes: [UInt8]) -> UInt128 { bytes.prefix(16).reversed().reduce(0) { $0 << 8 | UInt128($1) } }

/// The engines of a host that runs native contracts as `isolation` says (workers: the
/// `fat-worker` built beside the tests).
func engines(_ isolation: NativeIsolation) throws -> [ContractEngine] {
    switch isolation {
    case .inProcess: FatHost.defaultEngines
    case .process: [IsolatedNativeEngine(executable: try Products.executable("fat-worker")), InkContractEngine()]
    }
}

/// Runs `body` with a host over a fresh data directory, closed and removed afterwards.
func withHost<T>(
    capabilities: CapabilityConfiguration = CapabilityConfiguration(), isolation: NativeIsolation = .inProcess, _ body: (FatHost) throws -> T
) throws -> T {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let host = try FatHost(dataDirectory: dir.path, engines: try engines(isolation), capabilities: capabilities)
    defer { host.close() }
    return try body(host)
}
