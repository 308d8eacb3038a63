import FatCapabilities
import FatHTTPTesting

/// Sequential GETs of a small JSON document from a loopback server: `HTTPClient.perform` (policy
/// checks, pooled handle, option reset, header parsing) against a bare reused libcurl handle.
func benchHTTP() throws {
    let iterations = 2000
    let server = try LoopbackHTTPServer()
    defer { server.stop() }
    let url = server.baseURL + "/json"
    let expected = Array(LoopbackRoutes.jsonDocument.utf8)
    let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true))
    let baseline = CurlBaseline(url: url)
    let request = HTTPRequest(url: url)
    let clock = ContinuousClock()

    func measure(_ body: () -> [UInt8]) -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0 ..< iterations {
            let start = clock.now
            let received = body()
            samples.append(nanoseconds(clock.now - start))
            precondition(received == expected)
        }
        return samples.sorted()
    }
    var bare: [Double] = []
    var hosted: [Double] = []
    for _ in 0 ..< 2 { // the first round warms connections and caches and is discarded
        bare = measure { baseline.get() }
        hosted = measure { try! client.perform(request, deadline: .now + .seconds(5)).get().body }
    }
    print("HTTP GET of a \(expected.count)-byte JSON document from a loopback keep-alive server, \(iterations) sequential requests:")
    print(String(format: "  bare reused libcurl handle  p50 %7.1f µs   p99 %7.1f µs", percentile(bare, 0.5) / 1e3, percentile(bare, 0.99) / 1e3))
    print(String(format: "  HTTPClient.perform          p50 %7.1f µs   p99 %7.1f µs   (%.2f× / %.2f× the bare handle)",
                 percentile(hosted, 0.5) / 1e3, percentile(hosted, 0.99) / 1e3,
                 percentile(hosted, 0.5) / percentile(bare, 0.5), percentile(hosted, 0.99) / percentile(bare, 0.99)))
    print("  server connections: \(server.connectionCount) (one per client when keep-alive works)")
}
