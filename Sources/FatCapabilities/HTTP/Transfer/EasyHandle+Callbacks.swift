import CCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libcurl's callbacks: they collect the response within its limits, and check every address a
/// socket is opened for, which is where DNS rebinding would otherwise slip through.
extension EasyHandle {
    func installCallbacks() {
        let context = Unmanaged.passUnretained(self).toOpaque()
        fat_curl_easy_setopt_write_function(curl, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            EasyHandle.from(context).receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        fat_curl_easy_setopt_pointer(curl, CURLOPT_WRITEDATA, context)
        fat_curl_easy_setopt_write_function(curl, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            EasyHandle.from(context).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        fat_curl_easy_setopt_pointer(curl, CURLOPT_HEADERDATA, context)
        fat_curl_easy_setopt_opensocket_function(curl) { context, _, address in
            guard let address else { return CURL_SOCKET_BAD }
            return EasyHandle.from(context).openSocket(address)
        }
        fat_curl_easy_setopt_pointer(curl, CURLOPT_OPENSOCKETDATA, context)
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> EasyHandle {
        Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Appends body bytes; returning fewer than received makes libcurl abort the transfer, so
    /// the body never holds more than the limit.
    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard body.count + chunk.count <= limits.responseBytes else {
            stop = .responseTooLarge(limit: limits.responseBytes)
            return 0
        }
        body.append(contentsOf: chunk)
        return chunk.count
    }

    /// Takes one header line (libcurl passes whole lines, CRLF included). A status line starts
    /// a new response (after a 1xx, or on each hop), so it discards the headers collected so far.
    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Works on the bytes: this runs for every header line of every response.
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[0 ..< end])
        if line.starts(with: "HTTP/".utf8) {
            headers = []
            // "HTTP/1.1 404 Not Found": the phrase follows the second space, if any.
            let spaces = line.indices.filter { line[$0] == 0x20 }
            reasonPhrase = spaces.count >= 2 ? String(decoding: line[(spaces[1] + 1)...], as: UTF8.self) : ""
        } else if let first = line.first, isBlank(first), !headers.isEmpty {
            let start = line.firstIndex { !isBlank($0) } ?? line.count
            headers[headers.count - 1].value += " " + String(decoding: line[start...], as: UTF8.self)
        } else if let colon = line.firstIndex(of: 0x3A) {
            guard headers.count < limits.headers else {
                stop = .tooManyHeaders(limit: limits.headers)
                return 0
            }
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, isBlank(line[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart, isBlank(line[valueEnd - 1]) { valueEnd -= 1 }
            headers.append(
                HTTPHeader(
                    name: String(decoding: line[..<colon], as: UTF8.self),
                    value: String(decoding: line[valueStart ..< valueEnd], as: UTF8.self)))
        }
        return bytes.count
    }

    /// Opens a socket only for a public address, unless the policy allows private ones.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if !limits.privateAddresses {
            guard let ip = IPAddress(fat_curl_sockaddr_address(address)) else { return CURL_SOCKET_BAD }
            if ip.restrictedRange != nil, !limits.allowedPrivate.contains(ip.text) {
                if refusedAddress == nil { refusedAddress = ip.text }
                return CURL_SOCKET_BAD
            }
        }
        return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
    }
}
