import FatCodec

/// An error as the API answers it: `{"code": "...", "message": "..."}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// A refusal: `{"ok": false, "error": {...}}`.
public struct ErrorAnswer: Answer {
    public var ok = false
    public let error: ErrorBody

    public init(code: String, message: String) { error = ErrorBody(code: code, message: message) }

    public var text: String { "error [\(error.code)]: \(error.message)" }

    /// Built by hand: what `json` answers if encoding itself failed.
    var fallbackJSON: JSONValue {
        .object([("ok", .bool(false)), ("error", .object([("code", .string(error.code)), ("message", .string(error.message))]))])
    }
}

/// A deploy that ran its constructor to success (`POST /v1/commands`, `fat deploy`).
public struct DeployAnswer: Answer {
    public var ok = true
    public let address: Hex
    public let codeHash: Hex
    @ExplicitNull public var metadataHash: Hex?
    public let kind: String
    public let name: String
    @ExplicitNull public var constructor: String?
    public let seq: UInt64
    public let deployer: Hex
    public let events: [JSONValue]
    public let gasUsed: UInt64

    enum CodingKeys: String, CodingKey {
        case ok, address
        case codeHash = "code_hash"
        case metadataHash = "metadata_hash"
        case kind, name, constructor, seq, deployer, events
        case gasUsed = "gas_used"
    }

    public init(
        address: Hex, codeHash: Hex, metadataHash: Hex?, kind: String, name: String, constructor: String?, seq: UInt64,
        deployer: Hex, events: [JSONValue], gasUsed: UInt64
    ) {
        self.address = address
        self.codeHash = codeHash
        self.metadataHash = metadataHash
        self.kind = kind
        self.name = name
        self.constructor = constructor
        self.seq = seq
        self.deployer = deployer
        self.events = events
        self.gasUsed = gasUsed
    }

    public var text: String { "deployed \(name) at \(address) (command #\(seq))" }
}

/// Code stored by an upload command (`fat upload`).
public struct UploadAnswer: Answer {
    public var ok = true
    public let codeHash: Hex
    @ExplicitNull public var metadataHash: Hex?
    public let kind: String
    public let name: String
    public let seq: UInt64

    enum CodingKeys: String, CodingKey {
        case ok
        case codeHash = "code_hash"
        case metadataHash = "metadata_hash"
        case kind, name, seq
    }

    public init(codeHash: Hex, metadataHash: Hex?, kind: String, name: String, seq: UInt64) {
        self.codeHash = codeHash
        self.metadataHash = metadataHash
        self.kind = kind
        self.name = name
        self.seq = seq
    }

    public var text: String { "uploaded \(name) as code \(codeHash) (command #\(seq))" }
}

/// A call logged and applied: its output decoded by the message's return type.
public struct CallAnswer: Answer {
    public var ok = true
    public let seq: UInt64
    public let output: JSONValue
    public let events: [JSONValue]
    public let logs: [String]
    public let gasUsed: UInt64

    enum CodingKeys: String, CodingKey {
        case ok, seq, output, events, logs
        case gasUsed = "gas_used"
    }

    public init(seq: UInt64, output: JSONValue, events: [JSONValue], logs: [String], gasUsed: UInt64) {
        self.seq = seq
        self.output = output
        self.events = events
        self.logs = logs
        self.gasUsed = gasUsed
    }

    public var text: String { "command #\(seq): \(output.serialized())" }
}

/// A command that was logged but did not succeed: a call the contract reverted or failed (its
/// writes were rolled back; its output and log lines come with it), or a deploy or upload that
/// failed.
public struct FailedCommandAnswer: Answer {
    public var ok = false
    public let error: ErrorBody
    public let seq: UInt64
    public let output: JSONValue?
    public let logs: [String]?

    public init(error: ErrorBody, seq: UInt64, output: JSONValue? = nil, logs: [String]? = nil) {
        self.error = error
        self.seq = seq
        self.output = output
        self.logs = logs
    }

    public var text: String { "error [\(error.code)]: \(error.message)" }
}

/// What `POST /v1/commands` answers, by the command's action and how it ended.
public enum CommandAnswer: Answer {
    case deployed(DeployAnswer)
    case uploaded(UploadAnswer)
    case called(CallAnswer)
    case failed(FailedCommandAnswer)

    enum Key: String, CodingKey {
        case ok, address
        case codeHash = "code_hash"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if try !container.decode(Bool.self, forKey: .ok) {
            self = .failed(try FailedCommandAnswer(from: decoder))
        } else if container.contains(.address) {
            self = .deployed(try DeployAnswer(from: decoder))
        } else if container.contains(.codeHash) {
            self = .uploaded(try UploadAnswer(from: decoder))
        } else {
            self = .called(try CallAnswer(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .deployed(answer): try answer.encode(to: encoder)
        case let .uploaded(answer): try answer.encode(to: encoder)
        case let .called(answer): try answer.encode(to: encoder)
        case let .failed(answer): try answer.encode(to: encoder)
        }
    }

    public var text: String {
        switch self {
        case let .deployed(answer): answer.text
        case let .uploaded(answer): answer.text
        case let .called(answer): answer.text
        case let .failed(answer): answer.text
        }
    }

    /// The sequence number the command was logged at.
    public var seq: UInt64 {
        switch self {
        case let .deployed(answer): answer.seq
        case let .uploaded(answer): answer.seq
        case let .called(answer): answer.seq
        case let .failed(answer): answer.seq
        }
    }

    /// The refusal, when the command did not succeed.
    public var failure: FailedCommandAnswer? {
        if case let .failed(answer) = self { return answer }
        return nil
    }
}

/// A query's answer: its output decoded by the message's return type, and its log lines.
public struct QueryAnswer: Answer {
    public var ok = true
    public let output: JSONValue
    public let logs: [String]
    public let gasUsed: UInt64

    enum CodingKeys: String, CodingKey {
        case ok, output, logs
        case gasUsed = "gas_used"
    }

    public init(output: JSONValue, logs: [String], gasUsed: UInt64) {
        self.output = output
        self.logs = logs
        self.gasUsed = gasUsed
    }

    public var text: String { output.serialized() }
}

/// A message and its arguments encoded as a call's input (`POST /v1/contracts/{address}/encode`).
public struct EncodedMessage: Answer {
    public var ok = true
    public let message: String
    public let selector: Hex
    public let input: Hex
    public let mutates: Bool

    public init(message: String, selector: Hex, input: Hex, mutates: Bool) {
        self.message = message
        self.selector = selector
        self.input = input
        self.mutates = mutates
    }

    public var text: String { "\(message): \(input)" }
}

/// The last nonce logged for an account (`GET /v1/accounts/{account}/nonce`).
public struct NonceAnswer: Answer {
    public var ok = true
    public let account: Hex
    public let nonce: UInt64

    public init(account: Hex, nonce: UInt64) {
        self.account = account
        self.nonce = nonce
    }

    public var text: String { "\(account): \(nonce)" }
}
