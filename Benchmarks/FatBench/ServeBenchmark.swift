import FatClient
import FatCodec
import FatCrypto
import FatInk
import FatRuntime
import FatWire
import Foundation
import Synchronization

/// `fat serve` under load from this process (a separate process from the server), on loopback.
/// The floor is the same server's trivial handler, `GET /health`: what Hummingbird, the socket
/// and the client cost before any contract runs. Latency is sequential on one keep-alive
/// connection; throughput uses several connections, each on its own thread.
func benchServe() throws {
    // The deployer is the operator: the counter is native code, which only an operator brings.
    // Contracts in process: these rows measure the server; the isolation rows measure worker processes.
    let server = try ServeProcess(["--operator", "0x" + deployer.publicKey.hexString, "--native-isolation", "in-process"])
    defer { server.stop() }
    let listening = server.listening
    let socket = try SocketTransport(url: listening)
    let client = APIClient(transport: socket)
    let genesis = try client.genesis()

    // Contracts: the native counter, and the ink! flipper when the fixtures are present.
    func deploy(kind: String, code: [UInt8], metadata: [UInt8], args: JSONValue) throws -> String {
        let input: [UInt8]
        if kind == "native" {
            _ = try client.upload(kind: kind, code: code, metadata: [], signedBy: .ed25519(deployer))
            input = Array(Blake2b.hash256(Array("new".utf8)).prefix(4)) + [UInt8](repeating: 0, count: 8)
        } else {
            let staged = try client.upload(kind: kind, code: code, metadata: metadata, constructor: "new", args: args)
            guard let encoded = staged.input else { throw BenchError("serve: the server did not encode the flipper's constructor") }
            input = encoded.bytes
        }
        var command = SignedCommand(
            genesis: genesis, caller: deployer.publicKey,
            action: .deploy(
                codeHash: Blake2b.hash256(code), metadataHash: metadata.isEmpty ? nil : Blake2b.hash256(metadata),
                input: input, salt: SecureRandom.bytes(8)),
            nonce: UInt64(Date().timeIntervalSince1970 * 1_000_000), expiresAtMs: FatHost.nowMs + 60_000)
        command.sign(with: deployer)
        guard case let .deployed(answer) = try client.submit(command) else { throw BenchError("serve: a deploy failed") }
        return answer.address.description
    }
    let counter = try deploy(
        kind: "native", code: [UInt8](FileManager.default.contents(atPath: productPath("counter"))!), metadata: [],
        args: .array([.number("0")]))
    let counterGet = try client.encode(counter, message: "get", args: .array([]))
    var flipper: (String, [UInt8])?
    if let bundle = FileManager.default.contents(atPath: fixturePath("ink/contracts-ui/flipper.contract")) {
        let metadata = try ContractMetadata.parse(json: [UInt8](bundle))
        let address = try deploy(kind: "wasm", code: metadata.wasm!, metadata: [UInt8](bundle), args: .array([.bool(false)]))
        flipper = (address, try client.encode(address, message: "get", args: .array([])))
    } else {
        throw BenchError("serve: \(fixturePath("ink/contracts-ui/flipper.contract")) is missing (../shared/fixtures)")
    }

    func queryRequest(_ contract: String, _ input: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: "POST", path: "/v1/queries", headers: [("Content-Type", "application/json")],
            body: Array(
                SignedQuery(genesis: genesis, contract: [UInt8](hex: contract)!, input: input, expiresAtMs: 0).json(signedBy: nil as ClientKey?)
                    .serialized().utf8))
    }
    let health = HTTPRequest(method: "GET", path: "/health")
    let counterQuery = queryRequest(counter, counterGet)

    // Latency: sequential requests on one connection, the floor and each query in turn within
    // every iteration, so noise from other processes falls on all of them alike.
    let iterations = 5000
    let latencyRequests = [health, counterQuery] + (flipper.map { [queryRequest($0.0, $0.1)] } ?? [])
    let connection = try HTTPConnection(host: socket.host, port: socket.port)
    var samples = [[Double]](repeating: [], count: latencyRequests.count)
    let clock = ContinuousClock()
    for round in 0 ..< 2 {  // the first round warms up and is discarded
        for index in samples.indices { samples[index].removeAll(keepingCapacity: true) }
        for _ in 0 ..< (round == 0 ? 500 : iterations) {
            for (index, request) in latencyRequests.enumerated() {
                let start = clock.now
                let response = try connection.send(request)
                samples[index].append(nanoseconds(clock.now - start) / 1000)
                precondition(response.status == 200, response.text)
            }
        }
    }
    let latencies = samples.map { list in
        let sorted = list.sorted()
        return (p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99))
    }
    let floor = latencies[0]
    let native = latencies[1]
    let ink = latencies.count > 2 ? latencies[2] : nil
    print("fat serve on loopback, load from this process; \(iterations) sequential requests each on one keep-alive connection, interleaved:")
    print(String(format: "  floor: GET /health            p50 %7.1f µs   p99 %7.1f µs", floor.p50, floor.p99))
    print(
        String(
            format: "  native counter get (query)    p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the floor)",
            native.p50, native.p99, native.p50 / floor.p50, native.p99 / floor.p99))
    if let ink {
        print(
            String(
                format: "  ink! flipper get (query)      p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the floor)",
                ink.p50, ink.p99, ink.p50 / floor.p50, ink.p99 / floor.p99))
    }

    // Throughput: `connections` threads, each its own connection, `total` requests in all.
    func throughput(connections: Int, total: Int, _ requests: @escaping @Sendable (Int, Int) -> HTTPRequest) throws -> Double {
        let perConnection = total / connections
        let prepared = (0 ..< connections).map { thread in (0 ..< perConnection).map { requests(thread, $0) } }
        let run = try connectionLoad(targets: [listening], requests: prepared) { $0.status == 200 && !$0.text.hasPrefix("{\"ok\":false") }
        precondition(run.failures.isEmpty, "\(run.failures.count) requests failed")
        return Double(perConnection * connections) / run.seconds
    }
    // The floor and the queries in turn, round after round (the first round warms up).
    let connections = 8
    let inkRequest = flipper.map { queryRequest($0.0, $0.1) }
    var totals: [(requests: Double, seconds: Double)] = [(0, 0), (0, 0), (0, 0)]
    for round in 0 ... 4 {
        let runs: [(Int, HTTPRequest?)] = [(8_000, health), (8_000, counterQuery), (4_000, inkRequest)]
        for (index, (total, request)) in runs.enumerated() {
            guard let request else { continue }
            let rate = try throughput(connections: connections, total: total) { _, _ in request }
            guard round > 0 else { continue }
            totals[index].requests += Double(total)
            totals[index].seconds += Double(total) / rate
        }
    }
    let floorRate = totals[0].requests / totals[0].seconds
    let nativeRate = totals[1].requests / totals[1].seconds
    let inkRate: Double? = flipper == nil ? nil : totals[2].requests / totals[2].seconds
    // Commands: pre-signed increments, one key per connection, so nonces rise per account.
    let increment = try client.encode(counter, message: "increment", args: .array([.number("1")]))
    let signers = try (0 ..< 64).map { try Ed25519SigningKey(seed: [UInt8](repeating: UInt8(40 + $0), count: 32)) }
    let base = UInt64(Date().timeIntervalSince1970 * 1_000_000)
    func commands(_ connections: Int, total: Int) throws -> Double {
        try throughput(connections: connections, total: total) { thread, index in
            var command = SignedCommand(
                genesis: genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: increment),
                nonce: base + UInt64(index), expiresAtMs: FatHost.nowMs + 600_000)
            command.sign(with: signers[thread])
            return HTTPRequest(
                method: "POST", path: "/v1/commands", headers: [("Content-Type", "application/json")],
                body: Array(command.json.serialized().utf8))
        }
    }
    _ = try commands(8, total: 800)  // warm-up; the measured runs use fresh nonces above these
    let commandRates = try [8, 32, 64].map { connections -> (Int, Double) in
        (
            connections,
            try throughput(connections: connections, total: 8000) { thread, index in
                var command = SignedCommand(
                    genesis: genesis, caller: [], action: .call(contract: [UInt8](hex: counter)!, input: increment),
                    nonce: base + 1_000_000 * UInt64(connections) + UInt64(index), expiresAtMs: FatHost.nowMs + 600_000)
                command.sign(with: signers[thread])
                return HTTPRequest(
                    method: "POST", path: "/v1/commands", headers: [("Content-Type", "application/json")],
                    body: Array(command.json.serialized().utf8))
            }
        )
    }
    print(
        "throughput, \(connections) connections, the floor and the queries in turn over 4 rounds (commands: one signing key per connection, pre-signed):"
    )
    print(String(format: "  floor: GET /health            %8.0f req/s", floorRate))
    print(String(format: "  native counter get (query)    %8.0f req/s   (%.2f× the floor)", nativeRate, nativeRate / floorRate))
    if let inkRate {
        print(String(format: "  ink! flipper get (query)      %8.0f req/s   (%.2f× the floor)", inkRate, inkRate / floorRate))
    }
    for (connections, rate) in commandRates {
        print(
            String(
                format: "  counter increment (command)   %8.0f cmd/s   (%.2f× the floor; %d connections; durable before each answer)",
                rate, rate / floorRate, connections))
    }
    let info = try client.info()
    print("  server log after the run: \(info.seq) commands")
    Report.row("serve.native.get.p50", baseline: floor.p50, subject: native.p50, unit: "µs (baseline: GET /health)")
    Report.row("serve.native.get.p99", baseline: floor.p99, subject: native.p99, unit: "µs (baseline: GET /health)")
    if let ink { Report.row("serve.flipper.get.p50", baseline: floor.p50, subject: ink.p50, unit: "µs (baseline: GET /health)") }
    Report.row("serve.native.get.throughput", baseline: floorRate, subject: nativeRate, unit: "req/s (baseline: GET /health)")
    if let inkRate { Report.row("serve.flipper.get.throughput", baseline: floorRate, subject: inkRate, unit: "req/s (baseline: GET /health)") }
    for (connections, rate) in commandRates {
        Report.row("serve.commands.\(connections)", baseline: floorRate, subject: rate, unit: "commands/s (baseline: GET /health, 8 connections)")
    }
}

/// A fixture's path: under `FAT_FIXTURES` when set, else ../shared/fixtures beside the repository.
func fixturePath(_ relative: String) -> String {
    if let root = ProcessInfo.processInfo.environment["FAT_FIXTURES"], !root.isEmpty {
        return URL(fileURLWithPath: root).appendingPathComponent(relative).path
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/" + relative).path
}
