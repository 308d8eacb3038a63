import FatCapabilities
import FatCodec
import FatHTTPTesting
import FatRuntime
import Foundation

/// Sequential GETs of a small JSON document from a loopback server: a bare reused libcurl handle
/// (the baseline), `HTTPClient.perform` (policy checks, pooled handle, option reset, header
/// parsing), and the whole path a contract takes (a native query to Contracts/oracle, which GETs
/// the document through fat.http and hands it to the json module).
///
/// Each turn starts a new loopback server, so all three open new connections, served by new
/// threads; then each runs a batch of 50 requests, in an order that rotates from turn to turn.
/// On two shared cores, a connection's round trip settles into a fast or a slow mode by where
/// the scheduler puts its server thread and stays there: with connections made once, one of the
/// three would draw the fast mode for the whole run. New connections each turn spread the modes
/// over all three alike, as the turns spread a noisy neighbour.
func benchHTTP() throws {
    let turns = 40
    let batch = 50
    let expected = Array(LoopbackRoutes.jsonDocument.utf8)
    let clock = ContinuousClock()
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(
        dataDirectory: dir,
        capabilities: CapabilityConfiguration(
            allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true, modulePaths: [productPath("json")]))
    defer { host.close() }
    let oracle = try deployOracle(host)
    let fetch = try selector(host, oracle, "fetch")
    var answer = ScaleEncoder()
    answer.append(UInt8(0))
    answer.appendString(LoopbackRoutes.jsonDocument)
    var samples: [[Double]] = [[], [], []]
    var connections = 0
    for turn in 0 ... turns {  // turn 0 warms caches and code paths and is discarded
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let url = server.baseURL + "/json"
        // All three send what Contracts/oracle sends: a GET with `Accept: application/json`.
        let baseline = CurlBaseline(url: url, header: "Accept: application/json")
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true))
        let request = HTTPRequest(url: url, headers: [HTTPHeader(name: "Accept", value: "application/json")])
        var input = ScaleEncoder()
        input.appendBytes(fetch)
        input.appendString(url)
        input.appendString("")
        let query = input.bytes
        let operations: [() throws -> Void] = [
            { precondition(baseline.get() == expected) },
            {
                let body = try client.perform(request, deadline: .now + .seconds(5)).get().body
                precondition(body == expected)
            },
            {
                let result = try host.query(oracle, input: query)
                precondition(result.output == answer.bytes, "\(result.outcome) \(result.logs)")
            },
        ]
        for operation in operations { try operation() }  // each opens its connection, untimed
        for step in 0 ..< 3 {
            let which = (turn + step) % 3
            for _ in 0 ..< batch {
                let start = clock.now
                try operations[which]()
                if turn > 0 { samples[which].append(nanoseconds(clock.now - start)) }
            }
        }
        connections += server.connectionCount
    }
    let iterations = turns * batch
    let bare = samples[0].sorted()
    let hosted = samples[1].sorted()
    let contract = samples[2].sorted()
    print(
        "HTTP GET of a \(expected.count)-byte JSON document from a loopback keep-alive server, \(iterations) sequential requests each, in turn by batches of \(batch), a new server each turn:"
    )
    print(String(format: "  bare reused libcurl handle  p50 %7.1f µs   p99 %7.1f µs", percentile(bare, 0.5) / 1e3, percentile(bare, 0.99) / 1e3))
    print(
        String(
            format: "  HTTPClient.perform          p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the bare handle)",
            percentile(hosted, 0.5) / 1e3, percentile(hosted, 0.99) / 1e3,
            percentile(hosted, 0.5) / percentile(bare, 0.5), percentile(hosted, 0.99) / percentile(bare, 0.99)))
    print(
        String(
            format: "  native query (oracle.fetch)  p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the bare handle)",
            percentile(contract, 0.5) / 1e3, percentile(contract, 0.99) / 1e3,
            percentile(contract, 0.5) / percentile(bare, 0.5), percentile(contract, 0.99) / percentile(bare, 0.99)))
    print("  server connections: \(connections) over \(turns + 1) servers (three per server when keep-alive works)")
    Report.row("http.client.p50", baseline: percentile(bare, 0.5), subject: percentile(hosted, 0.5), unit: "ns (baseline: a bare libcurl handle)")
    Report.row("http.oracle.p50", baseline: percentile(bare, 0.5), subject: percentile(contract, 0.5), unit: "ns (baseline: a bare libcurl handle)")
    Report.row("http.oracle.p99", baseline: percentile(bare, 0.99), subject: percentile(contract, 0.99), unit: "ns (baseline: a bare libcurl handle)")
}

func deployOracle(_ host: FatHost) throws -> AccountId {
    let bytes = [UInt8](FileManager.default.contents(atPath: productPath("oracle"))!)
    let upload = CodeUpload(kind: .native, bytes: bytes, metadata: [])
    let code = try host.prepare(upload)
    let constructor = code.metadata.constructors.first { $0.label == "new" }!
    return try host.submit(Command.deploy(upload, input: constructor.selector, salt: [2], caller: deployerAccount)).contract
}
