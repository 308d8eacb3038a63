import ArgumentParser
import FatCodec
import FatRuntime

/// `fat call ADDRESS MESSAGE`: sends a command — logged, ordered, durable, then applied.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a command to a contract (ordered and durable).")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The contract address.") var address: String
    @Argument(help: "The message to call.") var message: String?
    @Option(help: "Arguments as a JSON array, or an object by name.") var args: String?
    @Option(help: "Raw input instead of a message: selector + SCALE args, hex.") var input: String?
    @Option(name: .customLong("as"), help: "The key to sign with (default: the key `default`).") var signer: String?
    @Option(help: "Gas limit.") var gas: UInt64 = Command.defaultGasLimit

    func run() throws {
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let contract = try session.address(address)
            let messages = Messages(metadata: try session.host.metadata(of: contract), resolveAccount: session.accountResolver)
            let (spec, bytes) = try resolveInput(messages, message: message, args: args, raw: input)
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

/// The input of a call: a message by name with JSON args, or raw hex.
func resolveInput(_ messages: Messages, message: String?, args: String?, raw: String?) throws -> (MessageSpec?, [UInt8]) {
    if let raw {
        guard let bytes = [UInt8](hex: raw), bytes.count >= 4 else {
            throw FatError(.badArguments, "--input must be hex: a 4-byte selector followed by SCALE arguments")
        }
        return (messages.spec(selector: Array(bytes.prefix(4))), bytes)
    }
    guard let message else {
        throw FatError(.badArguments, "name a message (one of: \(messages.metadata.messages.map(\.label).joined(separator: ", "))) or pass --input")
    }
    let spec = try messages.spec(message, constructor: false)
    return (spec, try messages.input(for: spec, arguments: try Messages.parseArguments(args)))
}
