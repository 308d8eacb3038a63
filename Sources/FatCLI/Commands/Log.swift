import ArgumentParser
import FatCodec
import FatRuntime

/// `fat log`: the command log, in order, each entry with its receipt.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the command log with receipts.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "First sequence number.") var from: UInt64 = 1
    @Option(help: "At most this many entries.") var limit: Int = 1000

    func run() throws {
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            var text: [String] = []
            let entries = try session.host.logEntries(from: from, limit: limit).map { entry, receipt -> JSONValue in
                let command = entry.command
                var fields: [(String, JSONValue)] = [
                    ("seq", JSON.number(entry.seq)), ("timestamp_ms", JSON.number(entry.timestampMs)),
                    ("caller", .string(command.caller.hex)), ("signed", .bool(command.signature != nil)),
                ]
                let contract: AccountId?
                let input: [UInt8]
                switch command.action {
                case let .deploy(codeHash, constructorInput, _):
                    fields.append(("action", .string("deploy")))
                    fields.append(("code_hash", JSON.hex(codeHash)))
                    contract = receipt?.contract
                    input = constructorInput
                case let .call(target, callInput):
                    fields.append(("action", .string("call")))
                    contract = target
                    input = callInput
                case let .upload(codeHash):
                    fields.append(("action", .string("upload")))
                    fields.append(("code_hash", JSON.hex(codeHash)))
                    contract = nil
                    input = []
                }
                if let contract { fields.append(("contract", .string(contract.hex))) }
                let metadata = contract.flatMap { try? session.host.metadata(of: $0) }
                let spec = metadata.flatMap { Messages(metadata: $0, resolveAccount: session.accountResolver).spec(selector: Array(input.prefix(4))) }
                fields.append(("message", spec.map { .string($0.label) } ?? .null))
                fields.append(("input", JSON.hex(input)))
                let name: String
                if case let .upload(codeHash) = command.action {
                    name = "(upload of code 0x\(codeHash.hexString.prefix(16))…)"
                } else {
                    name = spec?.label ?? (input.isEmpty ? "(deploy, no constructor)" : "0x" + Array(input.prefix(4)).hexString)
                }
                var summary = "#\(entry.seq) \(name)"
                if let receipt {
                    let messages = metadata.map { Messages(metadata: $0, resolveAccount: session.accountResolver) }
                    let output = messages?.output(receipt.output, for: spec, outcome: receipt.outcome) ?? JSON.hex(receipt.output)
                    var receiptFields: [(String, JSONValue)] = []
                    switch receipt.outcome {
                    case .success: receiptFields.append(("outcome", .string("success")))
                    case .reverted: receiptFields.append(("outcome", .string("reverted")))
                    case let .failed(error):
                        receiptFields.append(("outcome", .string("failed")))
                        receiptFields.append(("error", JSON.object([("code", .string(error.code.rawValue)), ("message", .string(error.message))])))
                    }
                    receiptFields += [
                        ("output", output),
                        ("events", .array(receipt.events.map { event in
                            messages?.event(event, emitterMetadata: try? session.host.metadata(of: event.contract))
                                ?? JSON.object([("contract", .string(event.contract.hex)), ("data", JSON.hex(event.data))])
                        })),
                        ("logs", .array(receipt.logs.map(JSONValue.string))), ("gas_used", JSON.number(receipt.gasUsed)),
                    ]
                    fields.append(("receipt", .object(receiptFields)))
                    summary += " → \(receiptFields[0].1.serialized()) \(output.serialized())"
                }
                text.append(summary)
                return .object(fields)
            }
            return (JSON.object([("ok", .bool(true)), ("entries", .array(entries))]), text.joined(separator: "\n"))
        }
    }
}
