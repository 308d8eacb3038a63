import ArgumentParser
import Foundation

/// Options every subcommand takes.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $FAT_DATA, else ./.fat).")
    public var data: String?

    @Option(name: .customLong("master-key"), help: "The master key file (default: <data>/master.key).")
    public var masterKey: String?

    @Flag(name: .long, help: "Print exactly one JSON object on standard output.")
    public var json = false

    public init() {}

    var dataDirectory: String {
        if let data { return data }
        if let env = ProcessInfo.processInfo.environment["FAT_DATA"], !env.isEmpty { return env }
        return FileManager.default.currentDirectoryPath + "/.fat"
    }
}
