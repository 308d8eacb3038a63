import ArgumentParser
import FatCodec
import FatRuntime

/// `fat inspect ADDRESS|ARTIFACT`: the messages, selectors, argument and return types.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a contract's or an artifact's messages and types.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A contract address, or an artifact path.") var target: String
    @Option(help: "Metadata .json for a .wasm or .wat artifact.") var metadata: String?

    func run() throws {
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let code: PreparedCode
            var address: AccountId?
            if let account = AccountId(hex: target) {
                address = account
                guard let state = session.host.snapshot.contracts[account] else {
                    throw FatError(.unknownContract, "no contract at \(account)")
                }
                code = try session.host.code(state.codeHash)
            } else {
                code = try session.host.prepare(Artifact.load(target, metadataPath: metadata).upload)
            }
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
                ("code_hash", JSON.hex(code.hash)), ("metadata_version", JSON.number(model.metadataVersion)),
                ("constructors", .array(model.constructors.map(describe))), ("messages", .array(model.messages.map(describe))),
                ("events", .array(model.events.map { event in
                    JSON.object([("name", .string(event.label)),
                                 ("args", .array(event.args.map { JSON.object([("name", .string($0.label)), ("type", .string(model.registry.typeName($0.type))), ("indexed", .bool($0.indexed))]) }))])
                })),
            ]
            var text = "\(model.name) \(model.version) (\(code.kind.rawValue), code 0x\(code.hash.hexString))\n"
            for spec in model.constructors + model.messages {
                let kind = model.constructors.contains { $0.label == spec.label } ? "constructor" : (spec.mutates ? "command" : "query")
                let args = spec.args.map { "\($0.label): \(model.registry.typeName($0.type))" }.joined(separator: ", ")
                let returns = spec.returnType.map { " -> " + model.registry.typeName($0) } ?? ""
                text += "  \(kind) \(spec.label)(\(args))\(returns)  [0x\(spec.selector.hexString)]\n"
            }
            return (.object(fields), String(text.dropLast()))
        }
    }
}
