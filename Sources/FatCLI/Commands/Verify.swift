import ArgumentParser
import FatCodec
import FatRuntime
import FatAPI

/// `fat verify`: replays the whole log into a scratch store and compares state roots.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay the log into a scratch store and compare state roots.")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        try runCommand(options) {
            let session = try Session(options, create: false)
            defer { session.close() }
            let report = try session.host.verify()
            guard report.ok else {
                let problems = report.mismatches + report.integrityProblems
                throw FatError(.verifyFailed, "replaying \(report.commandsReplayed) commands gave root 0x\(report.replayedRoot.hexString), the store has 0x\(report.liveRoot.hexString): \(problems.joined(separator: "; "))")
            }
            let json = JSON.object([
                ("ok", .bool(true)), ("commands", JSON.number(report.commandsReplayed)),
                ("root", JSON.hex(report.liveRoot)), ("replayed_root", JSON.hex(report.replayedRoot)),
            ])
            return (json, "ok: \(report.commandsReplayed) commands replayed, state root 0x\(report.liveRoot.hexString)")
        }
    }
}
