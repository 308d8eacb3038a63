import Synchronization

/// An `HTTPPolicy` prepared for checking many requests: host patterns parsed once, the protocol
/// list libcurl is restricted to, and the targets of URLs already checked (contracts tend to ask
/// the same few URLs again and again; the answer depends only on the URL and this policy).
struct PolicyRules: Sendable {
    private static let rememberedTargets = 256
    private let targets = TargetCache()

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
        if let known = targets.map.withLock({ $0[url] }) { return known }
        let target = try RequestTarget(url, allowedSchemes: schemes, allowedHosts: hosts)
        targets.map.withLock { map in
            if map.count >= Self.rememberedTargets { map.removeAll(keepingCapacity: true) }
            map[url] = target
        }
        return target
    }
}

/// URLs that passed the policy, with their parsed targets (refusals are not remembered).
private final class TargetCache: Sendable {
    let map = Mutex<[String: RequestTarget]>([:])
}
