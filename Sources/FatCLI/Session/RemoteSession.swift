import FatAPI
import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import FatWire

/// A session with a `fat serve` host (`--remote URL`), through `APIClient`. Keys stay on this
/// machine: commands and reads are signed here; the server encodes arguments and renders answers
/// with the contracts' metadata, so the output is the same as a local run's.
struct RemoteSession: HostSession {
    let client: APIClient
    let keys: KeyStore

    init(_ options: GlobalOptions, url: String) throws {
        do { client = try APIClient(url: url) } catch { throw RemoteSession.fatError(error) }
        keys = KeyStore(directory: options.dataDirectory + "/keys")
    }

    func close() {}

    /// Runs a client call, turning its errors into the CLI's errors (the server's code and message).
    func run<T>(_ body: (APIClient) throws -> T) throws -> T {
        do { return try body(client) } catch { throw RemoteSession.fatError(error) }
    }

    static func fatError(_ error: Error) -> FatError {
        switch error {
        case let error as FatError: error
        case let ClientError.server(_, code, message): FatError(FatError.Code(rawValue: code), message)
        case let error as ClientError: FatError(.remote, error.description)
        default: FatError(.internalError, String(describing: error))
        }
    }

    private func submit(_ action: SignedCommand.Action, gas: UInt64 = Command.defaultGasLimit, as key: KeyStore.Key) throws -> CommandAnswer {
        var command = SignedCommand(
            genesis: try run { try $0.genesis() }, caller: key.account.bytes, action: action,
            nonce: Signing.nonce(), expiresAtMs: Signing.expiry())
        command.gasLimit = gas
        command.sign(with: key.clientKey)
        let signed = command
        return try run { try $0.submit(signed) }
    }

    /// Stages the code, signed (the server validates Wasm and encodes its constructor; native
    /// code, which the server does not load when staged, has its constructor encoded here), then
    /// sends the signed deploy command naming the code and metadata by hash.
    func deploy(_ artifact: Artifact, constructor: String?, arguments: JSONValue, salt: [UInt8], gas: UInt64, as key: KeyStore.Key) throws
        -> CommandAnswer
    {
        let upload = artifact.upload
        let input: [UInt8]
        if upload.kind == .native {
            let metadata = try Artifact.nativeMetadata(artifact.path)
            let messages = Messages(metadata: metadata, resolveAccount: { keys.resolve($0)?.bytes })
            input = try constructorInput(messages, name: constructor, arguments: arguments, contract: metadata.name)
            _ = try run { try $0.upload(kind: "native", code: upload.bytes, metadata: [], signedBy: key.clientKey) }
        } else {
            let staged = try run {
                try $0.upload(
                    kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata, constructor: constructor,
                    args: arguments, signedBy: key.clientKey)
            }
            guard let encoded = staged.input else { throw FatError(.remote, "the server's answer to the upload has no input") }
            input = encoded.bytes
        }
        return try submit(.deploy(codeHash: upload.codeHash, metadataHash: upload.metadataHash, input: input, salt: salt), gas: gas, as: key)
    }

    /// Stages the code on the server (which validates it), then sends the signed upload command.
    func upload(_ artifact: Artifact, as key: KeyStore.Key) throws -> CommandAnswer {
        let upload = artifact.upload
        _ = try run { try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata, signedBy: key.clientKey) }
        return try submit(.upload(codeHash: upload.codeHash, metadataHash: upload.metadataHash), as: key)
    }

    func call(_ target: MessageTarget, gas: UInt64, as key: KeyStore.Key) throws -> CommandAnswer {
        let contract = try target.contract()
        let input = try run { try target.remoteInput($0, keys: keys) }
        return try submit(.call(contract: contract.bytes, input: input), gas: gas, as: key)
    }

    func query(_ target: MessageTarget, as key: KeyStore.Key?) throws -> QueryAnswer {
        let contract = try target.contract()
        let input = try run { try target.remoteInput($0, keys: keys) }
        let query = SignedQuery(genesis: try run { try $0.genesis() }, contract: contract.bytes, input: input, expiresAtMs: Signing.expiry())
        return try run { try $0.query(query, signedBy: key?.clientKey) }
    }

    func describe(contract: AccountId) throws -> ContractDescription { try run { try $0.contract(contract.hex) } }

    func inkMetadata(of contract: AccountId) throws -> [UInt8] { try run { try $0.inkMetadata(contract.hex) } }

    func describe(artifact: Artifact) throws -> ContractDescription {
        let upload = artifact.upload
        if upload.kind == .native {
            // A server never loads native code it is sent, so this machine reads its descriptor.
            return ResultRenderer.inspect(try Artifact.nativeDescription(artifact.path), address: nil)
        }
        let staged = try run { try $0.upload(kind: upload.kind.rawValue, code: upload.bytes, metadata: upload.metadata) }
        guard let description = staged.description else { throw FatError(.remote, "the server staged the code without describing it") }
        return description
    }

    func log(from: UInt64, limit: Int, as key: KeyStore.Key?) throws -> LogPage {
        try run { try $0.log(from: from, limit: limit, signedBy: key?.clientKey) }
    }

    func events(from: UInt64, limit: Int, follow: Bool, each: (EventRecord) -> Void) throws -> [EventRecord] {
        var records: [EventRecord] = []
        try withoutActuallyEscaping(each) { each in
            let collected = Collected()
            try run { client in
                try client.events(from: from) { event in
                    if event.event == "caught_up" { return follow }
                    guard let record = try event.record() else { return true }
                    collected.records.append(record)
                    if follow { each(record) }
                    return collected.records.count < limit
                }
            }
            records = collected.records
        }
        return records
    }
}

private final class Collected {
    var records: [EventRecord] = []
}

extension KeyStore.Key {
    /// The key as the client signs with it.
    var clientKey: ClientKey { .ed25519(signingKey) }
}
