import FatCodec
import FatCrypto

/// A command as a client builds and signs it: the canonical bytes it signs are exactly the host's
/// `Command.signingPayload` in its `v2` form (see the README's "HTTP API"), so any client that
/// produces the same bytes can sign.
public struct SignedCommand: Sendable {
    public typealias Action = SigningPayload.Action

    public var caller: [UInt8]
    public var action: Action
    public var value: UInt128 = 0
    public var gasLimit: UInt64 = 5_000_000_000
    public var nonce: UInt64
    public var expiresAtMs: UInt64
    public var scheme = "ed25519"
    public var signature: [UInt8] = []

    public init(caller: [UInt8], action: Action, nonce: UInt64, expiresAtMs: UInt64) {
        self.caller = caller
        self.action = action
        self.nonce = nonce
        self.expiresAtMs = expiresAtMs
    }

    /// `SigningPayload.command` in its `v2` form.
    public var signingPayload: [UInt8] {
        SigningPayload.command(caller: caller, action: action, value: value, gasLimit: gasLimit, nonce: nonce, expiresAtMs: expiresAtMs)
    }

    /// Signs with an Ed25519 key; the caller becomes the key's public key.
    public mutating func sign(with key: Ed25519SigningKey) {
        caller = key.publicKey
        scheme = "ed25519"
        signature = key.sign(signingPayload)
    }

    /// Signs with an sr25519 key (64-byte secret, Substrate's `substrate` context); the caller
    /// becomes the key's public key.
    public mutating func sign(sr25519SecretKey secret: [UInt8]) throws {
        caller = try Sr25519.publicKey(secretKey: secret)
        scheme = "sr25519"
        signature = try Sr25519.sign(message: signingPayload, secretKey: secret, randomness: SecureRandom.bytes(32))
    }

    /// The request body of `POST /v1/commands`.
    public var json: JSONValue {
        let action: (String, JSONValue)
        switch self.action {
        case let .deploy(codeHash, input, salt):
            action = ("deploy", .object([("code_hash", .hex(codeHash)), ("input", .hex(input)), ("salt", .hex(salt))]))
        case let .call(contract, input):
            action = ("call", .object([("contract", .hex(contract)), ("input", .hex(input))]))
        case let .upload(codeHash):
            action = ("upload", .object([("code_hash", .hex(codeHash))]))
        }
        return .object([
            ("caller", .hex(caller)), action, ("value", .string(String(value))), ("gas_limit", .number(String(gasLimit))),
            ("nonce", .number(String(nonce))), ("expires_at_ms", .number(String(expiresAtMs))),
            ("scheme", .string(scheme)), ("signature", .hex(signature)),
        ])
    }
}

/// A query signed by its caller (`SigningPayload.query` with an expiry).
public struct SignedQuery: Sendable {
    public var contract: [UInt8]
    public var input: [UInt8]
    public var expiresAtMs: UInt64

    public init(contract: [UInt8], input: [UInt8], expiresAtMs: UInt64) {
        self.contract = contract
        self.input = input
        self.expiresAtMs = expiresAtMs
    }

    public var signingPayload: [UInt8] { SigningPayload.query(contract: contract, input: input, expiresAtMs: expiresAtMs) }

    /// The request body of `POST /v1/queries`, signed by `key` (unsigned when nil).
    public func json(signedBy key: Ed25519SigningKey?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("contract", .hex(contract)), ("input", .hex(input))]
        if let key {
            fields += [("caller", .hex(key.publicKey)), ("expires_at_ms", .number(String(expiresAtMs))),
                       ("scheme", .string("ed25519")), ("signature", .hex(key.sign(signingPayload)))]
        }
        return .object(fields)
    }
}
