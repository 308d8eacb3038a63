import ArgumentParser
import FatCodec
import FatRuntime

/// `fat query ADDRESS MESSAGE`: asks a contract at once, off the log; writes are discarded.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Query a contract (immediate, read-only, never logged).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "Sign the query with this key, so the contract sees the caller.") var signer: String?

    func run() throws {
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let contract = try session.address(target.address)
            let messages = Messages(metadata: try session.host.metadata(of: contract), resolveAccount: session.accountResolver)
            let (spec, bytes) = try target.resolve(messages)
            let result: QueryResult
            if let signer {
                let key = try session.keys.load(signer)
                result = try session.host.query(contract, input: bytes, signedBy: key.account,
                                                signature: key.sign(FatHost.queryPayload(contract: contract, input: bytes)))
            } else {
                result = try session.host.query(contract, input: bytes)
            }
            let output = messages.output(result.output, for: spec, outcome: result.outcome)
            if let error = result.outcome.error(output: output) { throw error }
            let json = JSON.object([
                ("ok", .bool(true)), ("output", output), ("logs", .array(result.logs.map(JSONValue.string))),
                ("gas_used", JSON.number(result.gasUsed)),
            ])
            return (json, output.serialized())
        }
    }
}
