import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The threads behind a `LoopbackHTTPServer`: they hold this object, not the server, so that
/// releasing the server stops them.
final class LoopbackListener: @unchecked Sendable {
    private let socket: Int32
    private let handler: LoopbackHTTPServer.Handler
    private let lock = NSLock()
    // Guarded by `lock`.
    private var connections: Set<Int32> = []
    private var acceptedConnections = 0
    private var servedRequests = 0
    private var stopped = false

    /// Takes over a listening socket and starts accepting on it.
    init(socket: Int32, handler: @escaping LoopbackHTTPServer.Handler) {
        self.socket = socket
        self.handler = handler
        Thread { [self] in acceptLoop() }.start()
    }

    var connectionCount: Int { lock.withLock { acceptedConnections } }

    var requestCount: Int { lock.withLock { servedRequests } }

    /// Wakes every thread so that it ends. Sockets are shut down here but closed only by the
    /// threads using them, so that no descriptor number is reused while a thread may still
    /// touch it.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(socket, Int32(SHUT_RDWR))
            for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                close(socket)
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
                close(socket)
                return
            }
            var one: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in
                serve(LoopbackConnection(socket: connection))
                lock.withLock {
                    _ = connections.remove(connection)
                    close(connection)
                }
            }.start()
        }
    }

    private func serve(_ connection: LoopbackConnection) {
        while let request = connection.readRequest() {
            let response = handler(request)
            lock.withLock { servedRequests += 1 }
            if response.delayMilliseconds > 0 { usleep(useconds_t(response.delayMilliseconds * 1000)) }
            guard connection.send(response, to: request), !response.closesConnection, request.header("Connection")?.lowercased() != "close"
            else { return }
        }
    }
}
