import FatCodec
import FatCrypto

/// A page of the command log (`GET /v1/log`, `fat log`), each entry as much as its reader may
/// see of it.
public struct LogPage: Answer {
    public var ok = true
    public let entries: [LogEntryView]

    public init(entries: [LogEntryView]) { self.entries = entries }

    public var text: String { entries.map(\.text).joined(separator: "\n") }
}

/// One logged command: in full (to its signer and the operator), or only its place in the order.
public enum LogEntryView: Codable, Sendable {
    case full(FullLogEntry)
    case order(OrderedLogEntry)

    enum Key: String, CodingKey { case disclosed }

    public init(from decoder: Decoder) throws {
        let disclosed = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .disclosed)
        switch disclosed {
        case "full": self = .full(try FullLogEntry(from: decoder))
        case "order": self = .order(try OrderedLogEntry(from: decoder))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown disclosure `\(disclosed)`"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .full(entry): try entry.encode(to: encoder)
        case let .order(entry): try entry.encode(to: encoder)
        }
    }

    public var seq: UInt64 {
        switch self {
        case let .full(entry): entry.seq
        case let .order(entry): entry.seq
        }
    }

    public var text: String {
        switch self {
        case let .full(entry): entry.text
        case let .order(entry): entry.text
        }
    }
}

/// A logged command as its signer and the operator see it.
public struct FullLogEntry: Codable, Sendable {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let caller: Hex
    public let signed: Bool
    /// `deploy`, `call` or `upload`.
    public let action: String
    public let codeHash: Hex?
    public let contract: Hex?
    /// The message called (or constructor run), when the metadata names it.
    @ExplicitNull public var message: String?
    public let input: Hex
    public var disclosed = "full"
    public let receipt: ReceiptView?

    enum CodingKeys: String, CodingKey {
        case seq
        case timestampMs = "timestamp_ms"
        case caller, signed, action
        case codeHash = "code_hash"
        case contract, message, input, disclosed, receipt
    }

    public init(
        seq: UInt64, timestampMs: UInt64, caller: Hex, signed: Bool, action: String, codeHash: Hex?, contract: Hex?, message: String?,
        input: Hex, receipt: ReceiptView?
    ) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.caller = caller
        self.signed = signed
        self.action = action
        self.codeHash = codeHash
        self.contract = contract
        self.message = message
        self.input = input
        self.receipt = receipt
    }

    /// `#SEQ NAME → "OUTCOME" OUTPUT`, NAME being the message, else what the command was.
    public var text: String {
        let name: String
        if action == "upload", let codeHash {
            name = "(upload of code 0x\(codeHash.bytes.hexString.prefix(16))…)"
        } else {
            name = message ?? (input.bytes.isEmpty ? "(deploy, no constructor)" : "0x" + Array(input.bytes.prefix(4)).hexString)
        }
        guard let receipt else { return "#\(seq) \(name)" }
        return "#\(seq) \(name) → \(JSONValue.string(receipt.outcome).serialized()) \(receipt.output.serialized())"
    }
}

/// What anyone may see of a logged command: its place in the order, its time, the kind of
/// action, on which contract or code, how it ended, and the events it published.
public struct OrderedLogEntry: Codable, Sendable {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let action: String
    public let codeHash: Hex?
    public let contract: Hex?
    public let receipt: OrderedReceipt?
    public var disclosed = "order"

    enum CodingKeys: String, CodingKey {
        case seq
        case timestampMs = "timestamp_ms"
        case action
        case codeHash = "code_hash"
        case contract, receipt, disclosed
    }

    public init(seq: UInt64, timestampMs: UInt64, action: String, codeHash: Hex?, contract: Hex?, receipt: OrderedReceipt?) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.action = action
        self.codeHash = codeHash
        self.contract = contract
        self.receipt = receipt
    }

    public var text: String {
        "#\(seq) \(action)" + (receipt.map { " → \(JSONValue.string($0.outcome).serialized())" } ?? "")
    }
}

/// A receipt in full: how the command ended, its decoded output, events, log lines and gas.
public struct ReceiptView: Codable, Sendable {
    /// `success`, `reverted` or `failed`.
    public let outcome: String
    /// Why it failed (only when it did).
    public let error: ErrorBody?
    public let output: JSONValue
    public let events: [JSONValue]
    public let logs: [String]
    public let gasUsed: UInt64

    enum CodingKeys: String, CodingKey {
        case outcome, error, output, events, logs
        case gasUsed = "gas_used"
    }

    public init(outcome: String, error: ErrorBody?, output: JSONValue, events: [JSONValue], logs: [String], gasUsed: UInt64) {
        self.outcome = outcome
        self.error = error
        self.output = output
        self.events = events
        self.logs = logs
        self.gasUsed = gasUsed
    }
}

/// A receipt as anyone may see it: how the command ended and the events it published.
public struct OrderedReceipt: Codable, Sendable {
    public let outcome: String
    public let events: [JSONValue]

    public init(outcome: String, events: [JSONValue]) {
        self.outcome = outcome
        self.events = events
    }
}

/// One command's events (`GET /v1/events` sends one per Server-Sent Event; `fat events`).
public struct EventRecord: Answer {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let contract: Hex
    public let events: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case seq
        case timestampMs = "timestamp_ms"
        case contract, events
    }

    public init(seq: UInt64, timestampMs: UInt64, contract: Hex, events: [JSONValue]) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.contract = contract
        self.events = events
    }

    public var text: String { "#\(seq) \(JSONValue.array(events).serialized())" }
}

/// The events of the commands from a sequence number (`fat events`).
public struct EventRecords: Answer {
    public var ok = true
    public let records: [EventRecord]

    public init(records: [EventRecord]) { self.records = records }

    public var text: String { records.map(\.text).joined(separator: "\n") }
}

/// The end of `fat events --follow`: how many commands' events were printed as they came.
public struct FollowedEvents: Answer {
    public var ok = true
    public let followed: Int

    public init(followed: Int) { self.followed = followed }

    public var text: String { "(\(followed) commands with events)" }
}
