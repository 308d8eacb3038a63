import ArgumentParser
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
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let prepared = try session.host.prepare(artifact.upload)
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .upload(codeHash: prepared.hash), code: artifact.upload)
            command.signature = key.sign(command.signingPayload)
            let receipt = try session.host.submit(command)
            if case let .failed(error) = receipt.outcome { throw error }
            let json = JSON.object([
                ("ok", .bool(true)), ("code_hash", JSON.hex(prepared.hash)), ("kind", .string(prepared.kind.rawValue)),
                ("name", .string(prepared.metadata.name)), ("seq", JSON.number(receipt.seq)),
            ])
            return (json, "uploaded \(prepared.metadata.name) as code 0x\(prepared.hash.hexString) (command #\(receipt.seq))")
        }
    }
}
