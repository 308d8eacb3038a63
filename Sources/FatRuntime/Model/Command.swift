import FatCodec
import FatCrypto

/// A consensus-sensitive request: deploy a contract, call one, or store code. Commands are appended
/// to the log, totally ordered by sequence number, and applied one at a time, each atomically.
public struct Command: Sendable {
    public enum Action: Sendable, Equatable {
        /// Instantiate code `codeHash` by running the constructor in `input` (selector + SCALE
        /// args). The address derives from the deployer, the code hash, the input and `salt`.
        /// The contract is described by the metadata document `metadataHash` (nil: the one the
        /// code's first upload carried).
        case deploy(codeHash: CodeHash, metadataHash: MetadataHash?, input: [UInt8], salt: [UInt8])
        /// Call a message of a deployed contract; `input` is selector + SCALE args.
        case call(contract: AccountId, input: [UInt8])
        /// Store code `codeHash` (carried in `code`) without instantiating it, so that contracts
        /// can instantiate it, delegate to it or switch to it by hash (pallet-contracts' upload_code).
        case upload(codeHash: CodeHash, metadataHash: MetadataHash?)

        /// `deploy`, `call` or `upload`, as the log shows it.
        public var name: String {
            switch self {
            case .deploy: "deploy"
            case .call: "call"
            case .upload: "upload"
            }
        }
    }

    public var caller: AccountId
    public var action: Action
    public var value: UInt128
    public var gasLimit: UInt64
    /// Present when the command was signed by the caller's key; verified before it is logged.
    public var signature: Signature?
    /// The caller's nonce: it must exceed every nonce of the same caller already logged, so a
    /// captured command cannot be logged twice. Part of the signed bytes; a signed command has one.
    public var nonce: UInt64?
    /// Milliseconds since the Unix epoch after which the host refuses the command (checked before
    /// it is logged, never on replay). Signed with the nonce; a signed command must name a time
    /// still to come (0 is long past, never "no expiry").
    public var expiresAtMs: UInt64
    /// For a deploy or an upload: the code and the metadata document the command brings. They
    /// are logged with it, so the log alone rebuilds every code a command used.
    public var code: CodeUpload?

    public init(
        caller: AccountId, action: Action, value: UInt128 = 0, gasLimit: UInt64 = Command.defaultGasLimit,
        signature: Signature? = nil, code: CodeUpload? = nil, nonce: UInt64? = nil, expiresAtMs: UInt64 = 0
    ) {
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

    /// A command that came as a Substrate extrinsic takes exactly its caller's next nonce (the
    /// last logged plus one), not just any higher one.
    public var takesNextNonce: Bool { signature?.scheme == .extrinsic }

    /// A deploy of `upload`, described by the metadata it carries.
    public static func deploy(_ upload: CodeUpload, input: [UInt8], salt: [UInt8], caller: AccountId) -> Command {
        Command(
            caller: caller, action: .deploy(codeHash: upload.codeHash, metadataHash: upload.metadataHash, input: input, salt: salt),
            code: upload)
    }

    /// The bytes a signature covers (`SigningPayload.command`, version 3): every field that
    /// affects execution, the nonce, the expiry, and the genesis id of the host it is meant for.
    public func signingPayload(genesis: [UInt8]) -> [UInt8] {
        SigningPayload.command(
            genesis: genesis, caller: caller.bytes, action: action.signed, value: value, gasLimit: gasLimit,
            nonce: nonce ?? 0, expiresAtMs: expiresAtMs)
    }
}

/// Code a command brings: its kind, its bytes, and the metadata document that describes it
/// (empty for native code, which describes itself, and for Wasm code without metadata).
public struct CodeUpload: Sendable {
    public let kind: CodeKind
    public let bytes: [UInt8]
    public let metadata: [UInt8]

    public init(kind: CodeKind, bytes: [UInt8], metadata: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
        self.metadata = metadata
    }

    /// BLAKE2b-256 of the code.
    public var codeHash: CodeHash { Blake2b.hash256(bytes) }
    /// BLAKE2b-256 of the metadata document; nil when there is none.
    public var metadataHash: MetadataHash? { metadata.isEmpty ? nil : Blake2b.hash256(metadata) }
}

/// The kind of code a contract runs.
public enum CodeKind: String, Sendable, Codable, CaseIterable {
    case native
    case wasm

    var tag: UInt8 { self == .native ? 0 : 1 }

    init?(tag: UInt8) {
        switch tag {
        case 0: self = .native
        case 1: self = .wasm
        default: return nil
        }
    }
}

/// A signature by the caller's key over a command or query.
public struct Signature: Sendable, Equatable {
    public enum Scheme: UInt8, Sendable {
        case ed25519 = 0
        /// Schnorrkel over ristretto255 with the `substrate` signing context, as Substrate wallets sign.
        case sr25519 = 1
        /// A signed Substrate extrinsic the node face received (`ExtrinsicProof`): the bytes are
        /// the extrinsic and the chain values it was signed with. Only the node face makes these;
        /// `/v1` requests cannot name this scheme.
        case extrinsic = 2

        public init?(name: String) {
            switch name {
            case "ed25519": self = .ed25519
            case "sr25519": self = .sr25519
            default: return nil
            }
        }

        public var name: String {
            switch self {
            case .ed25519: "ed25519"
            case .sr25519: "sr25519"
            case .extrinsic: "substrate-extrinsic"
            }
        }
    }
    public let scheme: Scheme
    public let bytes: [UInt8]

    public init(scheme: Scheme, bytes: [UInt8]) {
        self.scheme = scheme
        self.bytes = bytes
    }
}

extension Command.Action {
    /// The action as it is signed, which is also how the log encodes it.
    var signed: SigningPayload.Action {
        switch self {
        case let .deploy(codeHash, metadataHash, input, salt): .deploy(codeHash: codeHash, metadataHash: metadataHash, input: input, salt: salt)
        case let .call(contract, input): .call(contract: contract.bytes, input: input)
        case let .upload(codeHash, metadataHash): .upload(codeHash: codeHash, metadataHash: metadataHash)
        }
    }

    /// The code hash a deploy or an upload names.
    public var codeHash: CodeHash? {
        switch self {
        case let .deploy(codeHash, _, _, _), let .upload(codeHash, _): codeHash
        case .call: nil
        }
    }

    /// The metadata hash a deploy or an upload names.
    public var metadataHash: MetadataHash? {
        switch self {
        case let .deploy(_, metadataHash, _, _), let .upload(_, metadataHash): metadataHash
        case .call: nil
        }
    }
}
