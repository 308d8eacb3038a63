import FatHTTPTesting
import Testing

@testable import FatCapabilities

@Suite struct HTTPPolicyTests {
    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "dict://127.0.0.1/", "ws://127.0.0.1/"])
    func schemesOutsideThePolicyAreRefusedWithoutIO(url: String) throws {
        let fixture = try LoopbackFixture()
        let scheme = String(url.prefix { $0 != ":" })
        #expect(fixture.client.perform(HTTPRequest(url: url), deadline: .seconds(5)).error == .unsupportedScheme(scheme))
        #expect(fixture.server.connectionCount == 0)
    }

    @Test func aPolicyMayNarrowTheSchemes() throws {
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["*"], allowedSchemes: ["https"]))
        #expect(client.perform(HTTPRequest(url: "http://example.com/"), deadline: .seconds(5)).error == .unsupportedScheme("http"))
    }

    @Test(arguments: ["not a url", "http://", "/relative/path", "http://exa mple.com/"])
    func malformedURLsAreRefused(url: String) {
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["*"]))
        #expect(client.perform(HTTPRequest(url: url), deadline: .seconds(5)).error == .invalidURL)
    }

    @Test func aHostOutsideTheAllowListIsRefusedWithoutIO() throws {
        let server = try LoopbackHTTPServer()
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["api.example.com"], allowPrivateAddresses: true))
        let result = client.perform(HTTPRequest(url: server.baseURL + "/json"), deadline: .seconds(5))
        #expect(result.error == .hostNotAllowed("127.0.0.1:\(server.port)"))
        #expect(server.connectionCount == 0)
    }

    @Test func aPortInTheAllowListMustMatch() throws {
        let server = try LoopbackHTTPServer()
        let other = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1:\(server.port + 1)"], allowPrivateAddresses: true))
        #expect(other.perform(HTTPRequest(url: server.baseURL + "/json"), deadline: .seconds(5)).error == .hostNotAllowed("127.0.0.1:\(server.port)"))
        let same = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1:\(server.port)"], allowPrivateAddresses: true))
        #expect(try same.perform(HTTPRequest(url: server.baseURL + "/json"), deadline: .seconds(5)).get().statusCode == 200)
    }

    @Test func loopbackIsRefusedAtConnectTimeUnlessPrivateAddressesAreAllowed() throws {
        let server = try LoopbackHTTPServer()
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"]))
        #expect(client.perform(HTTPRequest(url: server.baseURL + "/json"), deadline: .seconds(5)).error == .privateAddress("127.0.0.1"))
        #expect(server.connectionCount == 0)
    }

    /// The allow-list names `localhost`, which passes; the address it resolves to is refused
    /// when the socket is opened, as a rebound public name would be.
    @Test func aNameResolvingToLoopbackIsRefusedAfterResolution() throws {
        let server = try LoopbackHTTPServer()
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["localhost"]))
        let error = client.perform(HTTPRequest(url: "http://localhost:\(server.port)/json"), deadline: .seconds(5)).error
        #expect(error == .privateAddress("127.0.0.1") || error == .privateAddress("::1"))
        #expect(server.connectionCount == 0)
    }

    @Test func batchesApplyTheAddressCheckToo() throws {
        let server = try LoopbackHTTPServer()
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"]))
        let results = try client.performBatch([HTTPRequest(url: server.baseURL + "/json")], deadline: .seconds(5)).get()
        #expect(results.map(\.error) == [.privateAddress("127.0.0.1")])
        #expect(server.connectionCount == 0)
    }

    @Test func hostPatternsMatchExactNamesSubdomainsAndPorts() {
        func allows(_ pattern: String, _ host: String, _ port: Int = 443) -> Bool {
            HostPattern(pattern).matches(host: normalizedHostName(host), port: port)
        }
        #expect(allows("api.example.com", "API.Example.COM"))
        #expect(allows("api.example.com", "api.example.com."))
        #expect(!allows("api.example.com", "example.com"))
        #expect(!allows("api.example.com", "evil-api.example.com"))
        #expect(allows("*.example.com", "a.b.example.com"))
        #expect(!allows("*.example.com", "example.com"))
        #expect(!allows("*.example.com", "notexample.com"))
        #expect(allows("*", "anything.test"))
        #expect(allows("example.com:8443", "example.com", 8443))
        #expect(!allows("example.com:8443", "example.com", 443))
        #expect(allows("[::1]:8080", "[::1]", 8080))
        #expect(allows("::1", "[::1]", 80))
        #expect(allows("*:8080", "any.host", 8080))
        #expect(!allows("*:8080", "any.host", 80))
    }

    @Test func hostsAreNamedWithThePortTheURLGave() throws {
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["example.com"]))
        #expect(client.perform(HTTPRequest(url: "https://Other.Example/"), deadline: .seconds(5)).error == .hostNotAllowed("other.example"))
        #expect(client.perform(HTTPRequest(url: "http://[::1]:81/"), deadline: .seconds(5)).error == .hostNotAllowed("[::1]:81"))
    }

    @Test func addressRangesOutsideThePublicInternetAreRecognized() {
        func v4(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> IPAddress { .v4(a << 24 | b << 16 | c << 8 | d) }
        func v6(_ words: [UInt16]) -> IPAddress { .v6(words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }) }
        let restricted: [IPAddress] = [
            v4(127, 0, 0, 1), v4(127, 255, 1, 2), v4(10, 1, 2, 3), v4(172, 16, 0, 1), v4(172, 31, 255, 255),
            v4(192, 168, 1, 1), v4(169, 254, 169, 254), v4(0, 0, 0, 0), v4(100, 64, 0, 1), v4(100, 127, 255, 255),
            v4(224, 0, 0, 1), v4(255, 255, 255, 255),
            v6([0, 0, 0, 0, 0, 0, 0, 1]), v6([0, 0, 0, 0, 0, 0, 0, 0]), v6([0xfc00, 0, 0, 0, 0, 0, 0, 1]),
            v6([0xfd12, 0x3456, 0, 0, 0, 0, 0, 1]), v6([0xfe80, 0, 0, 0, 0, 0, 0, 1]), v6([0xff02, 0, 0, 0, 0, 0, 0, 1]),
            v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001]), v6([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]),
            v6([0, 0, 0, 0, 0, 0, 0xc0a8, 0x0101]), v6([0x64, 0xff9b, 0, 0, 0, 0, 0xa9fe, 0xa9fe]),
            v6([0x2002, 0x7f00, 0x0001, 0, 0, 0, 0, 0]),
        ]
        for address in restricted {
            #expect(address.restrictedRange != nil, "\(address.text)")
        }
        let public_: [IPAddress] = [
            v4(8, 8, 8, 8), v4(172, 32, 0, 1), v4(172, 15, 255, 255), v4(100, 128, 0, 1), v4(192, 169, 0, 1), v4(1, 1, 1, 1),
            v6([0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888]), v6([0, 0, 0, 0, 0, 0xffff, 0x0808, 0x0808]),
            v6([0x2002, 0x0808, 0x0808, 0, 0, 0, 0, 1]),
        ]
        for address in public_ {
            #expect(address.restrictedRange == nil, "\(address.text)")
        }
        #expect(v4(127, 0, 0, 1).text == "127.0.0.1")
        #expect(v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001]).text == "::ffff:127.0.0.1")
        #expect(v4(127, 0, 0, 1).restrictedRange == "127.0.0.0/8 loopback")
    }
}
