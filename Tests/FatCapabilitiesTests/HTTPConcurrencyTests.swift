import FatCapabilities
import FatHTTPTesting
import Foundation
import Synchronization
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

    /// Eight threads share one client; each request gets its own answer back, never another's.
    @Test func eightThreadsSharingAClientEachGetTheirOwnAnswers() throws {
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

    /// Eight requests from eight threads are in flight together: the server holds each until all
    /// eight have arrived, so a client that ran them one at a time would get 504s after 10 s.
    @Test func eightRequestsFromEightThreadsAreInFlightAtOnce() throws {
        let barrier = LoopbackBarrier(parties: 8)
        let server = try LoopbackHTTPServer { _ in barrier.response() }
        defer { server.stop() }
        let client = HTTPClient(policy: HTTPPolicy(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true))
        let statuses = Mutex<[Int]>([])
        let group = DispatchGroup()
        for _ in 0 ..< 8 {
            group.enter()
            Thread {
                let result = client.perform(HTTPRequest(url: server.baseURL + "/barrier"), deadline: .seconds(20))
                statuses.withLock { $0.append(result.value.map { Int($0.statusCode) } ?? -1) }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(statuses.withLock { $0 } == [Int](repeating: 200, count: 8))
        #expect(server.connectionCount == 8)
    }
}
