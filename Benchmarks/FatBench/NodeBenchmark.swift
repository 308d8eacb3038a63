import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import Foundation
import Glibc
import Synchronization

/// A `fat serve` process of this build, listening on a free loopback port; stopped on `stop()`.
final class ServeProcess {
    let process = Process()
    let listening: String
    let data: String
    /// When `fat serve` printed where it listens: a cluster host prints it once caught up.
    let ready: ContinuousClock.Instant

    /// `data`: an existing data directory to serve (a new one by default).
    init(_ arguments: [String], data: String = temporaryDirectory()) throws {
        self.data = data
        let fat = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("fat").path
        guard FileManager.default.isExecutableFile(atPath: fat) else {
            throw BenchError("\(fat) is missing; build it first: swift build -c release --product fat")
        }
        process.executableURL = URL(fileURLWithPath: fat)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--json"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while !line.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("fat serve exited before listening") }
            line += chunk
        }
        guard let address = try JSONValue.parse(Array(line.prefix { $0 != 10 }))["listening"]?.stringValue else {
            throw BenchError("fat serve's first line names no address: \(String(decoding: line, as: UTF8.self))")
        }
        listening = address
        ready = .now
    }

    /// Stops the server at once (SIGKILL), keeping its data directory.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: data)
    }
}

/// A blocking WebSocket client (RFC 6455, text frames, client-masked) over one TCP socket:
/// enough to drive the node face the way a JSON-RPC client does, one request at a time.
final class WebSocketClient {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: UInt16) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("websocket: cannot connect to \(host):\(port)") }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let key = Data(SecureRandom.bytes(16)).base64EncodedString()
        try write(
            Array(
                "GET / HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
                    .utf8))
        while true {
            if let end = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                guard head.hasPrefix("HTTP/1.1 101") else { throw BenchError("websocket: the upgrade was refused: \(head.prefix(80))") }
                buffer.removeFirst(end + 4)
                return
            }
            try fill()
        }
    }

    deinit { Glibc.close(socket) }

    /// Sends `text` and answers the next text message that is not a notification.
    func call(_ text: String) throws -> [UInt8] {
        try send(Array(text.utf8), opcode: 1)
        while true {
            let (opcode, payload) = try frame()
            switch opcode {
            case 9: try send(payload, opcode: 10)
            case 1, 2: return payload
            case 8: throw BenchError("websocket: the server closed the connection")
            default: continue
            }
        }
    }

    private func send(_ payload: [UInt8], opcode: UInt8) throws {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        } else {
            frame.append(0x80 | 127)
            frame += (0 ..< 8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64($0))) }
        }
        let mask = SecureRandom.bytes(4)
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    private func frame() throws -> (UInt8, [UInt8]) {
        while buffer.count < 2 { try fill() }
        let opcode = buffer[0] & 0x0f
        var length = Int(buffer[1] & 0x7f)
        var header = 2
        if length == 126 {
            while buffer.count < 4 { try fill() }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            header = 4
        } else if length == 127 {
            while buffer.count < 10 { try fill() }
            length = buffer[2 ..< 10].reduce(0) { $0 << 8 | Int($1) }
            header = 10
        }
        while buffer.count < header + length { try fill() }
        let payload = Array(buffer[header ..< header + length])
        buffer.removeFirst(header + length)
        return (opcode, payload)
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        return (0 ... buffer.count - pattern.count).first { Array(buffer[$0 ..< $0 + pattern.count]) == pattern }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(socket, &chunk, chunk.count)
        guard count > 0 else { throw BenchError("websocket: the connection ended") }
        buffer += chunk[..<count]
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw BenchError("websocket: write failed") }
            offset += written
        }
    }
}

