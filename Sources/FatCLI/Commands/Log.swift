import ArgumentParser
import FatCodec
import FatRuntime
import FatServer

/// `fat log`: the command log, in order, each entry with its receipt.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the command log with receipts.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "At most this many entries.") var limit: Int = 1000

    func run() throws {
        try runCommand(options) {
            if let remote = options.remote {
                let session = try RemoteSession(options, url: remote)
                let json = try session.run { try $0.log(from: from, limit: limit) }
                let lines = (json["entries"]?.arrayValue ?? []).map { entry in
                    "#\(entry["seq"]?.serialized() ?? "?") \(entry["message"]?.stringValue ?? "?") → \(entry["receipt"]?["outcome"]?.serialized() ?? "") \((entry["receipt"]?["output"] ?? .null).serialized())"
                }
                return (json, lines.joined(separator: "\n"))
            }
            let session = try Session(options)
            defer { session.close() }
            return try session.renderer.log(from: from, limit: limit)
        }
    }
}
