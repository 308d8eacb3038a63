import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP peer on 127.0.0.1 that answers each request it reads with the next bytes of its script,
/// exactly as written: for responses no real server would send (a bad status line, a huge
/// `Content-Length`, an endless header line, a connection closed mid-body).
final class ScriptedPeer: Sendable {
    /// One answer: the bytes to write, then whether to close the connection.
    struct Reply: Sendable {
        var bytes: [UInt8]
        var close: Bool

        static func bytes(_ text: String, close: Bool = false) -> Reply { Reply(bytes: Array(text.utf8), close: close) }
    }

    /// What the serving thread shares with the tests (it holds this, not the peer, so that
    /// releasing the peer stops it).
    final class Script: Sendable {
        let state: Mutex<(replies: [Reply], requests: [String], connections: Int)>
        init(_ replies: [Reply]) { state = Mutex((replies, [], 0)) }
    }

    let port: Int
    private let socket: Int32
    private let script: Script

    init(_ replies: [Reply]) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let script = Script(replies)
        self.script = script
        Thread { Self.acceptLoop(fd, script) }.start()
    }

    deinit { shutdown(socket, Int32(SHUT_RDWR)) }

    /// The request lines received so far (`GET /path HTTP/1.1`).
    var requests: [String] { script.state.withLock { $0.requests } }

    /// Connections accepted so far.
    var connections: Int { script.state.withLock { $0.connections } }

    private static func acceptLoop(_ socket: Int32, _ script: Script) {
        while true {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                close(socket)
                return
            }
            script.state.withLock { $0.connections += 1 }
            serve(connection, script)
            close(connection)
        }
    }

    /// Answers requests on one connection until a reply closes it or the script ends.
    private static func serve(_ connection: Int32, _ script: Script) {
        var buffer: [UInt8] = []
        while true {
            guard let line = readRequest(connection, &buffer) else { return }
            let reply: Reply? = script.state.withLock { state in
                state.requests.append(line)
                return state.replies.isEmpty ? nil : state.replies.removeFirst()
            }
            guard let reply else { return }
            var sent = 0
            while sent < reply.bytes.count {
                let n = reply.bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return }
                sent += n
            }
            if reply.close { return }
        }
    }

    /// Reads one request head and its `Content-Length` body; answers its request line.
    private static func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> String? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        func headEnd() -> Int? {
            guard buffer.count >= 4 else { return nil }
            return (0 ... buffer.count - 4).first { buffer[$0 ..< $0 + 4].elementsEqual(terminator) }
        }
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16 << 10)
            let n = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer += chunk[..<n]
            return true
        }
        var end = headEnd()
        while end == nil {
            guard fill() else { return nil }
            end = headEnd()
        }
        let head = String(decoding: buffer[..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        let lines = head.components(separatedBy: "\r\n")
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        while buffer.count < length {
            guard fill() else { return nil }
        }
        buffer.removeFirst(length)
        return lines[0]
    }
}
