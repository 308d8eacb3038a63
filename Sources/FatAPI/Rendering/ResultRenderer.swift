import FatCodec
import FatRuntime
import FatWire

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

    /// The answer to a logged command, by its action: deployed, uploaded or called, or (when it
    /// did not succeed) failed with the sequence number it was logged at.
    public func answer(_ receipt: Receipt, to action: Command.Action) -> CommandAnswer {
        func failed(_ error: Error) -> CommandAnswer {
            let error = FatError(wrapping: error)
            return .failed(FailedCommandAnswer(error: ErrorBody(code: error.code.rawValue, message: error.message), seq: receipt.seq))
        }
        switch action {
        case let .deploy(codeHash, metadataHash, input, _):
            do {
                return .deployed(try deployed(receipt, code: try host.describe(codeHash: codeHash, metadataHash: metadataHash), input: input))
            } catch {
                return failed(error)
            }
        case let .call(_, input):
            return called(receipt, input: input)
        case let .upload(codeHash, metadataHash):
            do { return .uploaded(try uploaded(receipt, code: try host.describe(codeHash: codeHash, metadataHash: metadataHash))) } catch {
                return failed(error)
            }
        }
    }

    /// The answer to a deploy; throws when the constructor did not succeed (the command is logged).
    public func deployed(_ receipt: Receipt, code: CodeDescription, input: [UInt8]) throws -> DeployAnswer {
        let messages = messages(code.metadata)
        let spec = input.count >= 4 ? code.metadata.constructors.first { $0.selector == Array(input.prefix(4)) } : nil
        let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
        if let error = receipt.outcome.error(output: output) {
            throw FatError(error.code, "deploy failed (logged as command #\(receipt.seq)): \(error.message)")
        }
        return DeployAnswer(
            address: Hex(receipt.contract.bytes), codeHash: Hex(code.codeHash), metadataHash: code.metadataHash.map(Hex.init),
            kind: code.kind.rawValue, name: code.metadata.name, constructor: spec?.label, seq: receipt.seq,
            deployer: Hex(receipt.caller.bytes),
            events: receipt.events.map { messages.event($0, emitterMetadata: code.metadata) }, gasUsed: receipt.gasUsed)
    }

    /// The answer to an upload; throws when the code was refused (the command is logged).
    public func uploaded(_ receipt: Receipt, code: CodeDescription) throws -> UploadAnswer {
        if case let .failed(error) = receipt.outcome {
            throw FatError(error.code, "upload failed (logged as command #\(receipt.seq)): \(error.message)")
        }
        return UploadAnswer(
            codeHash: Hex(code.codeHash), metadataHash: code.metadataHash.map(Hex.init), kind: code.kind.rawValue,
            name: code.metadata.name, seq: receipt.seq)
    }

    /// The answer to a call: applied, or (when the contract reverted or failed) logged with its
    /// writes rolled back, with the sequence number, output and log lines.
    public func called(_ receipt: Receipt, input: [UInt8]) -> CommandAnswer {
        let metadata = try? host.metadata(of: receipt.contract)
        let messages = metadata.map(messages) ?? Messages(metadata: ContractMetadata(name: "?", version: "?"), resolveAccount: resolveAccount)
        let spec = messages.spec(selector: Array(input.prefix(4)))
        let output = messages.output(receipt.output, for: spec, outcome: receipt.outcome)
        if let error = receipt.outcome.error(output: output) {
            let body = ErrorBody(
                code: error.code.rawValue,
                message: "\(error.message) (logged as command #\(receipt.seq); its writes were rolled back)")
            return .failed(FailedCommandAnswer(error: body, seq: receipt.seq, output: output, logs: receipt.logs))
        }
        let events = receipt.events.map { event in messages.event(event, emitterMetadata: try? host.metadata(of: event.contract)) }
        return .called(CallAnswer(seq: receipt.seq, output: output, events: events, logs: receipt.logs, gasUsed: receipt.gasUsed))
    }

    /// The answer to a query; throws when the contract reverted or failed.
    public func queried(_ result: QueryResult, contract: AccountId, input: [UInt8]) throws -> QueryAnswer {
        let messages = messages(try host.metadata(of: contract))
        let output = messages.output(result.output, for: messages.spec(selector: Array(input.prefix(4))), outcome: result.outcome)
        if let error = result.outcome.error(output: output) { throw error }
        return QueryAnswer(output: output, logs: result.logs, gasUsed: result.gasUsed)
    }

    /// The messages, selectors, argument and return types of a contract or of prepared code.
    public func inspect(_ code: CodeDescription, address: AccountId?) -> ContractDescription {
        Self.inspect(code, address: address)
    }

    /// The same, without a host (for code that is described without being deployed).
    public static func inspect(_ code: CodeDescription, address: AccountId?) -> ContractDescription {
        let model = code.metadata
        func describe(_ spec: MessageSpec) -> ContractDescription.Message {
            ContractDescription.Message(
                name: spec.label, selector: Hex(spec.selector),
                args: spec.args.map { ContractDescription.Parameter(name: $0.label, type: model.registry.typeName($0.type)) },
                returns: spec.returnType.map { model.registry.typeName($0) }, mutates: spec.mutates, payable: spec.payable)
        }
        let events = model.events.map { event in
            ContractDescription.Event(
                name: event.label,
                args: event.args.map {
                    ContractDescription.Event.Field(name: $0.label, type: model.registry.typeName($0.type), indexed: $0.indexed)
                })
        }
        return ContractDescription(
            address: address.map { Hex($0.bytes) }, name: model.name, version: model.version, kind: code.kind.rawValue,
            codeHash: Hex(code.codeHash), metadataHash: code.metadataHash.map(Hex.init),
            metadataVersion: model.metadataVersion, constructors: model.constructors.map(describe),
            messages: model.messages.map(describe), events: events)
    }

    /// The command log from `from`, each entry with its receipt, as `reader` may see it (nil: an
    /// anonymous reader; the host's authority decides, see `Authority.disclosure`).
    public func log(from: UInt64, limit: Int, reader: AccountId?) throws -> LogPage {
        LogPage(
            entries: try host.logEntries(from: from, limit: limit).map { entry, receipt in
                switch host.authority.disclosure(of: entry, to: reader) {
                case .full: .full(logEntry(entry, receipt: receipt))
                case .order: .order(orderEntry(entry, receipt: receipt))
                }
            })
    }

    /// What anyone may see of a logged command: its place in the order, its time, what kind of
    /// action it was, on which contract or code, how it ended, and the events it published.
    func orderEntry(_ entry: LogEntry, receipt: Receipt?) -> OrderedLogEntry {
        let command = entry.command
        var contract: AccountId?
        if case let .call(target, _) = command.action {
            contract = target
        } else if case .deploy = command.action, let receipt, receipt.outcome.isSuccess {
            // A failed deploy's address is a hash of its hidden input: not shown.
            contract = receipt.contract
        }
        let summary = receipt.map { receipt in
            OrderedReceipt(outcome: Self.outcome(receipt.outcome), events: events(receipt, (try? host.metadata(of: receipt.contract)).map(messages)))
        }
        return OrderedLogEntry(
            seq: entry.seq, timestampMs: entry.timestampMs, action: command.action.name,
            codeHash: command.action.codeHash.map(Hex.init), contract: contract.map { Hex($0.bytes) }, receipt: summary)
    }

    func logEntry(_ entry: LogEntry, receipt: Receipt?) -> FullLogEntry {
        let command = entry.command
        let contract: AccountId?
        let input: [UInt8]
        switch command.action {
        case let .deploy(_, _, constructorInput, _):
            contract = receipt?.contract
            input = constructorInput
        case let .call(target, callInput):
            contract = target
            input = callInput
        case .upload:
            contract = nil
            input = []
        }
        let metadata = contract.flatMap { try? host.metadata(of: $0) }
        let spec = metadata.flatMap { messages($0).spec(selector: Array(input.prefix(4))) }
        return FullLogEntry(
            seq: entry.seq, timestampMs: entry.timestampMs, caller: Hex(command.caller.bytes), signed: command.signature != nil,
            action: command.action.name, codeHash: command.action.codeHash.map(Hex.init), contract: contract.map { Hex($0.bytes) },
            message: spec?.label, input: Hex(input), receipt: receipt.map { self.receipt($0, metadata: metadata, spec: spec) })
    }

    /// A receipt's outcome, output, events, log lines and gas, decoded where metadata allows.
    public func receipt(_ receipt: Receipt, metadata: ContractMetadata?, spec: MessageSpec?) -> ReceiptView {
        let messages = metadata.map(messages)
        let output = messages?.output(receipt.output, for: spec, outcome: receipt.outcome) ?? JSON.hex(receipt.output)
        var error: ErrorBody?
        if case let .failed(failure) = receipt.outcome { error = ErrorBody(code: failure.code.rawValue, message: failure.message) }
        return ReceiptView(
            outcome: Self.outcome(receipt.outcome), error: error, output: output, events: events(receipt, messages),
            logs: receipt.logs, gasUsed: receipt.gasUsed)
    }

    static func outcome(_ outcome: Outcome) -> String {
        switch outcome {
        case .success: "success"
        case .reverted: "reverted"
        case .failed: "failed"
        }
    }

    /// One command's events, as `GET /v1/events` sends them and `fat events` prints them.
    public func eventRecord(_ receipt: Receipt) -> EventRecord {
        let messages = (try? host.metadata(of: receipt.contract)).map(messages)
        return EventRecord(
            seq: receipt.seq, timestampMs: receipt.timestampMs, contract: Hex(receipt.contract.bytes),
            events: events(receipt, messages))
    }

    /// A receipt's events, decoded by their emitters' metadata where `messages` is known, else
    /// the contract and the raw data.
    private func events(_ receipt: Receipt, _ messages: Messages?) -> [JSONValue] {
        receipt.events.map { event in
            messages?.event(event, emitterMetadata: try? host.metadata(of: event.contract))
                ?? JSON.object([("contract", .string(event.contract.hex)), ("data", JSON.hex(event.data))])
        }
    }
}
