import ArgumentParser
import FatRuntime

/// `fat call ADDRESS MESSAGE`: sends a command — logged, ordered, durable, then applied.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a command to a contract (ordered and durable).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "The key to sign with (default: the key `default`).") var signer: String?
    @Option(help: "Gas limit.") var gas: UInt64 = Command.defaultGasLimit

    func run() throws {
        try runSubcommand(options) { session in try session.call(target, gas: gas, as: try session.keys.signer(signer)) }
    }
}
