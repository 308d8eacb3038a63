import ArgumentParser
import FatAPI
import FatClient
import FatCodec
import FatRuntime
import FatWire

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
            throw FatError(
                .badArguments, "name a message (one of: \(messages.metadata.messages.map(\.label).joined(separator: ", "))) or pass --input")
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
    /// and arguments encoded by the server. Local key names given for AccountId arguments are
    /// replaced by their addresses first (the server does not know this machine's keys).
    func remoteInput(_ client: APIClient, keys: KeyStore) throws -> [UInt8] {
        if let input {
            guard let bytes = [UInt8](hex: input), bytes.count >= 4 else {
                throw FatError(.badArguments, "--input must be hex: a 4-byte selector followed by SCALE arguments")
            }
            return bytes
        }
        guard let message else { throw FatError(.badArguments, "name a message or pass --input") }
        var arguments = try Messages.parseArguments(args)
        if arguments.mentionsString(where: { !$0.hasPrefix("0x") && keys.resolve($0) != nil }) {
            arguments = try resolvingKeyNames(arguments, of: message, description: client.contract(address), keys: keys)
        }
        return try client.encode(address, message: message, args: arguments)
    }

    /// Replaces key names by addresses in the arguments whose type is an AccountId.
    private func resolvingKeyNames(_ arguments: JSONValue, of message: String, description: ContractDescription, keys: KeyStore) throws -> JSONValue {
        let parameters = description.message(message)?.args ?? []
        func resolved(_ value: JSONValue, parameter: ContractDescription.Parameter?) -> JSONValue {
            guard parameter?.type.hasSuffix("AccountId") == true, let name = value.stringValue, let account = keys.resolve(name) else { return value }
            return .string(account.hex)
        }
        switch arguments {
        case let .array(values):
            return .array(values.enumerated().map { resolved($1, parameter: $0 < parameters.count ? parameters[$0] : nil) })
        case let .object(fields):
            return .object(fields.map { field in (field.0, resolved(field.1, parameter: parameters.first { $0.name == field.0 })) })
        default:
            return arguments
        }
    }
}

extension JSONValue {
    /// True when this value or one inside it is a string for which `test` holds.
    func mentionsString(where test: (String) -> Bool) -> Bool {
        switch self {
        case let .string(text): test(text)
        case let .array(values): values.contains { $0.mentionsString(where: test) }
        case let .object(fields): fields.contains { $0.1.mentionsString(where: test) }
        default: false
        }
    }
}
