/// One request on its way through redirects: the hop to make next, and the rules for choosing
/// the hop after it.
///
/// Redirects (301, 302, 303, 307, 308 with a `Location`) are followed as browsers do: 303, and
/// 301 or 302 after a POST, continue as a GET without a body; 307 and 308 repeat the method and
/// body. Credentials (`Authorization`, `Cookie`, `Proxy-Authorization`) are dropped when a hop
/// leaves the original origin. Every hop's URL passes the same scheme and host checks as the
/// first.
struct Exchange {
    static let redirectStatuses: Set<UInt16> = [301, 302, 303, 307, 308]
    private static let credentialHeaders: Set<String> = ["authorization", "cookie", "proxy-authorization"]
    private static let bodyHeaders: Set<String> = ["content-type", "content-length", "content-encoding", "transfer-encoding"]

    private(set) var request: HTTPRequest
    private(set) var target: RequestTarget
    private(set) var redirects = 0
    private let origin: RequestTarget
    private let maxRedirects: Int

    /// Checks the request's method, headers and URL; throws before any I/O when one is refused.
    init(_ request: HTTPRequest, rules: PolicyRules) throws(HTTPError) {
        guard HTTPRequest.methods.contains(request.method) else { throw .invalidMethod(request.method) }
        for header in request.headers where !Self.isValid(header) {
            throw .invalidHeader(header.name)
        }
        self.request = request
        target = try rules.target(request.url)
        origin = target
        maxRedirects = rules.policy.maxRedirects
    }

    /// Moves to the hop `response` redirects to, returning true; returns false when `response`
    /// is final (not a redirect, or a redirect without a location).
    mutating func follow(_ response: HTTPResponse, location: String?, rules: PolicyRules) throws(HTTPError) -> Bool {
        guard Self.redirectStatuses.contains(response.statusCode), let location else { return false }
        guard redirects < maxRedirects else { throw .tooManyRedirects(limit: maxRedirects) }
        let next = try rules.target(location)
        let status = response.statusCode
        if (status == 303 && request.method != "HEAD") || ((status == 301 || status == 302) && request.method == "POST") {
            request.method = "GET"
            request.body = []
            request.headers.removeAll { Self.bodyHeaders.contains(asciiLowercased($0.name)) }
        }
        if !next.isSameOrigin(as: origin) {
            request.headers.removeAll { Self.credentialHeaders.contains(asciiLowercased($0.name)) }
        }
        request.url = next.url
        target = next
        redirects += 1
        return true
    }

    /// A header name must be an RFC 9110 token; neither part may smuggle a line break or NUL.
    private static let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)

    private static func isValid(_ header: HTTPHeader) -> Bool {
        let name = header.name.utf8
        guard !name.isEmpty,
            name.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || tokenPunctuation.contains(byte)
            })
        else { return false }
        return !header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }
}
