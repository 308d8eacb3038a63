import ArgumentParser
import FatClient
import FatCodec
import FatRuntime
import FatServer

/// `fat events --from SEQ`: the events commands emitted, from a sequence number; with
/// `--follow` (remote only) it keeps streaming as commands commit.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the events of the commands from a sequence number.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "Stop after this many commands with events.") var limit: Int = 1000
    @Flag(help: "Keep waiting for new events (with --remote).") var follow = false

    func run() throws {
        try runCommand(options) {
            var records: [JSONValue] = []
            if let remote = options.remote {
                let session = try RemoteSession(options, url: remote)
                let limit = self.limit
                let follow = self.follow
                let collected = Collected()
                try session.run { client in
                    try client.events(from: from) { event in
                        if event.event == "caught_up" { return follow }
                        if let record = try? JSONValue.parse(event.data) { collected.records.append(record) }
                        return collected.records.count < limit
                    }
                }
                records = collected.records
            } else {
                let session = try Session(options)
                defer { session.close() }
                for receipt in try session.host.receipts(from: from) where !receipt.events.isEmpty {
                    records.append(session.renderer.eventRecord(receipt))
                    if records.count >= limit { break }
                }
            }
            let text = records.map { "#\($0["seq"]?.serialized() ?? "?") \(($0["events"] ?? .array([])).serialized())" }
            return (JSON.object([("ok", .bool(true)), ("records", .array(records))]), text.joined(separator: "\n"))
        }
    }
}

private final class Collected {
    var records: [JSONValue] = []
}
