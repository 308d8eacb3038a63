/// What an `HTTPClient` may reach and how much it may receive; one policy per contract.
///
/// A request is refused before any I/O unless its scheme is in `allowedSchemes` and its host
/// matches an entry of `allowedHosts`:
/// - `"api.example.com"`: that host exactly, on any port;
/// - `"*.example.com"`: any subdomain of `example.com` (not `example.com` itself);
/// - `"*"`: any host;
/// - any of these followed by `:port` (`"127.0.0.1:8080"`, `"[::1]:8080"`): only that port.
///
/// Host names compare without regard to ASCII case or a trailing dot. The same checks apply to
/// every redirect hop. Independently, every address the client connects to is checked when the
/// socket is opened, so a name that resolves (or is rebound) to a loopback, private, link-local,
/// shared (100.64/10) or unspecified address is refused unless `allowPrivateAddresses` is true,
/// or the address is one of `allowedPrivateAddresses` (written as `IPAddress` prints them:
/// `10.0.0.5`, `::1`): one internal service allowed, the rest of the private network not.
public struct HTTPPolicy: Sendable {
    public var allowedHosts: [String]
    public var allowPrivateAddresses: Bool
    public var allowedPrivateAddresses: Set<String>
    /// The largest response body accepted, in bytes (pink's limit: 2 MiB).
    public var maxResponseBytes: Int
    /// The most header fields accepted in a response (pink's limit: 256).
    public var maxHeaders: Int
    /// The most redirects followed for one request; a redirect beyond them fails the request
    /// with `HTTPError.tooManyRedirects` (with 0, any redirect that has a `Location` does).
    public var maxRedirects: Int
    /// The most requests in one `HTTPClient.performBatch` call (pink's limit: 5).
    public var maxBatch: Int
    /// Lowercase scheme names; only `http` and `https` are supported by the client.
    public var allowedSchemes: [String]

    public init(
        allowedHosts: [String],
        allowPrivateAddresses: Bool = false,
        allowedPrivateAddresses: Set<String> = [],
        maxResponseBytes: Int = 2 * 1024 * 1024,
        maxHeaders: Int = 256,
        maxRedirects: Int = 5,
        maxBatch: Int = 5,
        allowedSchemes: [String] = ["http", "https"]
    ) {
        self.allowedHosts = allowedHosts
        self.allowPrivateAddresses = allowPrivateAddresses
        self.allowedPrivateAddresses = allowedPrivateAddresses
        self.maxResponseBytes = maxResponseBytes
        self.maxHeaders = maxHeaders
        self.maxRedirects = maxRedirects
        self.maxBatch = maxBatch
        self.allowedSchemes = allowedSchemes
    }
}
