import ArgumentParser
import FatClient
import FatCodec
import FatRuntime
import FatServer

/// The contract and message a `call` or `query` addresses, with its arguments.
struct MessageTarget: ParsableArguments {
    @Argument(help: "The contract address.") var address: String
    @Argument(help: "The message, by name.") var message: String?
    @Option(help: "Arguments as a JSON array, or an object by name.") var args: String?
    @Option(help: "Raw input instead of a message: selector + SCALE args, hex.") var input: String?

    /// The message's spec (when known) and the call input: selector + SCALE arguments.
    func resolve(_ messages: Messages) throws -> (MessageSpec?, [UInt8]) {
        if let input {
            guard let bytes = [UInt8](hex: input), bytes.count >= 4 else {
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

    func contract() throws -> AccountId {
        guard let account = AccountId(hex: address) else {
            throw FatError(.badArguments, "`\(address)` is not a contract address (0x followed by 64 hex digits)")
        }
        return account
    }

    /// The call input when a server holds the metadata: `--input` as it is, else the message
    /// and arguments encoded by the server.
    func remoteInput(_ client: FatClient) throws -> [UInt8] {
        if let input {
            guard let bytes = [UInt8](hex: input), bytes.count >= 4 else {
                throw FatError(.badArguments, "--input must be hex: a 4-byte selector followed by SCALE arguments")
            }
            return bytes
        }
        guard let message else { throw FatError(.badArguments, "name a message or pass --input") }
        return try client.encode(address, message: message, args: try Messages.parseArguments(args))
    }
}
