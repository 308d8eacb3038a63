import FatCodec
import FatRuntime

/// Renders what the host answered as the JSON objects (and the text lines) that `fat --json`
/// prints. `fat` and `fat serve` both use it, so a command's output is the same whether it ran
/// on a local data directory or through a server.
public struct ResultRenderer: Sendable {
    public let host: FatHost
    public let resolveAccount: @Sendable (String) -> [UInt8]?

    public init(host: FatHost, resolveAccount: @escaping @Sendable (String) -> [UInt8]? = { AccountId(hex: $0)?.bytes }) {
        self.host = host
        self.resolveAccount = resolveAccount
    }

    public func messages(_ metadata: ContractMetadata) -> Messages { Messages(metadata: metadata, resolveAccount: resolveAccount) }

    /// The answer to a deploy; throws when the constructor did not succeed (the command is logged).
    public func deployed(_ receipt: Receipt, code: CodeDescription, input: [UInt8]) throws -> (json: JSONValue, text: String) {
        let messages = messages(code.metadata)
        let spec = input.count >= 4 ? code.metadata.constructors.first { $0.selector == Array(input.prefix(4)) } : nil
        let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
        if let error = receipt.outcome.error(output: output) {
            throw FatError(error.code, "deploy failed (logged as command #\(receipt.seq)): \(error.message)")
        }
        let json = JSON.object([
            ("ok", .bool(true)), ("address", .string(receipt.contract.hex)), ("code_hash", JSON.hex(code.codeHash)),
            ("metadata_hash", code.metadataHash.map(JSON.hex) ?? .null),
            ("kind", .string(code.kind.rawValue)), ("name", .string(code.metadata.name)),
            ("constructor", spec.map { .string($0.label) } ?? .null), ("seq", JSON.number(receipt.seq)),
            ("deployer", .string(receipt.caller.hex)),
            ("events", .array(receipt.events.map { messages.event($0, emitterMetadata: code.metadata) })),
            ("gas_used", JSON.number(receipt.gasUsed)),
        ])
        return (json, "deployed \(code.metadata.name) at \(receipt.contract.hex) (command #\(receipt.seq))")
    }

    /// The answer to an upload; throws when the code was refused (the command is logged).
    public func uploaded(_ receipt: Receipt, code: CodeDescription) throws -> (json: JSONValue, text: String) {
        if case let .failed(error) = receipt.outcome {
            throw FatError(error.code, "upload failed (logged as command #\(receipt.seq)): \(error.message)")
        }
        let json = JSON.object([
            ("ok", .bool(true)), ("code_hash", JSON.hex(code.codeHash)), ("metadata_hash", code.metadataHash.map(JSON.hex) ?? .null),
            ("kind", .string(code.kind.rawValue)), ("name", .string(code.metadata.name)), ("seq", JSON.number(receipt.seq)),
        ])
        return (json, "uploaded \(code.metadata.name) as code 0x\(code.codeHash.hexString) (command #\(receipt.seq))")
    }

    /// The answer to a call. When the contract reverted or failed, `error` is set and `json` is
    /// the error object (with the sequence number, output and log lines of the logged command).
    public func called(_ receipt: Receipt, input: [UInt8]) -> (json: JSONValue, text: String, error: FatError?) {
        let metadata = try? host.metadata(of: receipt.contract)
        let messages = metadata.map(messages) ?? Messages(metadata: ContractMetadata(name: "?", version: "?"), resolveAccount: resolveAccount)
        let spec = messages.spec(selector: Array(input.prefix(4)))
        let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
        let events = JSONValue.array(receipt.events.map { event in
            messages.event(event, emitterMetadata: try? host.metadata(of: event.contract))
        })
        if let error = receipt.outcome.error(output: output) {
            var fields = JSON.error(FatError(error.code, "\(error.message) (logged as command #\(receipt.seq); its writes were rolled back)"))
            if case var .object(list) = fields {
                list.append(("seq", JSON.number(receipt.seq)))
                list.append(("output", output))
                list.append(("logs", .array(receipt.logs.map(JSONValue.string))))
                fields = .object(list)
            }
            return (fields, "error [\(error.code)]: \(error.message) (command #\(receipt.seq))", error)
        }
        let json = JSON.object([
            ("ok", .bool(true)), ("seq", JSON.number(receipt.seq)), ("output", output), ("events", events),
            ("logs", .array(receipt.logs.map(JSONValue.string))), ("gas_used", JSON.number(receipt.gasUsed)),
        ])
        return (json, "command #\(receipt.seq): \(output.serialized())", nil)
    }

