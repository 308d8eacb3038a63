/// An HTTP request as the client sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    func serialized(host: String, port: UInt16) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// An HTTP response: status, headers (names in lower case) and the whole body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// Header names are kept in lower case.
    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0 == lower }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What went wrong talking to a server.
public enum ClientError: Error, CustomStringConvertible, Equatable {
    /// The connection could not be made or broke.
    case transport(String)
    /// The server closed the connection.
    case closed
    /// The server answered with an error: its status, code and message.
    case server(status: Int, code: String, message: String)
    /// The server's answer was not what the API documents.
    case badResponse(String)

    public var description: String {
        switch self {
        case let .transport(message): message
        case .closed: "the server closed the connection"
        case let .server(status, code, message): "\(message) (HTTP \(status), \(code))"
        case let .badResponse(message): message
        }
    }
}
