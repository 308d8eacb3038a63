import CCurl
import FatHTTPTesting
import Foundation
import Testing

@testable import FatCapabilities

@Suite struct HTTPLimitTests {
    @Test func aDeclaredBodyOverTheLimitIsRefused() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxResponseBytes: 1000) }
        #expect(fixture.get("/bytes?n=1001").error == .responseTooLarge(limit: 1000))
    }

    @Test func aChunkedBodyOverTheLimitIsRefused() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxResponseBytes: 1000) }
        #expect(fixture.get("/bytes?n=1001&chunked=1").error == .responseTooLarge(limit: 1000))
    }

    /// A 512 MiB stream against a 64 KiB limit: the transfer stops early and the process never
    /// holds the body, which the peak resident size would show.
    @Test func anEndlessBodyIsAbandonedWithoutBufferingIt() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxResponseBytes: 64 * 1024) }
        let peakBefore = peakResidentBytes()
        let started = ContinuousClock.now
        #expect(fixture.get("/bytes?n=\(512 << 20)&chunked=1", within: 30).error == .responseTooLarge(limit: 64 * 1024))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(peakResidentBytes() - peakBefore < 64 << 20)
    }

    @Test func theBodyBufferNeverExceedsTheLimit() throws {
        let handle = try #require(EasyHandle())
        let server = try LoopbackHTTPServer()
        let rules = PolicyRules(HTTPPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true, maxResponseBytes: 100_000))
        let exchange = try Exchange(HTTPRequest(url: server.baseURL + "/bytes?n=10000000&chunked=1"), rules: rules)
        handle.prepare(exchange, rules: rules, timeoutMilliseconds: 5000)
        #expect(handle.outcome(curl_easy_perform(handle.curl)).error == .responseTooLarge(limit: 100_000))
        #expect(handle.body.count <= 100_000)
    }

    @Test func headersUpToTheLimitAreAcceptedAndOneMoreIsRefused() throws {
        let fixture = try LoopbackFixture { host in HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxHeaders: 20) }
        // The route adds Content-Type and Content-Length to the requested headers.
        let full = try fixture.get("/headers?n=18").get()
        #expect(full.headers.count == 20)
        #expect(HTTPHeader.named("X-Header-18", in: full.headers) == "value 18")
        #expect(fixture.get("/headers?n=19").error == .tooManyHeaders(limit: 20))
    }

    @Test func theDefaultHeaderLimitIs256() throws {
        let fixture = try LoopbackFixture()
        #expect(try fixture.get("/headers?n=254").get().headers.count == 256)
        #expect(fixture.get("/headers?n=255").error == .tooManyHeaders(limit: 256))
    }

    @Test func aSlowServerTimesOutAtTheDeadline() throws {
        let fixture = try LoopbackFixture()
        let started = ContinuousClock.now
        #expect(fixture.get("/slow?ms=3000", within: 0.3).error == .timedOut)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(290))
        #expect(elapsed < .milliseconds(1000))
    }

    @Test func aPassedDeadlineFailsWithoutIO() throws {
        let fixture = try LoopbackFixture()
        #expect(fixture.client.perform(HTTPRequest(url: fixture.url("/json")), deadline: .now - .seconds(1)).error == .timedOut)
        #expect(fixture.server.connectionCount == 0)
    }

    @Test func aResponseWithinTheDeadlineSucceeds() throws {
        let fixture = try LoopbackFixture()
        #expect(try fixture.get("/slow?ms=100", within: 2).get().text == "slow")
    }
}

/// The process's peak resident set size so far, in bytes.
private func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
