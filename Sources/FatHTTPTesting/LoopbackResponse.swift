/// A response for the loopback server to send.
public struct LoopbackResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// `count` bytes of "x" generated while sending, so that huge bodies cost no memory; sent
        /// with chunked encoding (no `Content-Length`) when `chunked`.
        case generated(count: Int, chunked: Bool)
        /// These bytes and nothing else, no status line or headers, after which the connection is
        /// closed when `close` is true: for tests of clients against what no server should send.
        case verbatim([UInt8], close: Bool)
    }

    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// Milliseconds to wait before sending anything.
    public var delayMilliseconds: Int

    public init(
        status: Int = 200, reason: String = "OK", headers: [(name: String, value: String)] = [],
        body: Body = .bytes([]), delayMilliseconds: Int = 0
    ) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.delayMilliseconds = delayMilliseconds
    }

    public init(
        status: Int = 200, reason: String = "OK", headers: [(name: String, value: String)] = [], text: String,
        delayMilliseconds: Int = 0
    ) {
        self.init(
            status: status, reason: reason, headers: headers + [("Content-Type", "text/plain")], body: .bytes(Array(text.utf8)),
            delayMilliseconds: delayMilliseconds)
    }
}

extension LoopbackResponse {
    /// `text`'s bytes exactly as given (`Body.verbatim`).
    public static func verbatim(_ text: String, close: Bool = false) -> LoopbackResponse {
        LoopbackResponse(body: .verbatim(Array(text.utf8), close: close))
    }

    /// Whether the server closes the connection once this response is sent.
    var closesConnection: Bool {
        if case let .verbatim(_, close) = body { return close }
        return false
    }
}
