/// One Server-Sent Event: its `id` (for `fat serve`, a sequence number), `event` name and data.
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var event: String?
    public var data: String
}

/// Splits a `text/event-stream` body into events, across arbitrary chunk boundaries.
struct ServerSentEventParser {
    private var pending: [UInt8] = []
    private var current = ServerSentEvent(id: nil, event: nil, data: "")
    private var hasData = false

    mutating func feed(_ bytes: [UInt8]) -> [ServerSentEvent] {
        pending += bytes
        var events: [ServerSentEvent] = []
        while let newline = pending.firstIndex(of: 10) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
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
        }
        return events
    }
}