    /// The answer to a query; throws when the contract reverted or failed.
    public func queried(_ result: QueryResult, contract: AccountId, input: [UInt8]) throws -> (json: JSONValue, text: String) {
        let messages = messages(try host.metadata(of: contract))
        let output = messages.output(result.output, for: messages.spec(selector: Array(input.prefix(4))), outcome: result.outcome)
        if let error = result.outcome.error(output: output) { throw error }
        let json = JSON.object([
            ("ok", .bool(true)), ("output", output), ("logs", .array(result.logs.map(JSONValue.string))),
            ("gas_used", JSON.number(result.gasUsed)),
        ])
        return (json, output.serialized())
    }

    /// The messages, selectors, argument and return types of a contract or of prepared code.
    public func inspect(_ code: CodeDescription, address: AccountId?) -> (json: JSONValue, text: String) {
        Self.inspect(code, address: address)
    }

    /// The same, without a host (for code that is described without being deployed).
    public static func inspect(_ code: CodeDescription, address: AccountId?) -> (json: JSONValue, text: String) {
        let model = code.metadata
        func describe(_ spec: MessageSpec) -> JSONValue {
            JSON.object([
                ("name", .string(spec.label)), ("selector", JSON.hex(spec.selector)),
                ("args", .array(spec.args.map { JSON.object([("name", .string($0.label)), ("type", .string(model.registry.typeName($0.type)))]) })),
                ("returns", spec.returnType.map { .string(model.registry.typeName($0)) } ?? .null),
                ("mutates", .bool(spec.mutates)), ("payable", .bool(spec.payable)),
            ])
        }
        var fields: [(String, JSONValue)] = [("ok", .bool(true))]
        if let address { fields.append(("address", .string(address.hex))) }
        fields += [
            ("name", .string(model.name)), ("version", .string(model.version)), ("kind", .string(code.kind.rawValue)),
            ("code_hash", JSON.hex(code.codeHash)), ("metadata_hash", code.metadataHash.map(JSON.hex) ?? .null),
            ("metadata_version", JSON.number(model.metadataVersion)),
            ("constructors", .array(model.constructors.map(describe))), ("messages", .array(model.messages.map(describe))),
            ("events", .array(model.events.map { event in
                JSON.object([("name", .string(event.label)),
                             ("args", .array(event.args.map { JSON.object([("name", .string($0.label)), ("type", .string(model.registry.typeName($0.type))), ("indexed", .bool($0.indexed))]) }))])
            })),
        ]
        var text = "\(model.name) \(model.version) (\(code.kind.rawValue), code 0x\(code.codeHash.hexString))\n"
        for spec in model.constructors + model.messages {
            let kind = model.constructors.contains { $0.label == spec.label } ? "constructor" : (spec.mutates ? "command" : "query")
            let args = spec.args.map { "\($0.label): \(model.registry.typeName($0.type))" }.joined(separator: ", ")
            let returns = spec.returnType.map { " -> " + model.registry.typeName($0) } ?? ""
            text += "  \(kind) \(spec.label)(\(args))\(returns)  [0x\(spec.selector.hexString)]\n"
        }
        return (.object(fields), String(text.dropLast()))
    }

    /// The command log from `from`, each entry with its receipt, as `reader` may see it (nil: an
    /// anonymous reader; the host's authority decides, see `Authority.disclosure`).
    public func log(from: UInt64, limit: Int, reader: AccountId?) throws -> (json: JSONValue, text: String) {
        var text: [String] = []
        let entries = try host.logEntries(from: from, limit: limit).map { entry, receipt -> JSONValue in
            let (json, line) = switch host.authority.disclosure(of: entry, to: reader) {
            case .full: logEntry(entry, receipt: receipt)
            case .order: orderEntry(entry, receipt: receipt)
            }
            text.append(line)
            return json
        }
        return (JSON.object([("ok", .bool(true)), ("entries", .array(entries))]), text.joined(separator: "\n"))
    }

    /// What anyone may see of a logged command: its place in the order, its time, what kind of
    /// action it was, on which contract or code, how it ended, and the events it published.
    func orderEntry(_ entry: LogEntry, receipt: Receipt?) -> (JSONValue, String) {
        let command = entry.command
        var fields: [(String, JSONValue)] = [("seq", JSON.number(entry.seq)), ("timestamp_ms", JSON.number(entry.timestampMs))]
        let action: String
        switch command.action {
        case .deploy: action = "deploy"
        case .call: action = "call"
        case .upload: action = "upload"
        }
        fields.append(("action", .string(action)))
        if let codeHash = command.action.codeHash { fields.append(("code_hash", JSON.hex(codeHash))) }
        if case let .call(contract, _) = command.action {
            fields.append(("contract", .string(contract.hex)))
        } else if case .deploy = command.action, let receipt, receipt.outcome.isSuccess {
            // A failed deploy's address is a hash of its hidden input: not shown.
            fields.append(("contract", .string(receipt.contract.hex)))
        }
        var summary = "#\(entry.seq) \(action)"
        if let receipt {
            let outcome: String = switch receipt.outcome {
            case .success: "success"
            case .reverted: "reverted"
            case .failed: "failed"
            }
            let metadata = try? host.metadata(of: receipt.contract)
            fields.append(("receipt", JSON.object([("outcome", .string(outcome)), ("events", events(receipt, metadata.map(messages)))])))
            summary += " → \"\(outcome)\""
        }
        fields.append(("disclosed", .string("order")))
        return (.object(fields), summary)
    }

