import Foundation

/// How an `APIClient`'s requests reach a server: one request, its whole response.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// HTTP/1.1 over TCP with keep-alive, on `HTTPConnection` (a plain socket rather than URLSession,
/// so a query costs one write and one read on a warm connection and Server-Sent Events stream
/// without a delegate). **Thread-safe**: connections are pooled, one per concurrent caller.
public final class SocketTransport: HTTPTransport, @unchecked Sendable {
    public let host: String
    public let port: UInt16
    /// How long one read or write may wait (`HTTPConnection.timeoutSeconds`).
    public let timeoutSeconds: Int
    private let lock = NSLock()
    private var idle: [HTTPConnection] = []

    /// `url` is `http://HOST:PORT` (a trailing `/` is allowed).
    public init(url: String, timeoutSeconds: Int = 60) throws {
        guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host, !host.isEmpty else {
            throw ClientError.transport("`\(url)` is not an http://HOST:PORT address (https is not supported by this client)")
        }
        guard let port = UInt16(exactly: parsed.port ?? 80), port > 0 else {
            throw ClientError.transport("`\(url)` has no valid port (1 to 65535)")
        }
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends a request on a pooled connection.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let connection = try checkOut()
        do {
            let response = try connection.send(request)
            checkIn(connection)
            return response
        } catch {
            connection.close()
            throw error
        }
    }

    /// Sends a request whose response body is a stream (Server-Sent Events) on a connection of
    /// its own, closed when `onChunk` returns false or the stream ends (`HTTPConnection.stream`).
    public func stream(
        _ request: HTTPRequest, onHead: @escaping (HTTPResponse) throws -> Void, onChunk: @escaping ([UInt8]) throws -> Bool
    ) throws {
        try connection().stream(request, onHead: onHead, onChunk: onChunk)
    }

    private func connection() throws -> HTTPConnection { try HTTPConnection(host: host, port: port, timeoutSeconds: timeoutSeconds) }

    private func checkOut() throws -> HTTPConnection {
        lock.lock()
        let connection = idle.popLast()
        lock.unlock()
        return try connection ?? self.connection()
    }

    private func checkIn(_ connection: HTTPConnection) {
        lock.lock()
        idle.append(connection)
        lock.unlock()
    }
}
