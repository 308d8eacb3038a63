import FatCodec
import FatRuntime

/// Turns a message name and JSON arguments into call input, and call output back into JSON,
/// through the contract's metadata.
public struct Messages {
    public let metadata: ContractMetadata
    public let resolveAccount: (String) -> [UInt8]?

    public init(metadata: ContractMetadata, resolveAccount: @escaping (String) -> [UInt8]?) {
        self.metadata = metadata
        self.resolveAccount = resolveAccount
    }

    private var codec: ValueCodec { ValueCodec(registry: metadata.registry, resolveAccount: resolveAccount) }

    /// Parses `--args` (a JSON array of positional arguments, or an object by name).
    public static func parseArguments(_ text: String?) throws -> JSONValue {
        guard let text, !text.isEmpty else { return .array([]) }
        do { return try JSONValue.parse(text) } catch {
            throw FatError(.badArguments, "--args is not valid JSON: \(error)")
        }
    }

    /// The spec of message `name` (a constructor when `constructor`).
    public func spec(_ name: String, constructor: Bool) throws -> MessageSpec {
        let list = constructor ? metadata.constructors : metadata.messages
        if let spec = list.first(where: { $0.label == name }) { return spec }
        // ink! trait messages are labelled "Trait::name"; accept the bare name when unambiguous.
        let suffixed = list.filter { $0.label.hasSuffix("::" + name) }
        if suffixed.count == 1 { return suffixed[0] }
        let kind = constructor ? "constructor" : "message"
        throw FatError(.unknownMessage, "\(metadata.name) has no \(kind) `\(name)`; its \(kind)s: \(list.map(\.label).joined(separator: ", "))")
    }

    /// The constructor to use when none is named: the default one, else `new`, else the only one.
    public func defaultConstructor() throws -> MessageSpec? {
        let list = metadata.constructors
        if list.isEmpty { return nil }
        if let spec = list.first(where: \.isDefault) ?? list.first(where: { $0.label == "new" }) { return spec }
        if list.count == 1 { return list[0] }
        throw FatError(
            .badArguments, "\(metadata.name) has several constructors; choose one with --constructor: \(list.map(\.label).joined(separator: ", "))")
    }

    /// Selector followed by the SCALE-encoded arguments.
    public func input(for spec: MessageSpec, arguments: JSONValue) throws -> [UInt8] {
        do {
            return spec.selector + (try codec.encodeArguments(arguments, for: spec))
        } catch let error as FatError {
            throw error
        } catch {
            throw FatError(.badArguments, "\(error)")
        }
    }

    /// The decoded return value; falls back to hex when the bytes do not decode.
    public func output(_ bytes: [UInt8], for spec: MessageSpec?, outcome: Outcome) -> JSONValue {
        guard let spec else { return bytes.isEmpty ? .null : JSON.hex(bytes) }
        switch outcome {
        case .success:
            if spec.returnType == nil { return bytes.isEmpty ? .null : JSON.hex(bytes) }
            return (try? codec.decodeReturn(bytes, for: spec)) ?? JSON.hex(bytes)
        case .reverted, .failed:
            if bytes.isEmpty { return .null }
            if let returned = try? codec.decodeReturn(bytes, for: spec) { return returned }
            var decoder = ScaleDecoder(bytes)
            if let text = try? decoder.readString(), decoder.isAtEnd { return .string(text) }
            return JSON.hex(bytes)
        }
    }

    /// An event as JSON: decoded by the metadata when it can be, with its raw topics and data.
    public func event(_ event: ContractEvent, emitterMetadata: ContractMetadata?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("contract", .string(event.contract.hex))]
        if let emitterMetadata,
            let decoded = try? ValueCodec(registry: emitterMetadata.registry, resolveAccount: resolveAccount)
                .decodeEvent(data: event.data, topics: event.topics, metadata: emitterMetadata)
        {
            fields.append(("event", decoded))
        }
        fields.append(("topics", .array(event.topics.map(JSON.hex))))
        fields.append(("data", JSON.hex(event.data)))
        return .object(fields)
    }

    public func spec(selector: [UInt8]) -> MessageSpec? {
        (metadata.messages + metadata.constructors).first { $0.selector == selector }
    }
}

extension Outcome {
    /// The error to report for an outcome that is not success.
    public func error(output: JSONValue) -> FatError? {
        switch self {
        case .success: return nil
        case .reverted:
            let detail: String
            if case let .string(text) = output {
                detail = ": \(text)"
            } else if output == .null {
                detail = ""
            } else {
                detail = ": \(output.serialized())"
            }
            return FatError(.reverted, "the contract reverted\(detail)")
        case let .failed(error): return error
        }
    }
}
