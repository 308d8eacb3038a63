import ArgumentParser
import FatClient
import FatCodec
import FatRuntime
import FatAPI

/// `fat events --from SEQ`: the events commands emitted, from a sequence number; with
/// `--follow` (remote only) it keeps streaming as commands commit, one line per command as it
/// arrives (one JSON object per line with `--json`), until `--limit` commands.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the events of the commands from a sequence number.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "Stop after this many commands with events.") var limit: Int = 1000
    @Flag(help: "Keep waiting for new events (with --remote).") var follow = false

    func run() throws {
        if follow, options.remote == nil { throw FatError(.badArguments, "--follow needs --remote: only a server sees commands as they commit") }
        try runCommand(options) {
            var records: [JSONValue] = []
            if let remote = options.remote {
                let session = try RemoteSession(options, url: remote)
                let limit = self.limit
                let follow = self.follow
                let json = options.json
                let collected = Collected()
                try session.run { client in
                    try client.events(from: from) { event in
                        if event.event == "caught_up" { return follow }
                        guard let record = try? JSONValue.parse(event.data) else { return true }
                        collected.records.append(record)
                        if follow { Console.current.print(json ? record.serialized() : Self.line(record)) }
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
            if follow {
                return (JSON.object([("ok", .bool(true)), ("followed", JSON.number(records.count))]), "(\(records.count) commands with events)")
            }
            return (JSON.object([("ok", .bool(true)), ("records", .array(records))]), records.map(Self.line).joined(separator: "\n"))
        }
    }
}

extension Events {
    static func line(_ record: JSONValue) -> String {
        "#\(record["seq"]?.serialized() ?? "?") \((record["events"] ?? .array([])).serialized())"
    }
}

private final class Collected {
    var records: [JSONValue] = []
}
