import FatCodec
import FatRuntime

/// A `POST /v1/commands` body, read strictly: the signed command, and for a deploy or an upload
/// the code and metadata hashes it names (the server attaches the staged code they name).
package struct CommandRequest {
    package static let fields: Set<String> = [
        "caller", "deploy", "call", "upload", "value", "gas_limit", "nonce", "expires_at_ms", "scheme", "signature",
    ]

    package var command: Command
    /// The code (and metadata) a deploy or an upload names.
    package let names: (code: [UInt8], metadata: [UInt8]?)?

    package init(_ body: [UInt8]) throws {
        let fields = try RequestFields(body, allowed: Self.fields)
        let caller = try fields.requiredAccount("caller")
        let schemeName = try fields.string("scheme") ?? "ed25519"
        guard let scheme = Signature.Scheme(name: schemeName) else {
            throw APIError(.badRequest, .unsupportedScheme, "signature scheme `\(schemeName)` is unknown; use ed25519 or sr25519")
        }
        let signature = try fields.requiredHex("signature")
        guard signature.count == 64 else { throw APIError(.badRequest, .badSignature, "a signature has 64 bytes, not \(signature.count)") }
        let actions = ["deploy", "call", "upload"].filter { fields[$0] != nil }
        guard actions.count == 1 else {
            throw APIError(.badRequest, .malformedRequest, "a command has exactly one of `deploy`, `call` and `upload`")
        }
        let action: Command.Action
        switch actions[0] {
        case "deploy":
            let inner = try RequestFields(
                object: fields["deploy"] ?? .null, name: "deploy", allowed: ["code_hash", "metadata_hash", "input", "salt"])
            let named = try Self.hashes(inner, name: "deploy")
            action = .deploy(
                codeHash: named.code, metadataHash: named.metadata, input: try inner.hex("input") ?? [], salt: try inner.hex("salt") ?? [])
            names = named
        case "call":
            let inner = try RequestFields(object: fields["call"] ?? .null, name: "call", allowed: ["contract", "input"])
            action = .call(contract: try inner.requiredAccount("contract"), input: try inner.requiredHex("input"))
            names = nil
        default:
            let inner = try RequestFields(object: fields["upload"] ?? .null, name: "upload", allowed: ["code_hash", "metadata_hash"])
            let named = try Self.hashes(inner, name: "upload")
            action = .upload(codeHash: named.code, metadataHash: named.metadata)
            names = named
        }
        command = Command(
            caller: caller, action: action, value: try fields.unsigned("value", as: UInt128.self) ?? 0,
            gasLimit: try fields.unsigned("gas_limit") ?? Command.defaultGasLimit,
            nonce: try fields.requiredUnsigned("nonce"), expiresAtMs: try fields.requiredUnsigned("expires_at_ms"))
        command.signature = Signature(scheme: scheme, bytes: signature)
    }

    private static func hashes(_ inner: RequestFields, name: String) throws -> (code: [UInt8], metadata: [UInt8]?) {
        let code = try inner.requiredHex("code_hash")
        guard code.count == 32 else { throw APIError(.badRequest, .malformedRequest, "`\(name).code_hash` must be 32 bytes") }
        let metadata = try inner.hex("metadata_hash")
        guard metadata == nil || metadata?.count == 32 else {
            throw APIError(.badRequest, .malformedRequest, "`\(name).metadata_hash` must be 32 bytes")
        }
        return (code, metadata)
    }
}

/// A `POST /v1/queries` body: the contract, its input, the limits asked for, and who signed it.
package struct QueryRequest {
    package static let fields: Set<String> = [
        "contract", "input", "caller", "scheme", "signature", "expires_at_ms", "gas_limit", "timeout_ms", "min_seq",
    ]

    package let contract: AccountId
    package let input: [UInt8]
    package let gasLimit: UInt64?
    package let timeoutMs: UInt64?
    /// Read-your-writes: run only on a state that holds this sequence number (waiting, within the
    /// query's timeout, for the host to apply it).
    package let minSeq: UInt64?
    package let signer: RequestSigner?

    package init(_ body: [UInt8]) throws {
        let fields = try RequestFields(body, allowed: Self.fields)
        contract = try fields.requiredAccount("contract")
        input = try fields.requiredHex("input")
        guard input.count >= 4 else { throw FatError(.badArguments, "`input` starts with a 4-byte selector") }
        gasLimit = try fields.unsigned("gas_limit")
        timeoutMs = try fields.unsigned("timeout_ms")
        minSeq = try fields.unsigned("min_seq")
        signer = try RequestSigner(fields)
    }
}

/// A `POST /v1/code` body: the code to stage, a constructor to encode arguments for, and who
/// signed it.
package struct CodeRequest {
    package static let fields: Set<String> = ["kind", "code", "metadata", "constructor", "args", "caller", "scheme", "expires_at_ms", "signature"]

    package let upload: CodeUpload
    package let constructor: String?
    package let args: JSONValue?
    package let signer: RequestSigner?

    package init(_ body: [UInt8]) throws {
        let fields = try RequestFields(body, allowed: Self.fields)
        let kindName = try fields.requiredString("kind")
        guard let kind = CodeKind(rawValue: kindName) else {
            throw APIError(.badRequest, .malformedRequest, "field `kind` must be \"native\" or \"wasm\", not \"\(kindName.prefix(40))\"")
        }
        upload = CodeUpload(kind: kind, bytes: try fields.requiredHex("code"), metadata: try fields.hex("metadata") ?? [])
        constructor = try fields.string("constructor")
        args = fields["args"]
        signer = try RequestSigner(fields)
    }

    /// The bytes the signer signed: `SigningPayload.stage` for this host.
    package func stagingPayload(genesis: [UInt8], expiresAtMs: UInt64) -> [UInt8] {
        SigningPayload.stage(
            genesis: genesis, native: upload.kind == .native, codeHash: upload.codeHash, metadataHash: upload.metadataHash,
            expiresAtMs: expiresAtMs)
    }
}

/// Query-string parameters.
package enum QueryParameter {
    /// An unsigned integer parameter, or nil when absent.
    package static func unsigned(_ text: Substring?, name: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let value = UInt64(text) else {
            throw APIError(.badRequest, .malformedRequest, "query parameter `\(name)` must be an unsigned integer, not `\(text.prefix(40))`")
        }
        return value
    }
}
