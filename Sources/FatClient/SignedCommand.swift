import FatCodec
import FatCrypto

/// A command as a client builds and signs it: the canonical bytes it signs are exactly the host's
/// `Command.signingPayload(genesis:)` (`SigningPayload.command`, version 3; see the README's "HTTP
/// API"), so any client that produces the same bytes can sign. `genesis` is the host's, from
/// `GET /v1/info` (`APIClient.genesis()`).
public struct SignedCommand: Sendable {
    public typealias Action = SigningPayload.Action

    public var genesis: [UInt8]
    public var caller: [UInt8]
    public var action: Action
    public var value: UInt128 = 0
    public var gasLimit: UInt64 = 5_000_000_000
    public var nonce: UInt64
    public var expiresAtMs: UInt64
    public var scheme = "ed25519"
    public var signature: [UInt8] = []

    public init(genesis: [UInt8], caller: [UInt8], action: Action, nonce: UInt64, expiresAtMs: UInt64) {
        self.genesis = genesis
        self.caller = caller
        self.action = action
        self.nonce = nonce
        self.expiresAtMs = expiresAtMs
    }

    /// `SigningPayload.command`.
    public var signingPayload: [UInt8] {
        SigningPayload.command(
            genesis: genesis, caller: caller, action: action, value: value, gasLimit: gasLimit, nonce: nonce,
            expiresAtMs: expiresAtMs)
    }

    /// Signs with `key`; the caller becomes the key's account.
    public mutating func sign(with key: ClientKey) {
        caller = key.account
        scheme = key.scheme
        signature = key.sign(signingPayload)
    }

    /// Signs with an Ed25519 key; the caller becomes the key's public key.
    public mutating func sign(with key: Ed25519SigningKey) { sign(with: .ed25519(key)) }

    /// Signs with an sr25519 key (64-byte secret, Substrate's `substrate` context); the caller
    /// becomes the key's public key.
    public mutating func sign(sr25519SecretKey secret: [UInt8]) throws { sign(with: try .sr25519(secret: secret)) }

    /// The request body of `POST /v1/commands`.
    public var json: JSONValue {
        let action: (String, JSONValue)
        switch self.action {
        case let .deploy(codeHash, metadataHash, input, salt):
            action = (
                "deploy",
                .object([
                    ("code_hash", .hex(codeHash)), ("metadata_hash", metadataHash.map(JSONValue.hex) ?? .null),
                    ("input", .hex(input)), ("salt", .hex(salt)),
                ])
            )
        case let .call(contract, input):
            action = ("call", .object([("contract", .hex(contract)), ("input", .hex(input))]))
        case let .upload(codeHash, metadataHash):
            action = ("upload", .object([("code_hash", .hex(codeHash)), ("metadata_hash", metadataHash.map(JSONValue.hex) ?? .null)]))
        }
        return .object([
            ("caller", .hex(caller)), action, ("value", .string(String(value))), ("gas_limit", .number(String(gasLimit))),
            ("nonce", .number(String(nonce))), ("expires_at_ms", .number(String(expiresAtMs))),
            ("scheme", .string(scheme)), ("signature", .hex(signature)),
        ])
    }
}

/// A query signed by its caller (`SigningPayload.query`).
public struct SignedQuery: Sendable {
    public var genesis: [UInt8]
    public var contract: [UInt8]
    public var input: [UInt8]
    public var expiresAtMs: UInt64
    /// Read-your-writes: answer only from a state holding this sequence number (a cluster host
    /// waits, within the query's timeout, until it has applied it). Not signed.
    public var minSeq: UInt64?

    public init(genesis: [UInt8], contract: [UInt8], input: [UInt8], expiresAtMs: UInt64, minSeq: UInt64? = nil) {
        self.genesis = genesis
        self.contract = contract
        self.input = input
        self.expiresAtMs = expiresAtMs
        self.minSeq = minSeq
    }

    public var signingPayload: [UInt8] { SigningPayload.query(genesis: genesis, contract: contract, input: input, expiresAtMs: expiresAtMs) }

    /// The request body of `POST /v1/queries`, signed by `key` (unsigned when nil).
    public func json(signedBy key: ClientKey?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("contract", .hex(contract)), ("input", .hex(input))]
        if let key {
            fields += [
                ("caller", .hex(key.account)), ("expires_at_ms", .number(String(expiresAtMs))),
                ("scheme", .string(key.scheme)), ("signature", .hex(key.sign(signingPayload))),
            ]
        }
        if let minSeq { fields.append(("min_seq", .number(String(minSeq)))) }
        return .object(fields)
    }

    public func json(signedBy key: Ed25519SigningKey?) -> JSONValue { json(signedBy: key.map(ClientKey.ed25519)) }
}

/// A key a client signs with: Ed25519, or sr25519 (a 64-byte schnorrkel secret, Substrate's
/// `substrate` context). Its account is its public key.
public enum ClientKey: Sendable {
    case ed25519(Ed25519SigningKey)
    case sr25519(secret: [UInt8], publicKey: [UInt8])

    public static func sr25519(secret: [UInt8]) throws -> ClientKey {
        .sr25519(secret: secret, publicKey: try Sr25519.publicKey(secretKey: secret))
    }

    public var account: [UInt8] {
        switch self {
        case let .ed25519(key): key.publicKey
        case let .sr25519(_, publicKey): publicKey
        }
    }

    public var scheme: String {
        switch self {
        case .ed25519: "ed25519"
        case .sr25519: "sr25519"
        }
    }

    public func sign(_ payload: [UInt8]) -> [UInt8] {
        switch self {
        case let .ed25519(key): key.sign(payload)
        case let .sr25519(secret, _):
            (try? Sr25519.sign(message: payload, secretKey: secret, randomness: SecureRandom.bytes(32))) ?? []
        }
    }

    /// The fields `caller`, `scheme`, `expires_at_ms` and `signature` of a signed request body.
    func signatureFields(_ payload: [UInt8], expiresAtMs: UInt64) -> [(String, JSONValue)] {
        [
            ("caller", .hex(account)), ("scheme", .string(scheme)), ("expires_at_ms", .number(String(expiresAtMs))),
            ("signature", .hex(sign(payload))),
        ]
    }

    /// The `Authorization` header of a signed read of `target` (`GET /v1/log?…`).
    func authorization(genesis: [UInt8], target: String, expiresAtMs: UInt64) -> String {
        let signature = sign(SigningPayload.read(genesis: genesis, target: target, expiresAtMs: expiresAtMs))
        return "Fat caller=0x\(account.hexString), scheme=\(scheme), expires_at_ms=\(expiresAtMs), signature=0x\(signature.hexString)"
    }
}
