/// Where a host's commands get their place in the order.
public enum CommandOrder: Sendable {
    /// The host's own log (SQLite, group commit): one host.
    case local
    /// An etcd cluster's revision order, shared by every host of a cluster (see `ClusterLog`).
    case etcd(EtcdOrder)
}

/// How a host takes part in a cluster ordered by etcd.
public struct EtcdOrder: Sendable {
    /// The etcd members' client addresses, `host:port`.
    public var endpoints: [String]
    /// The key prefix of the cluster's entries (several clusters may share one etcd).
    public var prefix: String
    /// How long a batch may wait for the decision of the host that proposed it before this host
    /// decides it (the proposer may have gone away).
    public var takeoverAfter: Duration = .seconds(3)
    /// The largest batch sent to etcd at once, in bytes of sealed entry (etcd refuses requests
    /// over `--max-request-bytes`, 1.5 MiB by default).
    public var maxBatchBytes = 1 << 20
    /// How long a host that starts may take to catch up before it serves.
    public var catchUpTimeout: Duration = .seconds(600)

    public init(endpoints: [String], prefix: String = "/fatcontract/") {
        self.endpoints = endpoints
        self.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
    }

    /// Parses `etcd://HOST:PORT[,HOST:PORT…]`.
    public init(url: String, prefix: String = "/fatcontract/") throws {
        guard url.hasPrefix("etcd://") else {
            throw FatError(.badArguments, "--order takes `local` or etcd://HOST:PORT[,HOST:PORT…], not `\(url)`")
        }
        let endpoints = url.dropFirst("etcd://".count).split(separator: ",").map(String.init)
        guard !endpoints.isEmpty,
            endpoints.allSatisfy({ endpoint in
                guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) else { return false }
                return colon > endpoint.startIndex && (1 ... 65535).contains(port)
            })
        else {
            throw FatError(.badArguments, "--order etcd:// needs HOST:PORT pairs separated by commas, not `\(url)`")
        }
        self.init(endpoints: endpoints, prefix: prefix)
    }
}

/// How a cluster host stands: what `/v1/info` and `/metrics` show.
public struct ClusterStatus: Sendable {
    public let endpoints: [String]
    public let prefix: String
    /// The etcd revision of the last batch this host applied.
    public let appliedRevision: Int64
    /// The highest etcd revision this host has heard of under the prefix.
    public let seenRevision: Int64
    /// Batches heard of and not yet applied.
    public let lagBatches: Int
    /// etcd calls made, failed, and the seconds they took in all.
    public let etcdCalls: UInt64
    public let etcdFailures: UInt64
    public let etcdSeconds: Double
    /// The last failure to reach etcd, or why this host stopped applying; nil when all is well.
    public let problem: String?
}
