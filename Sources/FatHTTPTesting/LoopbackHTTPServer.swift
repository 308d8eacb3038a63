import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests and benchmarks.
///
/// A thread accepts connections and a thread per connection serves requests on it, keeping the
/// connection open between requests unless the client sends `Connection: close`. Requests carry
/// a `Content-Length` body or none. It counts connections and requests so that tests can show a
/// client did (or did not) reach it. **Safe to use from any thread**; `stop()` closes every socket.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var acceptedConnections = 0
    private var servedRequests = 0
    private var stopped = false

    /// Starts listening; the server runs until `stop()`.
    public init(handler: @escaping Handler = LoopbackRoutes.handle) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw LoopbackServerError(operation: "socket") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 128) == 0 else {
            let error = LoopbackServerError(operation: "bind/listen")
            close(listener)
            throw error
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// "http://127.0.0.1:PORT".
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var connectionCount: Int { lock.withLock { acceptedConnections } }

    /// Requests answered so far.
    public var requestCount: Int { lock.withLock { servedRequests } }

    /// Stops accepting and closes every open connection.
    public func stop() {
        let open: Set<Int32> = lock.withLock {
            guard !stopped else { return [] }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            return connections
        }
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let accepted: Bool = lock.withLock {
                guard !stopped else { return false }
                acceptedConnections += 1
                connections.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                return
            }
            var one: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in
                serve(LoopbackConnection(socket: connection))
                lock.withLock { _ = connections.remove(connection) }
                close(connection)
            }.start()
        }
    }

    private func serve(_ connection: LoopbackConnection) {
        while let request = connection.readRequest() {
            let response = handler(request)
            lock.withLock { servedRequests += 1 }
            if response.delayMilliseconds > 0 { usleep(useconds_t(response.delayMilliseconds * 1000)) }
            guard connection.send(response, to: request), request.header("Connection")?.lowercased() != "close" else { return }
        }
    }
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
