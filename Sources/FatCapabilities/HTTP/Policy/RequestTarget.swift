import CCurl

/// A request URL parsed the way libcurl will parse it, and checked against a policy's schemes
/// and allowed hosts.
struct RequestTarget: Equatable {
    /// The schemes the client can speak; a policy may narrow them, not widen them.
    static let supportedSchemes = ["http", "https"]

    /// The normalized absolute URL handed to libcurl.
    let url: String
    let scheme: String
    /// Normalized as `normalizedHostName` does.
    let host: String
    /// The port connected to: the URL's, or the scheme's default.
    let port: Int
    /// Whether the URL spelled out its port, for naming the host in errors.
    let explicitPort: Bool

    /// Parses `url`, refusing it unless it is absolute, its scheme is one of `allowedSchemes` (a
    /// subset of `supportedSchemes`) and its host matches one of `allowedHosts`.
    init(_ url: String, allowedSchemes: [String], allowedHosts: [HostPattern]) throws(HTTPError) {
        guard !url.utf8.contains(0), let handle = curl_url() else { throw .invalidURL }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK,
            let scheme = Self.part(handle, CURLUPART_SCHEME, flags: 0).map(asciiLowercased)
        else {
            throw .invalidURL
        }
        guard allowedSchemes.contains(scheme) else {
            throw .unsupportedScheme(scheme)
        }
        guard let rawHost = Self.part(handle, CURLUPART_HOST, flags: 0), !rawHost.isEmpty,
            let portText = Self.part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)),
            let port = Int(portText),
            let normalized = Self.part(handle, CURLUPART_URL, flags: 0)
        else {
            throw .invalidURL
        }
        self.url = normalized
        self.scheme = scheme
        self.host = normalizedHostName(rawHost)
        self.port = port
        self.explicitPort = Self.part(handle, CURLUPART_PORT, flags: 0) != nil
        guard allowedHosts.contains(where: { $0.matches(host: host, port: port) }) else {
            throw .hostNotAllowed(displayHost)
        }
    }

    /// The host as errors name it: with `:port` when the URL gave one, IPv6 in brackets.
    var displayHost: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return explicitPort ? "\(name):\(port)" : name
    }

    /// Whether `other` is on the same origin (scheme, host and port), so credentials may follow.
    func isSameOrigin(as other: RequestTarget) -> Bool {
        scheme == other.scheme && host == other.host && port == other.port
    }

    private static func part(_ handle: OpaquePointer, _ part: CURLUPart, flags: UInt32) -> String? {
        var text: UnsafeMutablePointer<CChar>? = nil
        guard curl_url_get(handle, part, &text, flags) == CURLUE_OK, let text else { return nil }
        defer { curl_free(text) }
        return String(cString: text)
    }
}
