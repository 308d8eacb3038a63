import Foundation

/// How a `fat serve` host listens and what it accepts.
public struct ServerConfiguration: Sendable {
    /// Address to listen on; port 0 picks a free port (see `APIServer.port`).
    public var host = "127.0.0.1"
    public var port = 9944
    /// Requests whose body is larger are refused with 413 before they are read in full.
    public var maxBodyBytes = 8 << 20
    /// Commands accepted but not yet answered; more are refused with 503 and `Retry-After`.
    public var maxPendingCommands = 8192
    /// Queries running at once; more are refused with 503 and `Retry-After`.
    public var maxConcurrentQueries = 1024
    /// Threads that run queries (a query waiting on the network holds one).
    public var queryThreads = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
    /// Seconds a client is told to wait after a 503.
    public var retryAfterSeconds = 1
    /// Refuse queries that carry no signature (by default they run with no caller).
    public var refuseUnsignedQueries = false
    /// A signed query's expiry may lie at most this far in the future, which bounds how long a
    /// captured query can be replayed.
    public var queryExpiryWindowMs: UInt64 = 5 * 60 * 1000
    /// Wall-clock deadline of a query (a request may ask for less with `timeout_ms`).
    public var queryTimeoutMs: UInt64 = 10_000
    /// Code staged with `POST /v1/code` is kept for a command that names it: at most this many
    /// uploads, this many bytes in all, each for this long.
    public var maxUploads = 64
    public var maxStagedBytes = 64 << 20
    public var stagedLifetimeSeconds = 600
    /// The Substrate face's development mode (`fat serve --dev`): a dry run's claimed origin is
    /// trusted, and contract storage and stored code are readable. Never on a host with secrets.
    public var substrateDev = false
    /// Serve HTTPS with this certificate chain and private key (PEM files); plain HTTP when nil.
    public var tls: TLSFiles?

    public struct TLSFiles: Sendable {
        public var certificateChainPath: String
        public var privateKeyPath: String

        public init(certificateChainPath: String, privateKeyPath: String) {
            self.certificateChainPath = certificateChainPath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init() {}
}
