import ArgumentParser

/// `fat query ADDRESS MESSAGE`: asks a contract at once, off the log; writes are discarded.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Query a contract (immediate, read-only, never logged).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "Sign the query with this key, so the contract sees the caller.") var signer: String?

    func run() throws {
        try runSubcommand(options) { session in try session.query(target, as: try signer.map { try session.keys.load($0) }) }
    }
}
