import FatCapabilities
import FatHTTPTesting
import Foundation
import Testing

@Suite struct HTTPConcurrencyTests {
    @Test func sequentialRequestsReuseOneConnection() throws {
        let fixture = try LoopbackFixture()
        for _ in 0 ..< 20 {
            #expect(try fixture.get("/json").get().statusCode == 200)
        }
        #expect(fixture.server.requestCount == 20)
        #expect(fixture.server.connectionCount == 1)
    }

    @Test func eightThreadsCanPerformAtOnce() throws {
        let fixture = try LoopbackFixture()
        let perThread = 25
        let failures = NSLock()
        nonisolated(unsafe) var failed: [String] = []
        let group = DispatchGroup()
        for thread in 0 ..< 8 {
            group.enter()
            Thread {
                for index in 0 ..< perThread {
                    let body = Array("thread \(thread) request \(index)".utf8)
                    let result = fixture.client.perform(HTTPRequest(method: "POST", url: fixture.url("/echo"), body: body), deadline: .seconds(10))
                    if result.value.map({ Array($0.body.suffix(body.count)) == body }) != true {
                        failures.withLock { failed.append("\(thread)/\(index): \(result)") }
                    }
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(failed.isEmpty)
        #expect(fixture.server.requestCount == 8 * perThread)
        #expect(fixture.server.connectionCount <= 16)
    }
}
