import FatCodec
import FatCrypto
import FatRuntime
import Hummingbird

extension Endpoints {
    /// `POST /v1/code`: validates and loads code, keeps it for a deploy that names its hash, and
    /// answers its message model (as `fat inspect` of an artifact); with `constructor` and/or
    /// `args`, also the encoded constructor input.
    func uploadCode(_ request: Request) async throws -> Response {
        let fields = try RequestFields(try await body(request), allowed: ["kind", "code", "metadata", "constructor", "args"])
        let kindName = try fields.requiredString("kind")
        guard let kind = CodeKind(rawValue: kindName) else {
            throw APIError(.badRequest, .malformedRequest, "field `kind` must be \"native\" or \"wasm\", not \"\(kindName)\"")
        }
        let upload = CodeUpload(kind: kind, bytes: try fields.requiredHex("code"), metadata: try fields.hex("metadata") ?? [])
        let code = try host.prepare(upload)
        uploads.withLock { list in
            list.removeAll { $0.hash == code.hash }
            list.append((code.hash, upload))
            if list.count > configuration.maxUploads { list.removeFirst(list.count - configuration.maxUploads) }
        }
        guard case var .object(json) = renderer.inspect(code, address: nil).json else { return Self.json(.null) }
        if fields["constructor"] != nil || fields["args"] != nil {
            let messages = renderer.messages(code.metadata)
            let spec = try fields.string("constructor").map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
            let arguments = fields["args"] ?? .array([])
            if spec == nil, case let .array(values) = arguments, !values.isEmpty {
                throw FatError(.badArguments, "\(code.metadata.name) has no constructor, so it takes no args")
            }
            json.append(("constructor", spec.map { .string($0.label) } ?? .null))
            json.append(("input", JSON.hex(try spec.map { try messages.input(for: $0, arguments: arguments) } ?? [])))
        }
        return Self.json(.object(json))
    }

    /// The code uploaded under `hash`, if it is still kept.
    func uploaded(_ hash: [UInt8]) -> CodeUpload? { uploads.withLock { $0.last { $0.hash == hash }?.upload } }

    /// `GET /v1/contracts/{address}`: the contract's messages and types.
    func contract(_ context: BasicRequestContext) throws -> Response {
        let account = try address(context, "address")
        guard let state = host.snapshot.contracts[account] else { throw FatError(.unknownContract, "no contract at \(account)") }
        return Self.json(renderer.inspect(try host.code(state.codeHash), address: account).json)
    }

    /// `POST /v1/contracts/{address}/encode`: a message and JSON arguments → selector + SCALE.
    func encode(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let account = try address(context, "address")
        let fields = try RequestFields(try await body(request), allowed: ["message", "args"])
        let messages = renderer.messages(try host.metadata(of: account))
        let spec = try messages.spec(try fields.requiredString("message"), constructor: false)
        let input = try messages.input(for: spec, arguments: fields["args"] ?? .array([]))
        return Self.json(JSON.object([
            ("ok", .bool(true)), ("message", .string(spec.label)), ("selector", JSON.hex(spec.selector)),
            ("input", JSON.hex(input)), ("mutates", .bool(spec.mutates)),
        ]))
    }
}
