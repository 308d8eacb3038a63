/// Who a host is and what it speaks (`GET /v1/info`).
public struct HostInfo: Answer {
    public var ok = true
    public let software: String
    public let apiVersion: String
    public let abiVersion: String
    /// What every signature for this host covers (see `SigningPayload`).
    public let genesis: Hex
    public let codeKinds: [String]
    public let signatureSchemes: [String]
    public let seq: UInt64
    public let stateRoot: Hex
    public let contracts: Int
    public let limits: Limits
    public let operators: [Hex]
    public let unsignedQueries: Bool
    public let tls: Bool
    public let uptimeS: Int
    /// The etcd cluster this host orders its commands through; absent for a single host.
    public let cluster: Cluster?

    /// Where a cluster host stands (see `fat serve --order etcd://…`).
    public struct Cluster: Codable, Sendable, Equatable {
        public let etcdEndpoints: [String]
        public let prefix: String
        /// The etcd revision of the last batch this host applied.
        public let appliedRevision: Int64
        /// The newest revision under the prefix this host has heard of.
        public let seenRevision: Int64
        /// Batches heard of and not yet applied.
        public let lagBatches: Int
        /// The last failure to reach etcd, or why the host stopped applying; absent when all is well.
        public let problem: String?

        enum CodingKeys: String, CodingKey {
            case etcdEndpoints = "etcd_endpoints"
            case prefix
            case appliedRevision = "applied_revision"
            case seenRevision = "seen_revision"
            case lagBatches = "lag_batches"
            case problem
        }

        public init(etcdEndpoints: [String], prefix: String, appliedRevision: Int64, seenRevision: Int64, lagBatches: Int, problem: String?) {
            self.etcdEndpoints = etcdEndpoints
            self.prefix = prefix
            self.appliedRevision = appliedRevision
            self.seenRevision = seenRevision
            self.lagBatches = lagBatches
            self.problem = problem
        }
    }

    public struct Limits: Codable, Sendable, Equatable {
        public let maxBodyBytes: Int
        public let maxPendingCommands: Int
        public let maxConcurrentQueries: Int
        public let queryThreads: Int
        public let queryExpiryWindowMs: UInt64
        public let queryTimeoutMs: UInt64
        public let maxCommandGas: UInt64
        public let maxQueryGas: UInt64
        public let maxStagedUploads: Int
        public let maxStagedBytes: Int

        enum CodingKeys: String, CodingKey {
            case maxBodyBytes = "max_body_bytes"
            case maxPendingCommands = "max_pending_commands"
            case maxConcurrentQueries = "max_concurrent_queries"
            case queryThreads = "query_threads"
            case queryExpiryWindowMs = "query_expiry_window_ms"
            case queryTimeoutMs = "query_timeout_ms"
            case maxCommandGas = "max_command_gas"
            case maxQueryGas = "max_query_gas"
            case maxStagedUploads = "max_staged_uploads"
            case maxStagedBytes = "max_staged_bytes"
        }

        public init(
            maxBodyBytes: Int, maxPendingCommands: Int, maxConcurrentQueries: Int, queryThreads: Int, queryExpiryWindowMs: UInt64,
            queryTimeoutMs: UInt64, maxCommandGas: UInt64, maxQueryGas: UInt64, maxStagedUploads: Int, maxStagedBytes: Int
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxPendingCommands = maxPendingCommands
            self.maxConcurrentQueries = maxConcurrentQueries
            self.queryThreads = queryThreads
            self.queryExpiryWindowMs = queryExpiryWindowMs
            self.queryTimeoutMs = queryTimeoutMs
            self.maxCommandGas = maxCommandGas
            self.maxQueryGas = maxQueryGas
            self.maxStagedUploads = maxStagedUploads
            self.maxStagedBytes = maxStagedBytes
        }
    }

    enum CodingKeys: String, CodingKey {
        case ok, software
        case apiVersion = "api_version"
        case abiVersion = "abi_version"
        case genesis
        case codeKinds = "code_kinds"
        case signatureSchemes = "signature_schemes"
        case seq
        case stateRoot = "state_root"
        case contracts, limits, operators
        case unsignedQueries = "unsigned_queries"
        case tls
        case uptimeS = "uptime_s"
        case cluster
    }

    public init(
        software: String, apiVersion: String, abiVersion: String, genesis: Hex, codeKinds: [String], signatureSchemes: [String],
        seq: UInt64, stateRoot: Hex, contracts: Int, limits: Limits, operators: [Hex], unsignedQueries: Bool, tls: Bool,
        uptimeS: Int, cluster: Cluster? = nil
    ) {
        self.software = software
        self.apiVersion = apiVersion
        self.abiVersion = abiVersion
        self.genesis = genesis
        self.codeKinds = codeKinds
        self.signatureSchemes = signatureSchemes
        self.seq = seq
        self.stateRoot = stateRoot
        self.contracts = contracts
        self.limits = limits
        self.operators = operators
        self.unsignedQueries = unsignedQueries
        self.tls = tls
        self.uptimeS = uptimeS
        self.cluster = cluster
    }

    public var text: String { "\(software) API \(apiVersion), ABI \(abiVersion), genesis \(genesis), \(contracts) contracts, last command #\(seq)" }
}
