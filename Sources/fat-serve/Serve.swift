import ArgumentParser
import FatCLI
import FatCodec
import FatRuntime
import FatServer
import FatWire
import Foundation

/// `fat serve --listen HOST:PORT` (which runs this executable, `fat-serve`): serves the data
/// directory over HTTP until SIGTERM or SIGINT. The HTTP server lives here, apart from `fat`, so
/// the other subcommands do not carry it.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fat serve",
        abstract: "Serve the data directory over HTTP: the JSON API, events, metrics, and Substrate JSON-RPC (WebSocket and POST at /).")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one).") var listen = "127.0.0.1:9944"
    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this certificate chain (PEM); needs --tls-key.") var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: "The private key (PEM) of --tls-cert.") var tlsKey: String?
    @Flag(name: .customLong("signed-queries-only"), help: "Refuse queries that carry no signature.") var signedQueriesOnly = false
    @Flag(
        name: .customLong("dev"),
        help: "Development mode of the Substrate face: trust a dry run's claimed origin, serve contract storage and stored code. Never with secrets.")
    var dev = false
    @Option(name: .customLong("max-body"), help: "Largest request body, in bytes.") var maxBody = 8 << 20
    @Option(name: .customLong("max-pending-commands"), help: "Commands waiting at once before 503.") var maxPendingCommands = 8192
    @Option(name: .customLong("max-queries"), help: "Queries running or waiting at once before 503.") var maxQueries = 1024
    @Option(name: .customLong("query-threads"), help: "Threads that run queries (default: 4 per core, at least 8).") var queryThreads: Int?
    @Option(
        name: .customLong("operator"),
        help: ArgumentHelp(
            "An operator's account (0x + 64 hex digits) or the name of a key in <data>/keys: its signature may bring native code and read every command. Repeatable; also read from <data>/host.json.",
            valueName: "account"))
    var operators: [String] = []
    @Option(name: .customLong("max-command-gas"), help: "Refuse commands that ask for more gas than this.") var maxCommandGas: UInt64?
    @Option(name: .customLong("max-query-gas"), help: "Run queries with at most this much gas.") var maxQueryGas: UInt64?
    @Option(
        name: .customLong("order"),
        help: ArgumentHelp(
            "Where commands are ordered: `local` (this host's log) or etcd://HOST:PORT[,HOST:PORT…], the etcd cluster every host of a FatContract cluster shares (each given the same --master-key).",
            valueName: "order"))
    var order = "local"
    @Option(name: .customLong("cluster-prefix"), help: "The etcd key prefix of this cluster's entries (several clusters may share one etcd).")
    var clusterPrefix = "/fatcontract/"
    @Option(
        name: .customLong("cluster-takeover-ms"),
        help: "How long a batch waits for the host that proposed it to decide it before this host does (that host may have died).")
    var takeoverMs: UInt64 = 3000

    func run() throws {
        try runReportingErrors(options) { try serve() }
    }

    private func serve() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw FatError(.badArguments, "--tls-cert and --tls-key go together: a certificate chain and its private key, both PEM")
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw FatError(.badArguments, "--listen must be HOST:PORT, not `\(listen)`")
        }
        var configuration = ServerConfiguration()
        configuration.host = String(listen[..<colon])
        configuration.port = port
        configuration.refuseUnsignedQueries = signedQueriesOnly
        configuration.substrateDev = dev
        if let tlsCertificate, let tlsKey {
            configuration.tls = ServerConfiguration.TLSFiles(certificateChainPath: tlsCertificate, privateKeyPath: tlsKey)
        }
        configuration.maxBodyBytes = maxBody
        configuration.maxPendingCommands = maxPendingCommands
        configuration.maxConcurrentQueries = maxQueries
        if let queryThreads {
            guard queryThreads > 0 else { throw FatError(.badArguments, "--query-threads must be at least 1") }
            configuration.queryThreads = queryThreads
        }
        let keys = KeyStore(directory: options.dataDirectory + "/keys")
        var accounts = try HostConfiguration.operators(options)
        for name in operators {
            guard let account = keys.resolve(name) else {
                throw FatError(.badArguments, "--operator `\(name)` is neither an account (0x + 64 hex digits) nor a key in \(keys.directory)")
            }
            accounts.insert(account)
        }
        var limits = try HostConfiguration.limits(options)
        if let maxCommandGas { limits.maxCommandGas = maxCommandGas }
        if let maxQueryGas { limits.maxQueryGas = maxQueryGas }
        var commandOrder = CommandOrder.local
        if order != "local" {
            var etcd = try EtcdOrder(url: order, prefix: clusterPrefix)
            guard takeoverMs > 0, takeoverMs <= 3_600_000 else {
                throw FatError(.badArguments, "--cluster-takeover-ms must be between 1 and 3600000")
            }
            etcd.takeoverAfter = .milliseconds(Int64(takeoverMs))
            commandOrder = .etcd(etcd)
        }
        let host = try FatHost(
            dataDirectory: options.dataDirectory, masterKeyPath: options.masterKey,
            engines: try HostConfiguration.engines(options, defaultIsolation: .process),
            capabilities: try HostConfiguration.load(options), authority: .network(operators: accounts), limits: limits, order: commandOrder)
        let server = APIServer(host: host, configuration: configuration)
        let json = options.json
        let listening = configuration.host
        let scheme = configuration.tls == nil ? "http" : "https"
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await server.run { port in
                    let answer = Listening(listening: "\(scheme)://\(listening):\(port)")
                    Console.current.print(json ? answer.json.serialized() : answer.text)
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        host.close()
        if let error = failure.error as? FatError { throw error }
        if let error = failure.error { throw FatError(.internalError, "the server stopped: \(error)") }
    }
}

private final class ServeFailure: @unchecked Sendable {
    var error: Error?
}

/// The first line `fat serve` prints: where it listens.
struct Listening: Answer {
    var ok = true
    let listening: String

    var text: String { "listening on \(listening)" }
}
