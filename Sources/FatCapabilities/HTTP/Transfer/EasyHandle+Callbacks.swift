#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

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
        var line = Substring(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\r\n" || last == "\n" || last == "\r" { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers = []
            // "HTTP/1.1 404 Not Found": the phrase follows the second space, if any.
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            reasonPhrase = parts.count == 3 ? String(parts[2]) : ""
        } else if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            headers[headers.count - 1].value += " " + line.drop { $0 == " " || $0 == "\t" }
        } else if let colon = line.firstIndex(of: ":") {
            guard headers.count < limits.headers else {
                stop = .tooManyHeaders(limit: limits.headers)
                return 0
            }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append(HTTPHeader(name: String(line[..<colon]), value: String(value.reversed().drop { $0 == " " || $0 == "\t" }.reversed())))
        }
        return bytes.count
    }

    /// Opens a socket only for a public address, unless the policy allows private ones.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if !limits.privateAddresses {
            guard let ip = IPAddress(fat_curl_sockaddr_address(address)) else { return CURL_SOCKET_BAD }
            if ip.restrictedRange != nil {
                if refusedAddress == nil { refusedAddress = ip.text }
                return CURL_SOCKET_BAD
            }
        }
        return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
    }
}
