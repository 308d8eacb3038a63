import ArgumentParser
import FatRuntime

/// `fat inspect ADDRESS|ARTIFACT`: the messages, selectors, argument and return types.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a contract's or an artifact's messages and types.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A contract address, or an artifact path.") var target: String
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?

    func run() throws {
        try runSubcommand(options) { session in
            if let account = AccountId(hex: target) { return try session.describe(contract: account) }
            return try session.describe(artifact: try Artifact.load(target, metadataPath: metadata))
        }
    }
}
