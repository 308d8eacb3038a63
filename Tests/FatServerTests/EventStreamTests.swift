import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer
import Foundation
import Synchronization
import Testing

@Suite("fat serve: events as Server-Sent Events", .serialized)
struct EventStreamTests {
    /// Reads the event stream from `from` (or after `lastEventId`) until `count` receipts arrived.
    func receipts(_ server: TestServer, from: UInt64? = nil, lastEventId: UInt64? = nil, count: Int) async throws -> [ServerSentEvent] {
        try await blocking {
            let client = try APIClient(url: "http://127.0.0.1:\(server.port)")
            var seen: [ServerSentEvent] = []
            try client.events(from: from, lastEventId: lastEventId) { event in
                if event.event == "receipt" { seen.append(event) }
                return seen.count < count
            }
            return seen
        }
    }

    @Test func aStreamReplaysFromASequenceNumberThenFollowsNewCommands() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let bob = try key(2)
        let token = try await server.deploy("token", args: .array([.number("1000")]), as: alice)
        let bobAddress = JSONValue.string("0x" + bob.publicKey.hexString)
        for amount in 1 ... 3 {
            _ = try await server.call(token, "transfer", args: .array([bobAddress, .number(String(amount))]), as: alice)
        }
        // Three transfers are in the log; the stream from 1 replays them, then waits for a fourth.
        let reader = Task { try await receipts(server, from: 1, count: 4) }
        try await Task.sleep(for: .milliseconds(200))
        _ = try await server.call(token, "transfer", args: .array([bobAddress, .number("4")]), as: alice)
        let events = try await reader.value
        #expect(events.map(\.id) == ["2", "3", "4", "5"])
        let last = try JSONValue.parse(Array(events[3].data.utf8))
        #expect(last["seq"] == .number("5"))
        let decoded = try #require(last["events"]?.arrayValue?.first)
        // The native token's Transfer event: from ‖ to ‖ value:u128, and the value is 4.
        #expect(decoded["data"]?.stringValue?.hasSuffix("04" + String(repeating: "00", count: 15)) == true, "\(decoded.serialized())")
        #expect(decoded["contract"]?.stringValue == token)
    }

    @Test func aClientThatReconnectsWithItsLastIdMissesNothing() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let bob = try key(2)
        let token = try await server.deploy("token", args: .array([.number("1000")]), as: alice)
        let bobAddress = JSONValue.string("0x" + bob.publicKey.hexString)
        for amount in 1 ... 2 {
            _ = try await server.call(token, "transfer", args: .array([bobAddress, .number(String(amount))]), as: alice)
        }
        let first = try await receipts(server, from: 1, count: 1)
        #expect(first.map(\.id) == ["2"])
        // While disconnected, two more commands commit.
        for amount in 3 ... 4 {
            _ = try await server.call(token, "transfer", args: .array([bobAddress, .number(String(amount))]), as: alice)
        }
        let resumed = try await receipts(server, lastEventId: 2, count: 3)
        #expect(resumed.map(\.id) == ["3", "4", "5"])
    }

    @Test func aStreamSaysWhenItHasCaughtUpWithTheLog() async throws {
        let server = try await TestServer()
        defer { Task { await server.stop() } }
        let alice = try key(1)
        let bob = try key(2)
        let token = try await server.deploy("token", args: .array([.number("1000")]), as: alice)
        _ = try await server.call(token, "transfer", args: .array([.string("0x" + bob.publicKey.hexString), .number("1")]), as: alice)
        let events = try await blocking {
            var seen: [ServerSentEvent] = []
            try server.client.events(from: 1) { event in
                seen.append(event)
                return event.event != "caught_up"
            }
            return seen
        }
        #expect(events.map { $0.event ?? "" } == ["receipt", "caught_up"])
        #expect(events.last?.data == "{\"seq\":2}")
    }

    @Test func aStreamEndsWhenTheServerStops() async throws {
        let server = try await TestServer()
        let reader = Task { try await receipts(server, from: 1, count: 1) }
        try await Task.sleep(for: .milliseconds(200))
        await server.stop()
        let events = try await reader.value
        #expect(events.isEmpty)
    }
}
