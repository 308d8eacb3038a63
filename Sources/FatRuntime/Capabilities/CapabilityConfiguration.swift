/// How a host grants capabilities to contracts. The defaults grant no network access and load no
/// modules; everything else (cryptography, the cache) is always on.
public struct CapabilityConfiguration: Sendable {
    /// Hosts every contract may reach over HTTP: exact names, `*.example.com` for subdomains, `*`
    /// for any host. Ports may be given as `host:port`.
    public var allowedHosts: [String]
    /// More hosts for particular contracts, added to `allowedHosts`.
    public var contractHosts: [AccountId: [String]]
    /// Lets contracts reach loopback, private and link-local addresses (for tests and local
    /// services); off by default, so a contract cannot probe the host's own network.
    public var allowPrivateAddresses: Bool
    /// Private addresses contracts may reach even so (an internal service), as `10.0.0.5` or `::1`.
    public var allowedPrivateAddresses: Set<String> = []
    /// Largest HTTP response body a contract may receive (pink's limit: 2 MiB).
    public var maxResponseBytes: Int
    /// Total size of the contracts' volatile cache (pink's: 20 MB), and the default lifetime of an
    /// entry (pink's: 7 days).
    public var cacheCapacityBytes: Int
    public var cacheDefaultLifetime: Duration
    /// Capability modules to load (`Plugins/*.so`).
    public var modulePaths: [String]

    public init(
        allowedHosts: [String] = [], contractHosts: [AccountId: [String]] = [:], allowPrivateAddresses: Bool = false,
        maxResponseBytes: Int = 2 << 20, cacheCapacityBytes: Int = 20_000_000,
        cacheDefaultLifetime: Duration = .seconds(7 * 24 * 3600), modulePaths: [String] = []
    ) {
        self.allowedHosts = allowedHosts
        self.contractHosts = contractHosts
        self.allowPrivateAddresses = allowPrivateAddresses
        self.maxResponseBytes = maxResponseBytes
        self.cacheCapacityBytes = cacheCapacityBytes
        self.cacheDefaultLifetime = cacheDefaultLifetime
        self.modulePaths = modulePaths
    }
}
