import ArgumentParser
import FatWire

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
        let json = options.json
        try runSubcommand(options) { session -> any Answer in
            let records = try session.events(from: from, limit: limit, follow: follow) { record in
                Console.current.print(json ? record.json.serialized() : record.text)
            }
            return follow ? FollowedEvents(followed: records.count) : EventRecords(records: records)
        }
    }
}
