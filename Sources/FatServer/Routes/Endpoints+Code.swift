import FatAPI
import FatCodec
import FatCrypto
import FatRuntime
import FatWire
import Hummingbird

extension Endpoints {
    /// `POST /v1/code`: stages code (with its metadata) for an upload or deploy command that names
    /// it. Wasm is validated and compiled, and its message model answered (as `fat inspect` of an
    /// artifact); with `constructor` and/or `args`, also the encoded constructor input. Native code
    /// is operator code: it must be signed by an operator, and it is kept, never loaded, here.
    func uploadCode(_ request: Request) async throws -> Response {
        let staging = try CodeRequest(try await body(request))
        let upload = staging.upload
        let kind = upload.kind
        let signer = staging.signer
        if let signer {
            try signer.verify(
                staging.stagingPayload(genesis: host.genesis, expiresAtMs: signer.expiresAtMs), window: configuration.queryExpiryWindowMs)
        }
        try host.authority.checkStaging(kind: kind, signer: signer?.caller)
        if kind == .native {
            guard upload.metadata.isEmpty else {
                throw FatError(.badArtifact, "native code describes itself through its descriptor; it takes no metadata document")
            }
            if staging.constructor != nil || staging.args != nil {
                throw FatError(
                    .badArguments,
                    "native code is not loaded when it is staged, so this server cannot encode its constructor input; encode it where the code was built (fat deploy does)"
                )
            }
            try self.staging.put(upload)
            return Self.json(
                StagedCode(
                    kind: "native", codeHash: Hex(upload.codeHash), metadataHash: nil, description: nil,
                    constructor: nil, input: nil
                ).json)
        }
        let host = host
        let code = try await queryPool.offload { try host.prepare(upload) }
        try self.staging.put(upload)
        var constructor: String?
        var input: Hex?
        if staging.constructor != nil || staging.args != nil {
            let messages = renderer.messages(code.metadata)
            let spec = try staging.constructor.map { try messages.spec($0, constructor: true) } ?? messages.defaultConstructor()
            let arguments = staging.args ?? .array([])
            if spec == nil, case let .array(values) = arguments, !values.isEmpty {
                throw FatError(.badArguments, "\(code.metadata.name) has no constructor, so it takes no args")
            }
            constructor = spec?.label
            input = Hex(try spec.map { try messages.input(for: $0, arguments: arguments) } ?? [])
        }
        return Self.json(
            StagedCode(
                kind: code.kind.rawValue, codeHash: Hex(code.codeHash), metadataHash: code.metadataHash.map(Hex.init),
                description: renderer.inspect(code, address: nil), constructor: constructor, input: input
            ).json)
    }

    /// `GET /v1/contracts/{address}`: the contract's messages and types.
    func contract(_ account: AccountId) throws -> Response {
        Self.json(renderer.inspect(try host.describe(contract: account), address: account).json)
    }

    /// `POST /v1/contracts/{address}/encode`: a message and JSON arguments → selector + SCALE.
    func encode(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let account = try address(context, "address")
        let fields = try RequestFields(try await body(request), allowed: ["message", "args"])
        let host = host
        let messages = renderer.messages(try await queryPool.offload { try host.metadata(of: account) })
        let spec = try messages.spec(try fields.requiredString("message"), constructor: false)
        let input = try messages.input(for: spec, arguments: fields["args"] ?? .array([]))
        return Self.json(EncodedMessage(message: spec.label, selector: Hex(spec.selector), input: Hex(input), mutates: spec.mutates).json)
    }
}
