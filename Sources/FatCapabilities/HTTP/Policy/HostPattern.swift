/// One entry of `HTTPPolicy.allowedHosts`, parsed: a host (exact, `*.suffix`, or `*`) and an
/// optional port.
struct HostPattern: Equatable {
    enum Host: Equatable {
        case any
        case exactly(String)
        /// Subdomains of the name, stored with its leading dot (".example.com").
        case subdomains(of: String)
    }

    let host: Host
    let port: Int?

    init(_ entry: String) {
        var text = asciiLowercased(entry)
        var port: Int? = nil
        // "host:port" or "[v6]:port"; a bare IPv6 address has several colons and no brackets.
        if let colon = text.lastIndex(of: ":"), text[..<colon].last == "]" || !text[..<colon].contains(":"),
            let number = Int(text[text.index(after: colon)...])
        {
            port = number
            text = String(text[..<colon])
        }
        text = normalizedHostName(text)
        if text == "*" {
            host = .any
        } else if text.hasPrefix("*.") {
            host = .subdomains(of: String(text.dropFirst()))
        } else {
            host = .exactly(text)
        }
        self.port = port
    }

    /// Whether a normalized host name (see `normalizedHostName`) on `port` matches.
    func matches(host name: String, port: Int) -> Bool {
        if let required = self.port, required != port { return false }
        switch host {
        case .any: return true
        case let .exactly(expected): return name == expected
        case let .subdomains(suffix): return name.count > suffix.count && name.hasSuffix(suffix)
        }
    }
}

/// A host name as the allow-list compares it: lowercase ASCII, without a trailing dot, IPv6
/// literals without brackets.
func normalizedHostName(_ host: String) -> String {
    var name = asciiLowercased(host)
    if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
    if name.count > 1, name.hasSuffix(".") { name.removeLast() }
    return name
}
