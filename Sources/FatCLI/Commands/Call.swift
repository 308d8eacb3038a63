import ArgumentParser
import FatClient
import FatCodec
import FatRuntime
import FatAPI

/// `fat call ADDRESS MESSAGE`: sends a command — logged, ordered, durable, then applied.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a command to a contract (ordered and durable).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "The key to sign with (default: the key `default`).") var signer: String?
    @Option(help: "Gas limit.") var gas: UInt64 = Command.defaultGasLimit

    func run() throws {
        if let remote = options.remote { return try runRemote(remote) }
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let contract = try session.address(target.address)
            let messages = Messages(metadata: try session.host.metadata(of: contract), resolveAccount: session.accountResolver)
            let (_, bytes) = try target.resolve(messages)
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .call(contract: contract, input: bytes), gasLimit: gas)
            session.sign(&command, as: key)
            let receipt = try session.host.submit(command)
            let rendered = session.renderer.called(receipt, input: bytes)
            if let error = rendered.error {
                Console.current.print(options.json ? rendered.json.serialized() : rendered.text)
                throw CommandFailure(error: error)
            }
            return (rendered.json, rendered.text)
        }
    }

    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let contract = try target.contract()
            let input = try session.run { try target.remoteInput($0, keys: session.keys) }
            let key = try session.signer(signer)
            var command = SignedCommand(genesis: try session.run { try $0.genesis() }, caller: key.account.bytes,
                                        action: .call(contract: contract.bytes, input: input),
                                        nonce: RemoteSession.nonce(), expiresAtMs: RemoteSession.expiry())
            command.gasLimit = gas
            command.sign(with: key.clientKey)
            let json = try session.run { try $0.submit(command) }
            return try remoteResult(options, json, text: "command #\(json["seq"].map { $0.serialized() } ?? "?"): \((json["output"] ?? .null).serialized())")
        }
    }
}
