import FatCapabilities
import FatHTTPTesting
import Testing

@Suite struct HTTPBatchTests {
    @Test func fiveSlowRequestsRunConcurrently() throws {
        let fixture = try LoopbackFixture()
        let requests = (0 ..< 5).map { _ in HTTPRequest(url: fixture.url("/slow?ms=300")) }
        let started = ContinuousClock.now
        let results = try fixture.client.performBatch(requests, deadline: .seconds(5)).get()
        let elapsed = ContinuousClock.now - started
        #expect(results.count == 5)
        #expect(results.allSatisfy { $0.value?.text == "slow" })
        #expect(elapsed < .milliseconds(1200), "5 × 300 ms took \(elapsed)")
        #expect(fixture.server.connectionCount == 5)
    }

    @Test func aBatchOverTheLimitIsRefusedWithoutIO() throws {
        let fixture = try LoopbackFixture()
        let requests = (0 ..< 6).map { _ in HTTPRequest(url: fixture.url("/json")) }
        #expect(fixture.client.performBatch(requests, deadline: .seconds(5)).error == .batchTooLarge(limit: 5))
        #expect(fixture.server.connectionCount == 0)
    }

    @Test func eachRequestSucceedsOrFailsOnItsOwnInOrder() throws {
        let fixture = try LoopbackFixture()
        let requests = [
            HTTPRequest(url: fixture.url("/json")),
            HTTPRequest(url: "file:///etc/passwd"),
            HTTPRequest(method: "POST", url: fixture.url("/length"), body: [UInt8](repeating: 7, count: 3000)),
            HTTPRequest(url: fixture.url("/chain?n=2")),
            HTTPRequest(url: fixture.url("/status?code=500")),
        ]
        let results = try fixture.client.performBatch(requests, deadline: .seconds(5)).get()
        #expect(results[0].value?.text == LoopbackRoutes.jsonDocument)
        #expect(results[1].error == .unsupportedScheme("file"))
        #expect(results[2].value?.text == "3000")
        #expect(results[3].value?.text == "end of chain")
        #expect(results[4].value?.statusCode == 500)
    }

    @Test func requestsUnansweredAtTheDeadlineTimeOutAndTheOthersComplete() throws {
        let fixture = try LoopbackFixture()
        let requests = [
            HTTPRequest(url: fixture.url("/slow?ms=3000")), HTTPRequest(url: fixture.url("/json")),
            HTTPRequest(url: fixture.url("/loop")),
        ]
        let started = ContinuousClock.now
        let results = try fixture.client.performBatch(requests, deadline: .seconds(0.4)).get()
        #expect(ContinuousClock.now - started < .milliseconds(1000))
        #expect(results[0].error == .timedOut)
        #expect(results[1].value?.text == LoopbackRoutes.jsonDocument)
        #expect(results[2].error == .tooManyRedirects(limit: 5))
    }

    @Test func anEmptyBatchHasNoResults() throws {
        let fixture = try LoopbackFixture()
        #expect(try fixture.client.performBatch([], deadline: .seconds(1)).get().isEmpty)
    }

    @Test func limitsApplyWithinABatch() throws {
        let fixture = try LoopbackFixture { host in
            HTTPPolicy(allowedHosts: [host], allowPrivateAddresses: true, maxResponseBytes: 1000, maxHeaders: 10)
        }
        let requests = [
            HTTPRequest(url: fixture.url("/bytes?n=5000&chunked=1")), HTTPRequest(url: fixture.url("/headers?n=20")),
            HTTPRequest(url: fixture.url("/bytes?n=1000")),
        ]
        let results = try fixture.client.performBatch(requests, deadline: .seconds(5)).get()
        #expect(results[0].error == .responseTooLarge(limit: 1000))
        #expect(results[1].error == .tooManyHeaders(limit: 10))
        #expect(results[2].value?.body.count == 1000)
    }

    @Test func batchesReuseConnectionsFromEarlierBatches() throws {
        let fixture = try LoopbackFixture()
        let requests = (0 ..< 3).map { _ in HTTPRequest(url: fixture.url("/slow?ms=50")) }
        for _ in 0 ..< 4 {
            #expect(try fixture.client.performBatch(requests, deadline: .seconds(5)).get().allSatisfy { $0.value != nil })
        }
        #expect(fixture.server.requestCount == 12)
        #expect(fixture.server.connectionCount == 3)
    }
}