/// The Substrate face against the `/v1` face of the same server, in the same run: a dry run
/// (`ContractsApi_call` over the WebSocket) against the same query on `/v1/queries` (HTTP
/// keep-alive), and signed extrinsics (`author_submitExtrinsic`) against signed `/v1/commands`,
/// both sr25519 and pre-signed, one key per connection. The contract is the ink! flipper.
func benchNode() throws {
    let server = try ServeProcess(["--native-isolation", "in-process"])
    defer { server.stop() }
    let socket = try SocketTransport(url: server.listening)
    let client = APIClient(transport: socket)
    let genesis = try client.genesis()
    guard let bundle = FileManager.default.contents(atPath: fixturePath("ink/contracts-ui/flipper.contract")) else {
        throw BenchError("node: \(fixturePath("ink/contracts-ui/flipper.contract")) is missing (../shared/fixtures)")
    }
    let metadata = try ContractMetadata.parse(json: [UInt8](bundle))
    let wasm = metadata.wasm!
    let new = metadata.constructor(named: "new")!.selector + [0]
    let get = metadata.message(named: "get")!.selector
    let flip = metadata.message(named: "flip")!.selector

    func rpc(_ ws: WebSocketClient, _ method: String, _ params: [JSONValue]) throws -> JSONValue {
        let request = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string(method)), ("params", .array(params))])
        let answer = try JSONValue.parse(try ws.call(request.serialized()))
        guard let result = answer["result"] else { throw BenchError("node: \(method) answered \(answer)") }
        return result
    }
    func hex(_ bytes: [UInt8]) -> JSONValue { .string("0x" + bytes.hexString) }
    let ws = try WebSocketClient(host: socket.host, port: socket.port)
    let chainGenesis = [UInt8](hex: try rpc(ws, "chain_getBlockHash", [.number("0")]).stringValue!)!
    let additional = ExtrinsicProof.additional(genesisHash: chainGenesis, birthHash: chainGenesis)
    func extrinsic(_ secret: [UInt8], nonce: UInt32, call: [UInt8]) throws -> [UInt8] {
        let account = AccountId(try Sr25519.publicKey(secretKey: secret))!
        return try Extrinsic.signed(signer: account, era: .immortal, nonce: nonce, call: call, additional: additional) {
            .sr25519(try Sr25519.sign(message: $0, secretKey: secret, randomness: nil))
        }
    }
    func contracts(_ index: UInt8, _ body: (inout ScaleEncoder) -> Void) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(RuntimeCall.Pallet.contracts)
        encoder.append(index)
        body(&encoder)
        return encoder.bytes
    }
    // The flipper, deployed by an extrinsic.
    let deployerSecret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 3, count: 32))
    let deploy = contracts(RuntimeCall.Index.instantiateWithCode) { encoder in
        encoder.appendCompact(0)
        Weight(refTime: 1_000_000_000, proofSize: 0).encode(into: &encoder)
        encoder.append(UInt8(0))
        encoder.appendByteVector(wasm)
        encoder.appendByteVector(new)
        encoder.appendByteVector([])
    }
    _ = try rpc(ws, "author_submitExtrinsic", [hex(try extrinsic(deployerSecret, nonce: 0, call: deploy))])
    let flipper = Dispatcher.contractAddress(
        deployer: AccountId(try Sr25519.publicKey(secretKey: deployerSecret))!, codeHash: Blake2b.hash256(wasm), input: new, salt: [])

    // Latency: the dry run and the /v1 query in turn, sequential, 5000 times each.
    var dryRun = ScaleEncoder()
    dryRun.appendBytes([UInt8](repeating: 0, count: 32))
    dryRun.appendBytes(flipper.bytes)
    dryRun.append(UInt128(0))
    dryRun.appendBytes([0, 0])
    dryRun.appendByteVector(get)
    let dryRunRequest = JSONValue.object([
        ("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string("state_call")),
        ("params", .array([.string("ContractsApi_call"), hex(dryRun.bytes)])),
    ]).serialized()
    let query = HTTPRequest(
        method: "POST", path: "/v1/queries", headers: [("Content-Type", "application/json")],
        body: Array(
            SignedQuery(genesis: genesis, contract: flipper.bytes, input: get, expiresAtMs: 0).json(signedBy: nil as ClientKey?).serialized().utf8))
    let connection = try HTTPConnection(host: socket.host, port: socket.port)
    var samples: [[Double]] = [[], []]
    let clock = ContinuousClock()
    for round in 0 ..< 2 {
        samples = [[], []]
        for _ in 0 ..< (round == 0 ? 500 : 5000) {
            var start = clock.now
            let response = try connection.send(query)
            samples[0].append(nanoseconds(clock.now - start) / 1000)
            precondition(response.status == 200, response.text)
            start = clock.now
            let answer = try ws.call(dryRunRequest)
            samples[1].append(nanoseconds(clock.now - start) / 1000)
            precondition(answer.starts(with: Array(#"{"jsonrpc":"2.0","result""#.utf8)), String(decoding: answer, as: UTF8.self))
        }
    }
    let (v1, node) = (samples[0].sorted(), samples[1].sorted())
    print("fat serve, the flipper's get: /v1/queries (HTTP) and ContractsApi_call (WebSocket), 5000 sequential requests each, interleaved:")
    print(String(format: "  POST /v1/queries              p50 %7.1f µs   p99 %7.1f µs", percentile(v1, 0.5), percentile(v1, 0.99)))
    print(
        String(
            format: "  state_call ContractsApi_call  p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f×)", percentile(node, 0.5), percentile(node, 0.99),
            percentile(node, 0.5) / percentile(v1, 0.5), percentile(node, 0.99) / percentile(v1, 0.99)))

    // Throughput: 32 connections, each its own sr25519 key, pre-signed flips sent one after another.
    let connections = 32
    let perConnection = 100
    // Separate keys per face: a /v1 nonce (here a microsecond timestamp) is past what a Substrate
    // account's u32 nonce can follow.
    let secrets = try (0 ..< connections).map { try Sr25519.secretKey(fromSeed: [UInt8](repeating: UInt8(100 + $0), count: 32)) }
    let nodeSecrets = try (0 ..< connections).map { try Sr25519.secretKey(fromSeed: [UInt8](repeating: UInt8(150 + $0), count: 32)) }
    let flipCall = contracts(RuntimeCall.Index.call) { encoder in
        encoder.append(UInt8(0))
        encoder.appendBytes(flipper.bytes)
        encoder.appendCompact(0)
        Weight(refTime: 1_000_000_000, proofSize: 0).encode(into: &encoder)
        encoder.append(UInt8(0))
        encoder.appendByteVector(flip)
    }
    let nonceBase = UInt64(Date().timeIntervalSince1970 * 1_000_000)
    func run(_ work: @escaping @Sendable (Int) throws -> Void) -> Double {
        let ready = DispatchGroup()
        let done = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        let failures = Atomic<Int>(0)
        for thread in 0 ..< connections {
            ready.enter()
            done.enter()
            Thread {
                ready.leave()
                start.wait()
                do { try work(thread) } catch {
                    failures.wrappingAdd(1, ordering: .relaxed)
                    FileHandle.standardError.write(Data("node: \(error)\n".utf8))
                }
                done.leave()
            }.start()
        }
        ready.wait()
        let began = clock.now
        for _ in 0 ..< connections { start.signal() }
        done.wait()
        precondition(failures.load(ordering: .relaxed) == 0, "requests failed")
        return Double(connections * perConnection) / (nanoseconds(clock.now - began) / 1e9)
    }
    var totals: [(count: Double, seconds: Double)] = [(0, 0), (0, 0)]
    for round in 0 ..< 3 {
        let v1Requests = try (0 ..< connections).map { thread in
            try (0 ..< perConnection).map { index -> HTTPRequest in
                var command = SignedCommand(
                    genesis: genesis, caller: [], action: .call(contract: flipper.bytes, input: flip),
                    nonce: nonceBase + UInt64(round * perConnection + index), expiresAtMs: FatHost.nowMs + 600_000)
                command.sign(with: try .sr25519(secret: secrets[thread]))
                return HTTPRequest(
                    method: "POST", path: "/v1/commands", headers: [("Content-Type", "application/json")], body: Array(command.json.serialized().utf8)
                )
            }
        }
        let v1Rate = run { thread in
            let connection = try HTTPConnection(host: socket.host, port: socket.port)
            for request in v1Requests[thread] {
                let response = try connection.send(request)
                guard response.status == 200, !response.text.hasPrefix("{\"ok\":false") else {
                    throw BenchError("node: /v1 command: \(response.text)")
                }
            }
        }
        let extrinsics = try (0 ..< connections).map { thread in
            try (0 ..< perConnection).map { index -> String in
                let nonce = UInt32(round * perConnection + index)
                return JSONValue.object([
                    ("jsonrpc", .string("2.0")), ("id", .number("1")), ("method", .string("author_submitExtrinsic")),
                    ("params", .array([hex(try extrinsic(nodeSecrets[thread], nonce: nonce, call: flipCall))])),
                ]).serialized()
            }
        }
        let nodeRate = run { thread in
            let socketClient = try WebSocketClient(host: socket.host, port: socket.port)
            for request in extrinsics[thread] {
                let answer = try socketClient.call(request)
                guard answer.starts(with: Array(#"{"jsonrpc":"2.0","result""#.utf8)) else {
                    throw BenchError("node: extrinsic refused: \(String(decoding: answer, as: UTF8.self))")
                }
            }
        }
        guard round > 0 else { continue }
        totals[0].count += Double(connections * perConnection)
        totals[0].seconds += Double(connections * perConnection) / v1Rate
        totals[1].count += Double(connections * perConnection)
        totals[1].seconds += Double(connections * perConnection) / nodeRate
    }
    let v1Rate = totals[0].count / totals[0].seconds
    let nodeRate = totals[1].count / totals[1].seconds
    print("throughput, \(connections) connections, one sr25519 key each, pre-signed flips, 2 rounds after a warm-up:")
    print(String(format: "  POST /v1/commands             %8.0f cmd/s", v1Rate))
    print(String(format: "  author_submitExtrinsic        %8.0f cmd/s   (%.2f×)", nodeRate, nodeRate / v1Rate))
    Report.row("node.contracts_call.p50", baseline: percentile(v1, 0.5), subject: percentile(node, 0.5), unit: "µs (baseline: POST /v1/queries)")
    Report.row("node.contracts_call.p99", baseline: percentile(v1, 0.99), subject: percentile(node, 0.99), unit: "µs (baseline: POST /v1/queries)")
    Report.row("node.extrinsics.32", baseline: v1Rate, subject: nodeRate, unit: "commands/s (baseline: POST /v1/commands, 32 connections)")
}
