import ArgumentParser
import FatCodec
import FatRuntime
import FatAPI

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
                return session.renderer.inspect(try session.host.describe(contract: account), address: account)
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
                if upload.kind == .native {
                    // A server never loads native code it is sent, so this machine reads its descriptor.
                    let rendered = ResultRenderer.inspect(try Artifact.nativeDescription(target), address: nil)
                    return (rendered.json, rendered.text)
                }
                json = try session.run { try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata) }
            }
            return (json, json.serialized(pretty: true))
        }
    }
}
