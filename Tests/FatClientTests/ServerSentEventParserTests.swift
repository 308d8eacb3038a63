import Testing

@testable import FatClient

@Suite("FatClient: the event-stream parser")
struct ServerSentEventParserTests {
    let stream =
        "id: 1\nevent: receipt\ndata: {\"a\":\n: a comment\ndata: 1}\n\nid:2\r\nevent: caught_up\r\ndata\r\n\r\n: keep-alive\n\nretry: 10\nid: 3\n\n"

    let expected = [
        ServerSentEvent(id: "1", event: "receipt", data: "{\"a\":\n1}"),
        ServerSentEvent(id: "2", event: "caught_up", data: ""),
        ServerSentEvent(id: "3", event: nil, data: ""),
    ]

    @Test func eventsAreTheSameWhereverTheChunksEnd() throws {
        let bytes = Array(stream.utf8)
        var whole = ServerSentEventParser()
        #expect(try whole.feed(bytes) == expected)
        for size in [1, 2, 3, 7, 13] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += try parser.feed(Array(bytes[start ..< min(start + size, bytes.count)]))
            }
            #expect(events == expected, "chunks of \(size) bytes")
        }
    }

    @Test func anEventIsOnlyDeliveredAtItsBlankLine() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("id: 9\ndata: x\n".utf8)).isEmpty)
        #expect(try parser.feed(Array("\n".utf8)) == [ServerSentEvent(id: "9", event: nil, data: "x")])
    }

    @Test func anEventOrALineBeyondTheLimitIsAnErrorNotUnboundedMemory() throws {
        var parser = ServerSentEventParser()
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: ServerSentEventParser.maxEventBytes + 1)
        #expect { try parser.feed(line) } throws: { "\($0)".contains("a line of the event stream is longer than") }
        var many = ServerSentEventParser()
        let piece = Array(("data: " + String(repeating: "b", count: 1 << 20) + "\n").utf8)
        #expect {
            for _ in 0 ..< 17 { _ = try many.feed(piece) }
        } throws: { "\($0)".contains("an event of the stream is larger than") }
    }

    @Test func aRecordIsReadFromReceiptEventsOnly() throws {
        #expect(try ServerSentEvent(id: "2", event: "caught_up", data: "{}").record() == nil)
        #expect { try ServerSentEvent(id: "4", event: "receipt", data: "not json").record() } throws: { error in
            "\(error)".contains("event 4 is not an event record")
        }
    }
}