    func logEntry(_ entry: LogEntry, receipt: Receipt?) -> (JSONValue, String) {
        let command = entry.command
        var fields: [(String, JSONValue)] = [
            ("seq", JSON.number(entry.seq)), ("timestamp_ms", JSON.number(entry.timestampMs)),
            ("caller", .string(command.caller.hex)), ("signed", .bool(command.signature != nil)),
        ]
        let contract: AccountId?
        let input: [UInt8]
        switch command.action {
        case let .deploy(codeHash, _, constructorInput, _):
            fields.append(("action", .string("deploy")))
            fields.append(("code_hash", JSON.hex(codeHash)))
            contract = receipt?.contract
            input = constructorInput
        case let .call(target, callInput):
            fields.append(("action", .string("call")))
            contract = target
            input = callInput
        case let .upload(codeHash, _):
            fields.append(("action", .string("upload")))
            fields.append(("code_hash", JSON.hex(codeHash)))
            contract = nil
            input = []
        }
        if let contract { fields.append(("contract", .string(contract.hex))) }
        let metadata = contract.flatMap { try? host.metadata(of: $0) }
        let spec = metadata.flatMap { messages($0).spec(selector: Array(input.prefix(4))) }
        fields.append(("message", spec.map { .string($0.label) } ?? .null))
        fields.append(("input", JSON.hex(input)))
        let name: String
        if case let .upload(codeHash, _) = command.action {
            name = "(upload of code 0x\(codeHash.hexString.prefix(16))…)"
        } else {
            name = spec?.label ?? (input.isEmpty ? "(deploy, no constructor)" : "0x" + Array(input.prefix(4)).hexString)
        }
        fields.append(("disclosed", .string("full")))
        var summary = "#\(entry.seq) \(name)"
        if let receipt {
            let receiptFields = self.receipt(receipt, metadata: metadata, spec: spec)
            fields.append(("receipt", .object(receiptFields)))
            summary += " → \(receiptFields[0].1.serialized()) \((receiptFields.first { $0.0 == "output" }?.1 ?? .null).serialized())"
        }
        return (.object(fields), summary)
    }

    /// A receipt's outcome, output, events, log lines and gas, decoded where metadata allows.
    public func receipt(_ receipt: Receipt, metadata: ContractMetadata?, spec: MessageSpec?) -> [(String, JSONValue)] {
        let messages = metadata.map(messages)
        let output = messages?.output(receipt.output, for: spec, outcome: receipt.outcome) ?? JSON.hex(receipt.output)
        var fields: [(String, JSONValue)] = []
        switch receipt.outcome {
        case .success: fields.append(("outcome", .string("success")))
        case .reverted: fields.append(("outcome", .string("reverted")))
        case let .failed(error):
            fields.append(("outcome", .string("failed")))
            fields.append(("error", JSON.object([("code", .string(error.code.rawValue)), ("message", .string(error.message))])))
        }
        fields += [
            ("output", output),
            ("events", events(receipt, messages)),
            ("logs", .array(receipt.logs.map(JSONValue.string))), ("gas_used", JSON.number(receipt.gasUsed)),
        ]
        return fields
    }

    /// One command's events, as `GET /v1/events` sends them and `fat events` prints them.
    public func eventRecord(_ receipt: Receipt) -> JSONValue {
        let metadata = try? host.metadata(of: receipt.contract)
        let messages = metadata.map(messages)
        return JSON.object([
            ("seq", JSON.number(receipt.seq)), ("timestamp_ms", JSON.number(receipt.timestampMs)),
            ("contract", .string(receipt.contract.hex)),
            ("events", events(receipt, messages)),
        ])
    }

    /// A receipt's events, decoded by their emitters' metadata where `messages` is known, else
    /// the contract and the raw data.
    private func events(_ receipt: Receipt, _ messages: Messages?) -> JSONValue {
        .array(receipt.events.map { event in
            messages?.event(event, emitterMetadata: try? host.metadata(of: event.contract))
                ?? JSON.object([("contract", .string(event.contract.hex)), ("data", JSON.hex(event.data))])
        })
    }
}
