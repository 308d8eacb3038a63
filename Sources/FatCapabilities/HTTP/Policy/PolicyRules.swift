/// An `HTTPPolicy` prepared for checking many requests: host patterns parsed once, and the
/// protocol list libcurl is restricted to.
struct PolicyRules: Sendable {
    let policy: HTTPPolicy
    let hosts: [HostPattern]
    let schemes: [String]
    /// For CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR, so libcurl itself refuses any
    /// other protocol even if a URL slipped past the checks.
    let curlProtocols: String

    init(_ policy: HTTPPolicy) {
        self.policy = policy
        hosts = policy.allowedHosts.map(HostPattern.init)
        schemes = RequestTarget.supportedSchemes.filter { policy.allowedSchemes.map(asciiLowercased).contains($0) }
        // An empty list would mean "all protocols" to libcurl; such a policy refuses every URL
        // before reaching it, so any non-empty value is safe here.
        curlProtocols = schemes.isEmpty ? "http" : schemes.joined(separator: ",")
    }

    func target(_ url: String) throws(HTTPError) -> RequestTarget {
        try RequestTarget(url, allowedSchemes: schemes, allowedHosts: hosts)
    }
}
