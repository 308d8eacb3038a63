#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection: reads requests from it and writes responses to it.
final class LoopbackConnection {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(socket: Int32) {
        self.socket = socket
    }

    /// The next request, or `nil` when the client closed the connection or sent garbage.
    func readRequest() -> LoopbackRequest? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int? = nil
        while headEnd == nil {
            if let found = find(terminator) { headEnd = found + 4 } else if !fill() { return nil }
        }
        let head = Array(buffer[..<headEnd!])
        buffer.removeFirst(headEnd!)
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n").map(String.init)
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces()))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        while buffer.count < length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        let target = requestLine[1]
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if let questionMark = target.firstIndex(of: "?") {
            for pair in target[target.index(after: questionMark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { percentDecoded(String($0)) }
                query[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
        }
        return LoopbackRequest(method: String(requestLine[0]), path: path, query: query, headers: headers, body: body, head: head)
    }

    /// Writes the response; false when the client has gone.
    func send(_ response: LoopbackResponse, to request: LoopbackRequest) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        let withoutBody = request.method == "HEAD" || response.status == 204 || response.status == 304
        switch response.body {
        case let .bytes(bytes):
            head += "Content-Length: \(bytes.count)\r\n\r\n"
            return write(Array(head.utf8)) && (withoutBody || write(bytes))
        case let .generated(count, chunked):
            head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(count)\r\n\r\n"
            guard write(Array(head.utf8)) else { return false }
            if withoutBody { return true }
            let block = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            var left = count
            while left > 0 {
                let size = min(left, block.count)
                let framed = chunked ? Array("\(String(size, radix: 16))\r\n".utf8) + block[..<size] + [13, 10] : Array(block[..<size])
                guard write(framed) else { return false }
                left -= size
            }
            return !chunked || write(Array("0\r\n\r\n".utf8))
        case let .verbatim(bytes, _):
            return write(bytes)
        }
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        return (0 ... buffer.count - pattern.count).first { buffer[$0 ..< $0 + pattern.count].elementsEqual(pattern) }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let received = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard received > 0 else { return false }
        buffer.append(contentsOf: chunk[..<received])
        return true
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

private func percentDecoded(_ text: String) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
        if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
            let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
        {
            bytes.append(value)
        } else {
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " { start = index(after: start) }
        while end > start, self[index(before: end)] == " " { end = index(before: end) }
        return String(self[start ..< end])
    }
}
