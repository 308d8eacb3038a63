import ArgumentParser
import FatCodec
import FatCrypto
import FatRuntime

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
            let saltBytes: [UInt8]
            if let salt {
                guard let parsed = [UInt8](hex: salt) else { throw FatError(.badArguments, "--salt must be hex") }
                saltBytes = parsed
            } else {
                saltBytes = SecureRandom.bytes(8)
            }
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .deploy(codeHash: prepared.hash, input: input, salt: saltBytes),
                                  gasLimit: gas, code: artifact.upload)
            command.signature = key.sign(command.signingPayload)
            let receipt = try session.host.submit(command)
            let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
            if let error = receipt.outcome.error(output: output) {
                throw FatError(error.code, "deploy failed (logged as command #\(receipt.seq)): \(error.message)")
            }
            let json = JSON.object([
                ("ok", .bool(true)), ("address", .string(receipt.contract.hex)), ("code_hash", JSON.hex(prepared.hash)),
                ("kind", .string(prepared.kind.rawValue)), ("name", .string(prepared.metadata.name)),
                ("constructor", spec.map { .string($0.label) } ?? .null), ("seq", JSON.number(receipt.seq)),
                ("deployer", .string(key.account.hex)),
                ("events", .array(receipt.events.map { messages.event($0, emitterMetadata: prepared.metadata) })),
                ("gas_used", JSON.number(receipt.gasUsed)),
            ])
            return (json, "deployed \(prepared.metadata.name) at \(receipt.contract.hex) (command #\(receipt.seq))")
        }
    }
}
