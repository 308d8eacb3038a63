/// Why the host did not return a response to an `HTTPRequest`.
///
/// Errors found from the request and the policy alone (`invalidURL`, `unsupportedScheme`,
/// `hostNotAllowed`, `invalidMethod`, `invalidHeader`, `batchTooLarge`, and `timedOut` for a
/// deadline already passed) are reported before any I/O. Values are plain data and safe to pass
/// between threads.
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL could not be parsed, or names no host.
    case invalidURL
    /// The URL's scheme (lowercased) is not in `HTTPPolicy.allowedSchemes`.
    case unsupportedScheme(String)
    /// The host (lowercased, with `:port` when the URL gives one) matches no entry of `HTTPPolicy.allowedHosts`.
    case hostNotAllowed(String)
    /// The host resolved to a loopback, private, link-local or otherwise non-public address (the
    /// first one refused is named) and `HTTPPolicy.allowPrivateAddresses` is false.
    case privateAddress(String)
    /// The response body exceeded `HTTPPolicy.maxResponseBytes`; the transfer was abandoned.
    case responseTooLarge(limit: Int)
    /// The response had more than `HTTPPolicy.maxHeaders` header fields.
    case tooManyHeaders(limit: Int)
    /// The deadline passed before the response was complete.
    case timedOut
    /// Following redirects would take more than `HTTPPolicy.maxRedirects` hops.
    case tooManyRedirects(limit: Int)
    /// A batch held more than `HTTPPolicy.maxBatch` requests.
    case batchTooLarge(limit: Int)
    /// The method is not one of `HTTPRequest.methods`.
    case invalidMethod(String)
    /// A header name is empty or not a token, or a name or value contains CR, LF or NUL.
    case invalidHeader(String)
    /// The connection or the exchange failed; the text is libcurl's explanation.
    case network(String)

    public var description: String {
        switch self {
        case .invalidURL:
            return "the URL is not a valid absolute URL with a host"
        case let .unsupportedScheme(scheme):
            return "scheme \"\(scheme)\" is not allowed: use one of the policy's allowed schemes (http, https by default)"
        case let .hostNotAllowed(host):
            return "host \(host) is not in the allow-list: add it (or a *.domain pattern) to allowedHosts"
        case let .privateAddress(address):
            return
                "refused to connect to \(address): loopback, private and link-local addresses need allowPrivateAddresses (or this address among the allowed ones)"
        case let .responseTooLarge(limit):
            return "response body exceeds the limit of \(limit) bytes"
        case let .tooManyHeaders(limit):
            return "response has more than \(limit) header fields"
        case .timedOut:
            return "the deadline passed before the response was complete"
        case let .tooManyRedirects(limit):
            return "more than \(limit) redirects"
        case let .batchTooLarge(limit):
            return "a batch may hold at most \(limit) requests"
        case let .invalidMethod(method):
            return "method \"\(method)\" is not one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS"
        case let .invalidHeader(name):
            return "header \"\(name)\" is invalid: names must be tokens, and names and values may not contain CR, LF or NUL"
        case let .network(reason):
            return "network error: \(reason)"
        }
    }
}
