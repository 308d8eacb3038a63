import FatCodec
import FatWire

/// One Server-Sent Event: its `id` (for `fat serve`, a sequence number), `event` name and data.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String

    /// A `receipt` event's record of one command's events; nil for other events (`caught_up`).
    /// Data that is not a record is an error naming the event.
    public func record() throws -> EventRecord? {
        guard event == "receipt" else { return nil }
        do { return try EventRecord(json: try JSONValue.parse(data)) } catch {
            throw ClientError.badResponse("event \(id ?? "?") is not an event record: \(error)")
        }
    }
}

/// Splits a `text/event-stream` body into events, across arbitrary chunk boundaries. An event
/// larger than `maxEventBytes`, or a line that long, is an error: a stream cannot grow the
/// client's memory without bound.
struct ServerSentEventParser {
    static let maxEventBytes = 16 << 20
    private var pending: [UInt8] = []
    private var current = ServerSentEvent(id: nil, event: nil, data: "")
    private var hasData = false

    mutating func feed(_ bytes: [UInt8]) throws -> [ServerSentEvent] {
        pending += bytes
        var events: [ServerSentEvent] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: 10) {
            var line = String(decoding: pending[start ..< newline], as: UTF8.self)
            start = newline + 1
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if hasData || current.id != nil { events.append(current) }
                current = ServerSentEvent(id: nil, event: nil, data: "")
                hasData = false
                continue
            }
            if line.hasPrefix(":") { continue }
            let field: Substring
            var value: Substring
            if let colon = line.firstIndex(of: ":") {
                field = line[..<colon]
                value = line[line.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
            } else {
                field = Substring(line)
                value = ""
            }
            switch field {
            case "id": current.id = String(value)
            case "event": current.event = String(value)
            case "data":
                current.data += (hasData ? "\n" : "") + value
                hasData = true
            default: break
            }
            guard current.data.utf8.count <= Self.maxEventBytes else {
                throw ClientError.transport("an event of the stream is larger than \(Self.maxEventBytes) bytes")
            }
        }
        pending.removeFirst(start)
        guard pending.count <= Self.maxEventBytes else {
            throw ClientError.transport("a line of the event stream is longer than \(Self.maxEventBytes) bytes")
        }
        return events
    }
}
