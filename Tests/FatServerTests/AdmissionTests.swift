import FatClient
import FatCodec
import FatHTTPTesting
import FatRuntime
import FatServer
import FatTesting
import Foundation
import Synchronization
import Testing

/// What the server does when queries wait on the network: the places for queries fill, the next
/// query is refused with 503 at once, and commands keep being answered meanwhile.
@Suite("fat serve: admission", .serialized)
struct AdmissionTests {
    @Test func slowQueriesFillTheirPlacesTheNextIs503AndCommandsAreNotHeldUp() async throws {
        // An oracle endpoint that holds every request until the test lets it answer.
        let arrived = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let requests = Mutex(0)
        let endpoint = try LoopbackHTTPServer { _ in
            requests.withLock { $0 += 1 }
            arrived.signal()
            _ = release.wait(timeout: .now() + 60)
            return LoopbackResponse(text: #"{"value": 7}"#)
        }
        defer {
            for _ in 0 ..< 8 { release.signal() }
            endpoint.stop()
        }
        var configuration = ServerConfiguration()
        configuration.maxConcurrentQueries = 2
        // The slow queries are held until the end on purpose: their deadline must outlast the
        // test on a loaded machine (other suites start servers and etcd beside it).
        configuration.queryTimeoutMs = 120_000
        let capabilities = CapabilityConfiguration(
            allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true,
            modulePaths: [try Products.library("json")])
        let server = try await TestServer(configuration: configuration, capabilities: capabilities)
        defer { Task { await server.stop() } }
        let operatorKey = try key(1)
        let oracle = try await server.deploy("oracle", constructor: "new", as: operatorKey)
        let counter = try await server.deploy("counter", args: .array([.number("0")]), as: operatorKey)
        let fetch: JSONValue = .array([.string(endpoint.baseURL + "/value"), .string("/value")])

        let slow = (0 ..< 2).map { _ in Task { try await server.query(oracle, "fetch", args: fetch) } }
        for _ in 0 ..< 2 {
            let reached = try await blocking { arrived.wait(timeout: .now() + 30) == .success }
            try #require(reached, "a slow query never reached the endpoint")
        }

        // Both places are taken: the next query is refused at once, with when to retry.
        let input = try await blocking { try server.client.encode(oracle, message: "fetch", args: fetch) }
        let third = SignedQuery(genesis: server.genesis, contract: [UInt8](hex: oracle)!, input: input, expiresAtMs: FatHost.nowMs + 30_000)
        let refused = try await server.raw("POST", "/v1/queries", body: Array(third.json(signedBy: nil as ClientKey?).serialized().utf8))
        #expect(refused.status == 503)
        #expect(refused.json?["error"]?["code"]?.stringValue == "busy")
        #expect(refused.headers.first { $0.0.lowercased() == "retry-after" }?.1 == "1")
        #expect(requests.withLock { $0 } == 2)  // the refused query made no request

        // Commands are answered while both queries still wait.
        for expected in 1 ... 3 {
            let answer = try await server.call(counter, "increment", args: .array([.number("1")]), as: operatorKey)
            #expect(answer["ok"] == .bool(true))
            #expect(answer["output"] == .number(String(expected)))
        }
        #expect(requests.withLock { $0 } == 2)

        // Let the endpoint answer: both slow queries end with its value.
        release.signal()
        release.signal()
        for task in slow {
            let answer = try await task.value
            #expect(answer["ok"] == .bool(true), "\(answer.serialized())")
            #expect(answer["output"]?.serialized().contains("7") == true, "\(answer.serialized())")
        }
        // And the places are free again (this query's request is answered at once).
        release.signal()
        let after = try await server.raw("POST", "/v1/queries", body: Array(third.json(signedBy: nil as ClientKey?).serialized().utf8))
        #expect(after.status == 200)
    }
}
