import ArgumentParser
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatAPI

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
            var command = Command(caller: key.account,
                                  action: .deploy(codeHash: prepared.codeHash, metadataHash: prepared.metadataHash, input: input, salt: try saltBytes()),
                                  gasLimit: gas, code: artifact.upload)
            session.sign(&command, as: key)
            let receipt = try session.host.submit(command)
            return try session.renderer.deployed(receipt, code: prepared, input: input)
        }
    }

    private func saltBytes() throws -> [UInt8] {
        guard let salt else { return SecureRandom.bytes(8) }
        guard let parsed = [UInt8](hex: salt) else { throw FatError(.badArguments, "--salt must be hex") }
        return parsed
    }

    /// Stages the code, signed (the server validates Wasm and encodes its constructor; native
    /// code, which the server does not load when staged, has its constructor encoded here), then
    /// sends the signed deploy command naming the code and metadata by hash.
    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let artifact = try Artifact.load(self.artifact, metadataPath: metadata)
            let arguments = try Messages.parseArguments(args)
            let key = try session.signer(signer)
            let upload = artifact.upload
            let input: [UInt8]
            if upload.kind == .native {
                let messages = Messages(metadata: try Artifact.nativeMetadata(self.artifact), resolveAccount: { session.keys.resolve($0)?.bytes })
                let spec = try constructor.map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
                input = try spec.map { try messages.input(for: $0, arguments: arguments) } ?? []
                _ = try session.run { try $0.upload(kind: "native", code: upload.bytes, metadata: [], signedBy: key.clientKey) }
            } else {
                let staged = try session.run {
                    try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata, constructor: constructor,
                                  args: arguments, signedBy: key.clientKey)
                }
                guard let encoded = staged["input"]?.stringValue.flatMap({ [UInt8](hex: $0) }) else {
                    throw FatError(.remote, "the server's answer to the upload has no input")
                }
                input = encoded
            }
            var command = SignedCommand(genesis: try session.run { try $0.genesis() }, caller: key.account.bytes,
                                        action: .deploy(codeHash: upload.codeHash, metadataHash: upload.metadataHash, input: input,
                                                        salt: try saltBytes()),
                                        nonce: RemoteSession.nonce(), expiresAtMs: RemoteSession.expiry())
            command.gasLimit = gas
            command.sign(with: key.clientKey)
            let json = try session.run { try $0.submit(command) }
            return try remoteResult(options, json, text: "deployed \(json["name"]?.stringValue ?? "?") at \(json["address"]?.stringValue ?? "?") (command #\(json["seq"]?.serialized() ?? "?"))")
        }
    }
}
