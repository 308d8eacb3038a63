import ArgumentParser
import FatCodec
import FatRuntime
import FatAPI

/// `fat log`: the command log, in order, each entry with its receipt.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the command log with receipts.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "At most this many entries.") var limit: Int = 1000
    @Option(name: .customLong("as"), help: "With --remote: sign the read with this key, to see its own commands in full (an operator sees all).")
    var signer: String?

    func run() throws {
        try runCommand(options) {
            if let remote = options.remote {
                let session = try RemoteSession(options, url: remote)
                let key = try signer.map { try session.keys.load($0).clientKey }
                let json = try session.run { try $0.log(from: from, limit: limit, signedBy: key) }
                let lines = (json["entries"]?.arrayValue ?? []).map { entry in
                    let name = entry["message"]?.stringValue ?? entry["action"]?.stringValue ?? "?"
                    let output = entry["receipt"]?["output"].map { " " + $0.serialized() } ?? ""
                    return "#\(entry["seq"]?.serialized() ?? "?") \(name) → \(entry["receipt"]?["outcome"]?.serialized() ?? "")\(output)"
                }
                return (json, lines.joined(separator: "\n"))
            }
            let session = try Session(options)
            defer { session.close() }
            return try session.renderer.log(from: from, limit: limit, reader: nil)
        }
    }
}
