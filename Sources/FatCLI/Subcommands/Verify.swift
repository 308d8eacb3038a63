import ArgumentParser
import FatCrypto
import FatRuntime
import FatWire

/// `fat verify`: replays the whole log into a scratch store and compares state roots.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay the log into a scratch store and compare state roots.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        try runSubcommand(options) { () throws -> any Answer in
            if options.remote != nil { throw FatError(.badArguments, "fat verify replays a data directory's log: it does not take --remote") }
            let session = try LocalSession(options, create: false)
            defer { session.close() }
            let report = try session.host.verify()
            guard report.ok else {
                let problems = report.mismatches + report.integrityProblems
                throw FatError(
                    .verifyFailed,
                    "replaying \(report.commandsReplayed) commands gave root 0x\(report.replayedRoot.hexString), the store has 0x\(report.liveRoot.hexString): \(problems.joined(separator: "; "))"
                )
            }
            return VerifyAnswer(commands: report.commandsReplayed, root: Hex(report.liveRoot), replayedRoot: Hex(report.replayedRoot))
        }
    }
}

/// What `fat verify` answers when the replay agrees with the store.
struct VerifyAnswer: Answer {
    var ok = true
    let commands: Int
    let root: Hex
    let replayedRoot: Hex

    enum CodingKeys: String, CodingKey {
        case ok, commands, root
        case replayedRoot = "replayed_root"
    }

    var text: String { "ok: \(commands) commands replayed, state root \(root)" }
}
