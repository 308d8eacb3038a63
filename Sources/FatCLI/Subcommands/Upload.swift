import ArgumentParser

/// `fat upload ARTIFACT`: stores code without instantiating it, as one command, so that contracts
/// can instantiate it, delegate to it or switch to it by hash.
struct Upload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store code (.so, .contract, .wasm (+ .json) or .wat) without deploying it; prints its hash.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The artifact to upload.") var artifact: String
    @Option(name: .customLong("as"), help: "The key to upload as (default: the key `default`).") var signer: String?
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?

    func run() throws {
        try runSubcommand(options) { session in
            try session.upload(try Artifact.load(artifact, metadataPath: metadata), as: try session.keys.signer(signer))
        }
    }
}
