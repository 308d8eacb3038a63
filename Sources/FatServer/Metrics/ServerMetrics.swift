import FatRuntime
import Synchronization

/// What `/metrics` reports, in the Prometheus text format: commands and queries by outcome,
/// their latencies, gas, refusals and HTTP errors. **Thread-safe**; counting costs one lock.
public final class ServerMetrics: Sendable {
    private let counters = Mutex<[String: UInt64]>([:])
    let commandLatency = Histogram()
    let queryLatency = Histogram()

    public init() {}

    /// Adds `amount` to the counter `name{labels}` (labels already formatted: `a="b",c="d"`).
    func add(_ name: String, _ labels: String = "", _ amount: UInt64 = 1) {
        let key = labels.isEmpty ? name : "\(name){\(labels)}"
        counters.withLock { $0[key, default: 0] &+= amount }
    }

    func commandAnswered(outcome: String, gas: UInt64, duration: Duration) {
        add("fat_commands_total", "outcome=\"\(outcome)\"")
        add("fat_gas_used_total", "kind=\"command\"", gas)
        commandLatency.observe(duration)
    }

    func queryAnswered(outcome: String, gas: UInt64, duration: Duration) {
        add("fat_queries_total", "outcome=\"\(outcome)\"")
        add("fat_gas_used_total", "kind=\"query\"", gas)
        queryLatency.observe(duration)
    }

    func refused(status: Int, code: String) {
        add("fat_http_errors_total", "status=\"\(status)\",code=\"\(code)\"")
    }

    static let help: [(String, String, String)] = [
        ("fat_commands_total", "counter", "Commands answered, by outcome (success, reverted, failed: logged; refused: never logged)."),
        ("fat_queries_total", "counter", "Queries answered, by outcome."),
        ("fat_gas_used_total", "counter", "Gas used by answered commands and queries."),
        ("fat_http_errors_total", "counter", "Requests answered with an error status, by status and error code."),
        ("fat_sse_streams_total", "counter", "Event streams opened."),
        ("fat_rpc_connections_total", "counter", "Substrate JSON-RPC WebSocket connections opened."),
        ("fat_rpc_requests_total", "counter", "Substrate JSON-RPC messages received (a batch counts once), by transport."),
        ("fat_rpc_busy_total", "counter", "Substrate JSON-RPC messages answered busy (-32005): the server's query bound was reached."),
    ]

    /// The Prometheus text exposition of every metric.
    public func render(lastSeq: UInt64) -> String {
        var out = ""
        let snapshot = counters.withLock { $0 }
        for (name, type, help) in Self.help {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            let rows = snapshot.filter { $0.key == name || $0.key.hasPrefix(name + "{") }.sorted { $0.key < $1.key }
            if rows.isEmpty, name != "fat_gas_used_total" { out += "\(name) 0\n" }
            for (key, value) in rows { out += "\(key) \(value)\n" }
        }
        out += "# HELP fat_command_duration_seconds Time from receiving a command to answering it (durable and applied).\n"
        out += "# TYPE fat_command_duration_seconds histogram\n"
        commandLatency.render(name: "fat_command_duration_seconds", labels: "", into: &out)
        out += "# HELP fat_query_duration_seconds Time from receiving a query to answering it.\n"
        out += "# TYPE fat_query_duration_seconds histogram\n"
        queryLatency.render(name: "fat_query_duration_seconds", labels: "", into: &out)
        out += "# HELP fat_log_last_seq Sequence number of the last logged command.\n# TYPE fat_log_last_seq gauge\nfat_log_last_seq \(lastSeq)\n"
        return out
    }

    /// The state cache: how often reads found what they needed in memory, and how full it is.
    static func render(cache: StateCacheStatistics) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("fat_state_cache_hits_total", "counter", "State reads answered by the state cache.", String(cache.hits))
        metric("fat_state_cache_misses_total", "counter", "State reads that went to the sealed store.", String(cache.misses))
        metric("fat_state_cache_evictions_total", "counter", "Entries the state cache dropped to stay within its size.", String(cache.evictions))
        metric("fat_state_cache_entries", "gauge", "Entries in the state cache.", String(cache.entries))
        metric("fat_state_cache_bytes", "gauge", "Bytes the state cache's entries count for.", String(cache.bytes))
        metric("fat_state_cache_capacity_bytes", "gauge", "The state cache's size limit (--cache-size).", String(cache.capacity))
        return out
    }

    /// A cluster host's standing: how far it has applied and how etcd answers it.
    static func render(cluster: ClusterStatus) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric("fat_cluster_applied_revision", "gauge", "etcd revision of the last batch this host applied.", String(cluster.appliedRevision))
        metric(
            "fat_cluster_seen_revision", "gauge", "Newest etcd revision under the cluster's prefix this host has heard of.",
            String(cluster.seenRevision))
        metric("fat_cluster_lag_batches", "gauge", "Batches heard of and not yet applied by this host.", String(cluster.lagBatches))
        metric(
            "fat_cluster_healthy", "gauge", "1 while etcd answers and the host applies the cluster's order, else 0.",
            cluster.problem == nil ? "1" : "0")
        metric("fat_etcd_requests_total", "counter", "Calls to etcd (watches not included).", String(cluster.etcdCalls))
        metric("fat_etcd_request_failures_total", "counter", "Calls to etcd that failed.", String(cluster.etcdFailures))
        metric(
            "fat_etcd_request_seconds_total", "counter", "Seconds spent in calls to etcd (divide by the calls for the mean latency).",
            String(cluster.etcdSeconds))
        return out
    }
}
