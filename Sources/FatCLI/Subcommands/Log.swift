import ArgumentParser

/// `fat log`: the command log, in order, each entry with its receipt.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the command log with receipts.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "At most this many entries.") var limit: Int = 1000
    @Option(name: .customLong("as"), help: "With --remote: sign the read with this key, to see its own commands in full (an operator sees all).")
    var signer: String?

    func run() throws {
        try runSubcommand(options) { session in
            try session.log(from: from, limit: limit, as: try signer.map { try session.keys.load($0) })
        }
    }
}
