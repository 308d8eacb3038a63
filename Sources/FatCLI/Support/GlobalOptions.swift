import ArgumentParser
import Foundation

/// Options every subcommand takes.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $FAT_DATA, else ./.fat).")
    public var data: String?

    @Option(name: .customLong("master-key"), help: "The master key file (default: <data>/master.key).")
    public var masterKey: String?

    @Option(
        name: .long,
        help: "A `fat serve` host (http://HOST:PORT) to send the command to instead of opening the data directory; keys still come from <data>/keys.")
    public var remote: String?

    @Flag(name: .long, help: "Print exactly one JSON object on standard output.")
    public var json = false

    @Option(
        name: .customLong("plugin"),
        help: ArgumentHelp(
            "Load a capability module (a shared object built against ABI/include/fat_capability.h). Repeatable; also read from <data>/host.json.",
            valueName: "path"))
    public var plugins: [String] = []

    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "Let contracts reach this host over HTTP: a name, *.example.com, or * for any. Repeatable; also read from <data>/host.json.",
            valueName: "host"))
    public var allowHosts: [String] = []

    @Flag(name: .customLong("allow-private-addresses"), help: "Let contracts reach loopback and private network addresses over HTTP.")
    public var allowPrivateAddresses = false

    @Option(
        name: .customLong("native-isolation"),
        help: ArgumentHelp(
            "Where native contracts run: `process` (worker processes: a crash, a hang or a runaway allocation is that call's error) or `in-process` (trusted code, the fastest). Default: process for fat serve, in-process for the other subcommands; also read from <data>/host.json.",
            valueName: "mode"))
    public var nativeIsolation: String?

    @Option(
        name: .customLong("cache-size"),
        help: ArgumentHelp(
            "Memory for plaintext state values read from the sealed store: bytes, or with K, M or G (powers of 1024), e.g. 256M. Default 64M; 0 caches nothing.",
            valueName: "size"))
    public var cacheSize: String?

    public init() {}

    /// The long names above, so they can also be given before the subcommand (`Fat.run`).
    static let namesWithValues: Set<String> = [
        "--data", "--master-key", "--remote", "--plugin", "--allow-host", "--native-isolation", "--cache-size",
    ]
    static let flagNames: Set<String> = ["--json", "--allow-private-addresses"]

    package var dataDirectory: String {
        if let data { return data }
        if let env = ProcessInfo.processInfo.environment["FAT_DATA"], !env.isEmpty { return env }
        return FileManager.default.currentDirectoryPath + "/.fat"
    }
}
