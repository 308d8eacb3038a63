#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests and benchmarks.
///
/// A thread accepts connections and a thread per connection serves requests on it, keeping the
/// connection open between requests unless the client sends `Connection: close`. Requests carry
/// a `Content-Length` body or none. It counts connections and requests so that tests can show a
/// client did (or did not) reach it. **Safe to use from any thread**; the server stops, closing
/// every socket, on `stop()` or when it is released.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    /// The port the server listens on.
    public let port: Int
    private let listener: LoopbackListener

    /// Starts listening and serving with `handler`, by default `LoopbackRoutes.handle`.
    public init(handler: @escaping Handler = LoopbackRoutes.handle) throws {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw LoopbackServerError(operation: "socket") }
        var one: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && listen(socket, 128) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else {
            let error = LoopbackServerError(operation: "bind/listen")
            close(socket)
            throw error
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = LoopbackListener(socket: socket, handler: handler)
    }

    deinit { listener.stop() }

    /// "http://127.0.0.1:PORT".
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var connectionCount: Int { listener.connectionCount }

    /// Requests answered so far.
    public var requestCount: Int { listener.requestCount }

    /// Stops accepting and closes every open connection.
    public func stop() { listener.stop() }
}

/// The server could not open its listening socket.
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(operation: String) {
        self.operation = operation
        code = errno
    }

    public var description: String { "loopback server: \(operation) failed: \(String(cString: strerror(code)))" }
}
