import ArgumentParser
import FatClient
import FatCodec
import FatRuntime

/// `fat upload ARTIFACT`: stores code without instantiating it, as one command, so that contracts
/// can instantiate it, delegate to it or switch to it by hash.
struct Upload: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Store code (.so, .contract, .wasm (+ .json) or .wat) without deploying it; prints its hash.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The artifact to upload.") var artifact: String
    @Option(name: .customLong("as"), help: "The key to upload as (default: the key `default`).") var signer: String?
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?

    func run() throws {
        if let remote = options.remote { return try runRemote(remote) }
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let prepared = try session.host.prepare(artifact.upload)
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .upload(codeHash: prepared.codeHash, metadataHash: prepared.metadataHash),
                                  code: artifact.upload)
            session.sign(&command, as: key)
            return try session.renderer.uploaded(try session.host.submit(command), code: prepared)
        }
    }

    /// Stages the code on the server (which validates it), then sends the signed upload command.
    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let key = try session.signer(signer)
            let upload = artifact.upload
            _ = try session.run {
                try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata, signedBy: key.clientKey)
            }
            var command = SignedCommand(genesis: try session.run { try $0.genesis() }, caller: key.account.bytes,
                                        action: .upload(codeHash: upload.codeHash, metadataHash: upload.metadataHash),
                                        nonce: RemoteSession.nonce(), expiresAtMs: RemoteSession.expiry())
            command.sign(with: key.clientKey)
            let json = try session.run { try $0.submit(command) }
            return try remoteResult(options, json, text: "uploaded \(json["name"]?.stringValue ?? "?") as code \(json["code_hash"]?.stringValue ?? "?") (command #\(json["seq"]?.serialized() ?? "?"))")
        }
    }
}
