#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One keep-alive HTTP/1.1 connection over a TCP socket: requests go out one at a time and each
/// response is read in full (`Content-Length` or chunked bodies).
///
/// Plain HTTP only, to a host given as an IPv4 address or `localhost`; enough for a client of
/// `fat serve`, without a server framework or libcurl. **Not thread-safe**: use one connection
/// per thread (the client keeps a pool).
public final class HTTPConnection {
    /// A status or header line longer than this ends the connection with an error.
    public static let maxLineBytes = 64 << 10
    /// A response body larger than this (declared or received) ends the connection with an error.
    public static let maxBodyBytes = 256 << 20
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line feed resumes: bytes before it hold none.
    private var scanned = 0
    /// Responses read on this socket; a reused connection is one that has answered before.
    private var answered = 0
    /// Whether a byte of the response being read has arrived.
    private var responseBegun = false
    public let host: String
    public let port: UInt16
    /// How long a read or a write may wait before the request fails (an event stream, which
    /// `fat serve` keeps alive with a comment every 15 s, waits as long between two pieces).
    public let timeoutSeconds: Int
    /// How long connecting may take (a host that drops the connection attempt, or a full
    /// listen queue): at most `timeoutSeconds`, 10 s by default.
    public let connectTimeoutSeconds: Int

    public init(host: String, port: UInt16, timeoutSeconds: Int = 60, connectTimeoutSeconds: Int = 10) throws {
        self.host = host
        self.port = port
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.connectTimeoutSeconds = max(1, min(connectTimeoutSeconds, self.timeoutSeconds))
        try connect()
    }

    deinit { close() }

    public func close() {
        if socket >= 0 { _ = Glibc.close(socket) }
        socket = -1
    }

    private func connect() throws {
        close()
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.transport("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            _ = Glibc.close(fd)
            throw ClientError.transport("\(host) is not an IPv4 address (the client connects to numeric addresses or localhost)")
        }
        // Linux bounds a blocking connect by the send timeout (it then fails with EINPROGRESS).
        var connectTimeout = timeval(tv_sec: connectTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            if code == EINPROGRESS || code == EAGAIN {
                throw ClientError.transport("cannot connect to \(host):\(port): no answer within \(connectTimeoutSeconds) s")
            }
            throw ClientError.transport("cannot connect to \(host):\(port): \(String(cString: strerror(code)))")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        socket = fd
        buffer = []
        start = 0
        scanned = 0
        answered = 0
    }

    /// Sends one request and reads its response. A kept-alive connection the server closed while
    /// idle (closed before a byte of the response came) is reopened once and the request sent
    /// again; a connection that closes mid-response is an error, never a second send.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let reused = socket >= 0 && answered > 0
        if socket < 0 { try connect() }
        do {
            try write(request.serialized(host: host, port: port))
            return try readResponse(streaming: nil)
        } catch ClientError.closed where reused && !responseBegun {
            try connect()
            try write(request.serialized(host: host, port: port))
            return try readResponse(streaming: nil)
        }
    }

    /// Sends a request whose response body is a stream (Server-Sent Events): `onChunk` gets each
    /// piece of the body as it arrives and returns false to stop; the connection is then closed.
    public func stream(_ request: HTTPRequest, onHead: @escaping (HTTPResponse) throws -> Void, onChunk: @escaping ([UInt8]) throws -> Bool) throws {
        if socket < 0 { try connect() }
        try write(request.serialized(host: host, port: port))
        _ = try readResponse(streaming: (onHead, onChunk))
        close()
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                let timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                close()
                if timedOut { throw ClientError.transport("\(host):\(port) took more than \(timeoutSeconds) s to take the request") }
                throw ClientError.closed
            }
            sent += n
        }
    }

    /// Reads more bytes into the buffer; throws `closed` at end of stream.
    private func fill() throws {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                close()
                if timedOut { throw ClientError.transport("no answer from \(host):\(port) within \(timeoutSeconds) s") }
                throw ClientError.closed
            }
            buffer.append(contentsOf: chunk[0 ..< n])
            responseBegun = true
            return
        }
    }

    private func readLine() throws -> String {
        scanned = max(scanned, start)
        while true {
            if let index = buffer[scanned...].firstIndex(of: 10) {
                var end = index
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start ..< end], as: UTF8.self)
                start = index + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            guard buffer.count - start <= Self.maxLineBytes else {
                close()
                throw ClientError.transport("the server sent a line longer than \(Self.maxLineBytes) bytes")
            }
            try fill()
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        guard (0 ... Self.maxBodyBytes).contains(count) else {
            close()
            throw ClientError.transport("the server announced \(count) bytes; this client reads at most \(Self.maxBodyBytes)")
        }
        while buffer.count - start < count { try fill() }
        let bytes = Array(buffer[start ..< start + count])
        start += count
        return bytes
    }

    private func readResponse(streaming: ((HTTPResponse) throws -> Void, ([UInt8]) throws -> Bool)?) throws -> HTTPResponse {
        responseBegun = start < buffer.count
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (200 ... 599).contains(status) else {
            close()
            throw ClientError.transport("not an HTTP response: \(statusLine.prefix(80))")
        }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]).lowercased(), line[line.index(after: colon)...].trimmingSpaces))
        }
        var response = HTTPResponse(status: status, headers: headers, body: [])
        let chunked = response.header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        if let (onHead, onChunk) = streaming {
            try onHead(response)
            if chunked {
                while true {
                    let size = try chunkSize()
                    if size == 0 { return response }
                    let data = try readBytes(size)
                    _ = try readLine()
                    if try !onChunk(data) { return response }
                }
            }
            while true {
                if start < buffer.count {
                    let data = Array(buffer[start...])
                    start = buffer.count
                    if try !onChunk(data) { return response }
                }
                do { try fill() } catch ClientError.closed { return response }
            }
        }
        if chunked {
            while true {
                let size = try chunkSize()
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                guard size <= Self.maxBodyBytes - response.body.count else {
                    close()
                    throw ClientError.transport("the response body is larger than this client's limit of \(Self.maxBodyBytes) bytes")
                }
                response.body += try readBytes(size)
                _ = try readLine()
            }
        } else if let declared = response.header("content-length") {
            guard let length = Int(declared), length >= 0 else {
                close()
                throw ClientError.transport("bad Content-Length `\(declared.prefix(40))`")
            }
            response.body = try readBytes(length)
        } else if status != 204, status != 304 {
            // Neither length nor chunks: the body runs until the server closes the connection.
            while true {
                do { try fill() } catch ClientError.closed { break }
                guard buffer.count - start <= Self.maxBodyBytes else {
                    close()
                    throw ClientError.transport("the response body is larger than this client's limit of \(Self.maxBodyBytes) bytes")
                }
            }
            response.body = Array(buffer[start...])
            start = buffer.count
            return response
        }
        answered += 1
        if response.header("connection")?.lowercased() == "close" { close() }
        return response
    }

    private func chunkSize() throws -> Int {
        let line = try readLine()
        let hex = line.split(separator: ";").first.map(String.init) ?? ""
        guard let size = Int(hex.trimmingSpaces, radix: 16), size >= 0, !hex.trimmingSpaces.hasPrefix("+") else {
            close()
            throw ClientError.transport("bad chunk size line: \(line.prefix(40))")
        }
        return size
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
