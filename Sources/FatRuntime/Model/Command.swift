import FatCodec

/// A consensus-sensitive request: deploy a contract or call one. Commands are appended to the log,
/// totally ordered by sequence number, and applied one at a time, each atomically.
public struct Command: Sendable {
    public enum Action: Sendable, Equatable {
        /// Instantiate code `codeHash` by running the constructor in `input` (selector + SCALE
        /// args). The address derives from the deployer, the code hash, the input and `salt`.
        case deploy(codeHash: CodeHash, input: [UInt8], salt: [UInt8])
        /// Call a message of a deployed contract; `input` is selector + SCALE args.
        case call(contract: AccountId, input: [UInt8])
        /// Store code `codeHash` (carried in `code`) without instantiating it, so that contracts
        /// can instantiate it, delegate to it or switch to it by hash (pallet-contracts' upload_code).
        case upload(codeHash: CodeHash)
    }

    public var caller: AccountId
    public var action: Action
    public var value: UInt128
    public var gasLimit: UInt64
    /// Present when the command was signed by the caller's key; verified before it is logged.
    public var signature: Signature?
    /// The caller's nonce: when present it must exceed every nonce of the same caller already
    /// logged, so a captured command cannot be logged twice. Part of the signed bytes.
    public var nonce: UInt64?
    /// Milliseconds since the Unix epoch after which the host refuses the command (checked before
    /// it is logged, never on replay). Signed with the nonce; 0 means no expiry.
    public var expiresAtMs: UInt64
    /// For a deploy or an upload: the code, stored when the command succeeds. Not logged (the log
    /// refers to code by hash).
    public var code: CodeUpload?

    public init(caller: AccountId, action: Action, value: UInt128 = 0, gasLimit: UInt64 = Command.defaultGasLimit,
                signature: Signature? = nil, code: CodeUpload? = nil, nonce: UInt64? = nil, expiresAtMs: UInt64 = 0) {
        self.caller = caller
        self.nonce = nonce
        self.expiresAtMs = expiresAtMs
        self.action = action
        self.value = value
        self.gasLimit = gasLimit
        self.signature = signature
        self.code = code
    }

    public static let defaultGasLimit: UInt64 = 5_000_000_000

    /// The bytes a signature covers (`SigningPayload.command`): every field that affects
    /// execution, and for a command with a nonce, the nonce and the expiry.
    public var signingPayload: [UInt8] {
        SigningPayload.command(caller: caller.bytes, action: action.signed, value: value, gasLimit: gasLimit, nonce: nonce,
                               expiresAtMs: expiresAtMs)
    }
}

/// Code that accompanies a deploy: its kind, bytes and metadata document.
public struct CodeUpload: Sendable {
    public let kind: CodeKind
    public let bytes: [UInt8]
    public let metadata: [UInt8]

    public init(kind: CodeKind, bytes: [UInt8], metadata: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
        self.metadata = metadata
    }
}

/// The kind of code a contract runs.
public enum CodeKind: String, Sendable, Codable {
    case native
    case wasm
}

/// A signature by the caller's key over a command or query.
public struct Signature: Sendable, Equatable {
    public enum Scheme: UInt8, Sendable {
        case ed25519 = 0
        /// Schnorrkel over ristretto255 with the `substrate` signing context, as Substrate wallets sign.
        case sr25519 = 1

        public init?(name: String) {
            switch name {
            case "ed25519": self = .ed25519
            case "sr25519": self = .sr25519
            default: return nil
            }
        }

        public var name: String { self == .ed25519 ? "ed25519" : "sr25519" }
    }
    public let scheme: Scheme
    public let bytes: [UInt8]

    public init(scheme: Scheme, bytes: [UInt8]) {
        self.scheme = scheme
        self.bytes = bytes
    }
}

/// A command as the log holds it: the command plus the sequence number and timestamp the host
/// gave it when it was appended. Replaying the same entries gives the same state.
public struct LogEntry: Sendable {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let command: Command

    public init(seq: UInt64, timestampMs: UInt64, command: Command) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.command = command
    }

    /// Format 1, or format 2 when the command has a nonce: format 1 followed by the nonce and the
    /// expiry (both u64), which the signature covers. Both formats are read.
    public func encoded() -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(UInt8(command.nonce == nil ? 1 : 2))
        encoder.append(seq)
        encoder.append(timestampMs)
        encoder.appendBytes(command.caller.bytes)
        command.action.encode(into: &encoder)
        encoder.append(command.value)
        encoder.append(command.gasLimit)
        if let signature = command.signature {
            encoder.append(UInt8(1))
            encoder.append(signature.scheme.rawValue)
            encoder.appendByteVector(signature.bytes)
        } else {
            encoder.append(UInt8(0))
        }
        if let nonce = command.nonce {
            encoder.append(nonce)
            encoder.append(command.expiresAtMs)
        }
        return encoder.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> LogEntry {
        var decoder = ScaleDecoder(bytes)
        let format = try decoder.readU8()
        guard format == 1 || format == 2 else { throw FatError(.storeCorrupt, "log entry has an unknown format version \(format)") }
        let seq = try decoder.readU64()
        let timestamp = try decoder.readU64()
        let caller = AccountId(unchecked: try decoder.readBytes(count: 32))
        let action = try Command.Action.decode(from: &decoder)
        let value = try decoder.readU128()
        let gasLimit = try decoder.readU64()
        var signature: Signature?
        if try decoder.readU8() == 1 {
            guard let scheme = Signature.Scheme(rawValue: try decoder.readU8()) else {
                throw FatError(.storeCorrupt, "log entry #\(seq) has an unknown signature scheme")
            }
            signature = Signature(scheme: scheme, bytes: try decoder.readByteVector())
        }
        var nonce: UInt64?
        var expiresAtMs: UInt64 = 0
        if format == 2 {
            nonce = try decoder.readU64()
            expiresAtMs = try decoder.readU64()
        }
        return LogEntry(seq: seq, timestampMs: timestamp,
                        command: Command(caller: caller, action: action, value: value, gasLimit: gasLimit, signature: signature,
                                         nonce: nonce, expiresAtMs: expiresAtMs))
    }
}

extension Command.Action {
    /// The action as it is signed, which is also how the log encodes it.
    var signed: SigningPayload.Action {
        switch self {
        case let .deploy(codeHash, input, salt): .deploy(codeHash: codeHash, input: input, salt: salt)
        case let .call(contract, input): .call(contract: contract.bytes, input: input)
        case let .upload(codeHash): .upload(codeHash: codeHash)
        }
    }

    func encode(into encoder: inout ScaleEncoder) { signed.encode(into: &encoder) }

    static func decode(from decoder: inout ScaleDecoder) throws -> Command.Action {
        switch try decoder.readU8() {
        case 0:
            return .deploy(codeHash: try decoder.readBytes(count: 32), input: try decoder.readByteVector(), salt: try decoder.readByteVector())
        case 1:
            return .call(contract: AccountId(unchecked: try decoder.readBytes(count: 32)), input: try decoder.readByteVector())
        case 2:
            return .upload(codeHash: try decoder.readBytes(count: 32))
        case let tag:
            throw FatError(.storeCorrupt, "log entry has an unknown action \(tag)")
        }
    }
}
