import FatCodec
import FatRuntime
import Hummingbird

extension Endpoints {
    static let commandFields: Set<String> = ["caller", "deploy", "call", "upload", "value", "gas_limit", "nonce", "expires_at_ms", "scheme", "signature"]

    /// The code an upload or deploy names: staged with `POST /v1/code`, or (for a deploy) already stored.
    func stagedCode(_ inner: RequestFields, name: String) throws -> (codeHash: [UInt8], metadataHash: [UInt8]?, code: CodeUpload?) {
        let hash = try inner.requiredHex("code_hash")
        guard hash.count == 32 else { throw APIError(.badRequest, .malformedRequest, "`\(name).code_hash` must be 32 bytes") }
        let metadataHash = try inner.hex("metadata_hash")
        guard metadataHash == nil || metadataHash?.count == 32 else {
            throw APIError(.badRequest, .malformedRequest, "`\(name).metadata_hash` must be 32 bytes")
        }
        return (hash, metadataHash, staging.upload(codeHash: hash, metadataHash: metadataHash))
    }

    /// `POST /v1/commands`: a signed deploy or call. Answers once the command is durable and
    /// applied: 200 with the rendered receipt (`"ok": false` when the contract reverted or failed,
    /// which is still logged), or a 4xx naming why it was refused before the log saw it.
    func command(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        guard commandGate.enter() else {
            metrics.add("fat_commands_total", "outcome=\"busy\"")
            throw busy("commands", limit: commandGate.limit)
        }
        defer { commandGate.leave() }
        let command: Command
        let receipt: Receipt
        do {
            command = try parseCommand(try await body(request))
            receipt = try await host.submit(command)
        } catch {
            metrics.add("fat_commands_total", "outcome=\"refused\"")
            throw error
        }
        let outcome: String = switch receipt.outcome {
        case .success: "success"
        case .reverted: "reverted"
        case .failed: "failed"
        }
        metrics.commandAnswered(outcome: outcome, gas: receipt.gasUsed, duration: ContinuousClock.now - start)
        switch command.action {
        case let .deploy(codeHash, metadataHash, input, _):
            do {
                return Self.json(try renderer.deployed(receipt, code: try host.describe(codeHash: codeHash, metadataHash: metadataHash), input: input).json)
            } catch let error as FatError {
                var json = JSON.error(error)
                if case var .object(fields) = json {
                    fields.append(("seq", JSON.number(receipt.seq)))
                    json = .object(fields)
                }
                return Self.json(json)
            }
        case let .call(_, input):
            return Self.json(renderer.called(receipt, input: input).json)
        case let .upload(codeHash, metadataHash):
            do {
                return Self.json(try renderer.uploaded(receipt, code: try host.describe(codeHash: codeHash, metadataHash: metadataHash)).json)
            } catch let error as FatError {
                return Self.json(JSON.error(error))
            }
        }
    }

    /// Reads a command request. Every command over HTTP is signed and carries a nonce and an expiry.
    func parseCommand(_ body: [UInt8]) throws -> Command {
        let fields = try RequestFields(body, allowed: Self.commandFields)
        let caller = try fields.requiredAccount("caller")
        let schemeName = try fields.string("scheme") ?? "ed25519"
        guard let scheme = Signature.Scheme(name: schemeName) else {
            throw APIError(.badRequest, .unsupportedScheme, "signature scheme `\(schemeName)` is unknown; use ed25519 or sr25519")
        }
        let signature = try fields.requiredHex("signature")
        guard signature.count == 64 else { throw APIError(.badRequest, .badSignature, "a signature has 64 bytes, not \(signature.count)") }
        let action: Command.Action
        var code: CodeUpload?
        let actions = ["deploy", "call", "upload"].filter { fields[$0] != nil }
        guard actions.count == 1 else {
            throw APIError(.badRequest, .malformedRequest, "a command has exactly one of `deploy`, `call` and `upload`")
        }
        switch (fields["deploy"], fields["call"]) {
        case let (deploy?, nil):
            let inner = try RequestFields(object: deploy, name: "deploy", allowed: ["code_hash", "metadata_hash", "input", "salt"])
            let staged = try stagedCode(inner, name: "deploy")
            action = .deploy(codeHash: staged.codeHash, metadataHash: staged.metadataHash, input: try inner.hex("input") ?? [],
                             salt: try inner.hex("salt") ?? [])
            code = staged.code
            if code == nil, host.snapshot.codes[ByteKey(staged.codeHash)] == nil {
                throw FatError(.unknownCode, "no code with hash 0x\(staged.codeHash.hexString) is stored or staged: stage it first with POST /v1/code")
            }
        case let (nil, call?):
            let inner = try RequestFields(object: call, name: "call", allowed: ["contract", "input"])
            action = .call(contract: try inner.requiredAccount("contract"), input: try inner.requiredHex("input"))
        default:
            let inner = try RequestFields(object: fields["upload"] ?? .null, name: "upload", allowed: ["code_hash", "metadata_hash"])
            let staged = try stagedCode(inner, name: "upload")
            guard let upload = staged.code else {
                throw FatError(.unknownCode, "no staged code with hash 0x\(staged.codeHash.hexString) (and that metadata hash): send it first with POST /v1/code")
            }
            action = .upload(codeHash: staged.codeHash, metadataHash: staged.metadataHash)
            code = upload
        }
        var command = Command(caller: caller, action: action, value: try fields.unsigned("value", as: UInt128.self) ?? 0,
                              gasLimit: try fields.unsigned("gas_limit") ?? Command.defaultGasLimit, code: code,
                              nonce: try fields.requiredUnsigned("nonce"), expiresAtMs: try fields.requiredUnsigned("expires_at_ms"))
        command.signature = Signature(scheme: scheme, bytes: signature)
        return command
    }
}
