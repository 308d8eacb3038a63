import ArgumentParser
import FatAPI
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
        try runSubcommand(options) { session in
            try session.deploy(
                try Artifact.load(artifact, metadataPath: metadata), constructor: constructor,
                arguments: try Messages.parseArguments(args), salt: try saltBytes(), gas: gas, as: try session.keys.signer(signer))
        }
    }

    private func saltBytes() throws -> [UInt8] {
        guard let salt else { return SecureRandom.bytes(8) }
        guard let parsed = [UInt8](hex: salt) else { throw FatError(.badArguments, "--salt must be hex") }
        return parsed
    }
}
