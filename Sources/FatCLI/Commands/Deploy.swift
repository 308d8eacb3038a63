import ArgumentParser
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatServer

/// `fat deploy ARTIFACT`: stores the code and runs a constructor, as one command.
struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Deploy a contract from a .so, .contract, .wasm (+ .json) or .wat.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The artifact to deploy.") var artifact: String
    @Option(help: "The constructor (default: the default one, else `new`).") var constructor: String?
    @Option(help: "Constructor arguments as a JSON array, or an object by name.") var args: String?
    @Option(name: .customLong("as"), help: "The key to deploy as (default: the key `default`).") var signer: String?
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?
    @Option(help: "Salt for the address, hex (default: random).") var salt: String?
    @Option(help: "Gas limit.") var gas: UInt64 = Command.defaultGasLimit

    func run() throws {
        if let remote = options.remote { return try runRemote(remote) }
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let prepared = try session.host.prepare(artifact.upload)
            let messages = Messages(metadata: prepared.metadata, resolveAccount: session.accountResolver)
            let spec = try constructor.map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
            let arguments = try Messages.parseArguments(args)
            let input = try spec.map { try messages.input(for: $0, arguments: arguments) } ?? []
            if spec == nil, case let .array(values) = arguments, !values.isEmpty {
                throw FatError(.badArguments, "\(prepared.metadata.name) has no constructor, so it takes no --args")
            }
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .deploy(codeHash: prepared.hash, input: input, salt: try saltBytes()),
                                  gasLimit: gas, code: artifact.upload)
            command.signature = key.sign(command.signingPayload)
            let receipt = try session.host.submit(command)
            return try session.renderer.deployed(receipt, code: prepared, input: input)
        }
    }

    private func saltBytes() throws -> [UInt8] {
        guard let salt else { return SecureRandom.bytes(8) }
        guard let parsed = [UInt8](hex: salt) else { throw FatError(.badArguments, "--salt must be hex") }
        return parsed
    }

    /// Uploads the code (the server validates it and encodes the constructor), then sends the
    /// signed deploy command naming the code by hash.
    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let arguments = try Messages.parseArguments(args)
            let uploaded = try session.run {
                try $0.upload(kind: artifact.upload.kind.rawValue, code: artifact.upload.bytes, metadata: artifact.upload.metadata,
                              constructor: constructor, args: arguments)
            }
            guard let hash = uploaded["code_hash"]?.stringValue.flatMap({ [UInt8](hex: $0) }),
                  let input = uploaded["input"]?.stringValue.flatMap({ [UInt8](hex: $0) })
            else { throw FatError(.remote, "the server's answer to the upload has no code_hash or input") }
            let key = try session.signer(signer)
            var command = SignedCommand(caller: key.account.bytes, action: .deploy(codeHash: hash, input: input, salt: try saltBytes()),
                                        nonce: RemoteSession.nonce(), expiresAtMs: RemoteSession.expiry())
            command.gasLimit = gas
            command.sign(with: key.signingKey)
            let json = try session.run { try $0.submit(command) }
            return try remoteResult(options, json, text: "deployed \(json["name"]?.stringValue ?? "?") at \(json["address"]?.stringValue ?? "?") (command #\(json["seq"]?.serialized() ?? "?"))")
        }
    }
}
