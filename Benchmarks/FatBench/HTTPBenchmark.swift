import FatCapabilities
import FatCodec
import FatHTTPTesting
import FatRuntime
import Foundation

/// Sequential GETs of a small JSON document from a loopback server: `HTTPClient.perform` (policy
/// checks, pooled handle, option reset, header parsing) against a bare reused libcurl handle.
func benchHTTP() throws {
    let iterations = 2000
    let server = try LoopbackHTTPServer()
    defer { server.stop() }
    let url = server.baseURL + "/json"
    let expected = Array(LoopbackRoutes.jsonDocument.utf8)
    let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true))
    // All three send what Contracts/oracle sends: a GET with `Accept: application/json`.
    let baseline = CurlBaseline(url: url, header: "Accept: application/json")
    let request = HTTPRequest(url: url, headers: [HTTPHeader(name: "Accept", value: "application/json")])
    let clock = ContinuousClock()

    // The whole path a contract takes: a native query to Contracts/oracle, which GETs the document
    // through fat.http and hands it to the json module (pointer "", the whole document).
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir, capabilities: CapabilityConfiguration(
        allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true, modulePaths: [productPath("json")]))
    defer { host.close() }
    let oracle = try deployOracle(host)
    var input = ScaleEncoder()
    input.appendBytes(try selector(host, oracle, "fetch"))
    input.appendString(url)
    input.appendString("")
    let query = input.bytes
    var answer = ScaleEncoder()
    answer.append(UInt8(0))
    answer.appendString(LoopbackRoutes.jsonDocument)

    // The three are measured in turn within each iteration, so a noisy neighbour slows all
    // three alike instead of whichever block it happens to fall on.
    var bare: [Double] = [], hosted: [Double] = [], contract: [Double] = []
    for round in 0 ..< 2 { // the first round warms connections and caches and is discarded
        bare.removeAll(keepingCapacity: true)
        hosted.removeAll(keepingCapacity: true)
        contract.removeAll(keepingCapacity: true)
        for _ in 0 ..< (round == 0 ? 200 : iterations) {
            var start = clock.now
            precondition(baseline.get() == expected)
            bare.append(nanoseconds(clock.now - start))
            start = clock.now
            precondition(try! client.perform(request, deadline: .now + .seconds(5)).get().body == expected)
            hosted.append(nanoseconds(clock.now - start))
            start = clock.now
            let result = try! host.query(oracle, input: query)
            contract.append(nanoseconds(clock.now - start))
            precondition(result.output == answer.bytes, "\(result.outcome) \(result.logs)")
        }
    }
    bare.sort()
    hosted.sort()
    contract.sort()
    print("HTTP GET of a \(expected.count)-byte JSON document from a loopback keep-alive server, \(iterations) sequential requests each, interleaved:")
    print(String(format: "  bare reused libcurl handle  p50 %7.1f µs   p99 %7.1f µs", percentile(bare, 0.5) / 1e3, percentile(bare, 0.99) / 1e3))
    print(String(format: "  HTTPClient.perform          p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the bare handle)",
                 percentile(hosted, 0.5) / 1e3, percentile(hosted, 0.99) / 1e3,
                 percentile(hosted, 0.5) / percentile(bare, 0.5), percentile(hosted, 0.99) / percentile(bare, 0.99)))
    print(String(format: "  native query (oracle.fetch)  p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the bare handle)",
                 percentile(contract, 0.5) / 1e3, percentile(contract, 0.99) / 1e3,
                 percentile(contract, 0.5) / percentile(bare, 0.5), percentile(contract, 0.99) / percentile(bare, 0.99)))
    print("  server connections: \(server.connectionCount) (one per client when keep-alive works)")
}

func deployOracle(_ host: FatHost) throws -> AccountId {
    let bytes = [UInt8](FileManager.default.contents(atPath: productPath("oracle"))!)
    let upload = CodeUpload(kind: .native, bytes: bytes, metadata: [])
    let code = try host.prepare(upload)
    let constructor = code.metadata.constructors.first { $0.label == "new" }!
    return try host.submit(Command.deploy(upload, input: constructor.selector, salt: [2], caller: deployerAccount)).contract
}
