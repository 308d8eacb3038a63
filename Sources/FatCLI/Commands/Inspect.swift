import ArgumentParser
import FatCodec
import FatRuntime
import FatServer

/// `fat inspect ADDRESS|ARTIFACT`: the messages, selectors, argument and return types.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a contract's or an artifact's messages and types.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A contract address, or an artifact path.") var target: String
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?

    func run() throws {
        if let remote = options.remote { return try runRemote(remote) }
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            if let account = AccountId(hex: target) {
                guard let state = session.host.snapshot.contracts[account] else {
                    throw FatError(.unknownContract, "no contract at \(account)")
                }
                return session.renderer.inspect(try session.host.code(state.codeHash), address: account)
            }
            return session.renderer.inspect(try session.host.prepare(Artifact.load(target, metadataPath: metadata).upload), address: nil)
        }
    }

    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let json: JSONValue
            if AccountId(hex: target) != nil {
                json = try session.run { try $0.contract(target) }
            } else {
                let upload = try Artifact.load(target, metadataPath: metadata).upload
                json = try session.run { try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata) }
            }
            return (json, json.serialized(pretty: true))
        }
    }
}
