import ArgumentParser
import FatCodec
import FatRuntime

/// `fat call ADDRESS MESSAGE`: sends a command — logged, ordered, durable, then applied.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a command to a contract (ordered and durable).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "The key to sign with (default: the key `default`).") var signer: String?
    @Option(help: "Gas limit.") var gas: UInt64 = Command.defaultGasLimit

    func run() throws {
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let contract = try session.address(target.address)
            let messages = Messages(metadata: try session.host.metadata(of: contract), resolveAccount: session.accountResolver)
            let (spec, bytes) = try target.resolve(messages)
            let key = try session.signer(signer)
            var command = Command(caller: key.account, action: .call(contract: contract, input: bytes), gasLimit: gas)
            command.signature = key.sign(command.signingPayload)
            let receipt = try session.host.submit(command)
            let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
            let events = JSONValue.array(receipt.events.map { event in
                messages.event(event, emitterMetadata: try? session.host.metadata(of: event.contract))
            })
            if let error = receipt.outcome.error(output: output) {
                var fields = JSON.error(FatError(error.code, "\(error.message) (logged as command #\(receipt.seq); its writes were rolled back)"))
                if case var .object(list) = fields {
                    list.append(("seq", JSON.number(receipt.seq)))
                    list.append(("output", output))
                    list.append(("logs", .array(receipt.logs.map(JSONValue.string))))
                    fields = .object(list)
                }
                Console.current.print(options.json ? fields.serialized() : "error [\(error.code)]: \(error.message) (command #\(receipt.seq))")
                throw CommandFailure(error: error)
            }
            let json = JSON.object([
                ("ok", .bool(true)), ("seq", JSON.number(receipt.seq)), ("output", output), ("events", events),
                ("logs", .array(receipt.logs.map(JSONValue.string))), ("gas_used", JSON.number(receipt.gasUsed)),
            ])
            return (json, "command #\(receipt.seq): \(output.serialized())")
        }
    }
}
