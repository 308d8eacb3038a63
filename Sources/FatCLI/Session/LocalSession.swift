import FatAPI
import FatCodec
import FatRuntime
import FatWire

/// A session over the data directory: this process opens the host, and the CLI acts with the
/// master key's authority (`Authority.local`).
struct LocalSession: HostSession {
    let host: FatHost
    let keys: KeyStore
    let renderer: ResultRenderer

    init(_ options: GlobalOptions, create: Bool = true) throws {
        host = try FatHost(
            dataDirectory: options.dataDirectory, masterKeyPath: options.masterKey, create: create,
            engines: try HostConfiguration.engines(options, defaultIsolation: .inProcess),
            capabilities: try HostConfiguration.load(options), limits: try HostConfiguration.limits(options))
        let keys = KeyStore(directory: options.dataDirectory + "/keys")
        self.keys = keys
        renderer = ResultRenderer(host: host, resolveAccount: { keys.resolve($0)?.bytes })
    }

    func close() { host.close() }

    /// Signs `command` as `key` for this host, then logs and applies it.
    private func submit(_ command: Command, as key: KeyStore.Key) throws -> CommandAnswer {
        var command = command
        command.caller = key.account
        command.nonce = max(Signing.nonce(), try host.lastNonce(of: key.account) + 1)
        command.expiresAtMs = Signing.expiry()
        command.signature = key.sign(command.signingPayload(genesis: host.genesis))
        return renderer.answer(try host.submit(command), to: command.action)
    }

    func deploy(_ artifact: Artifact, constructor: String?, arguments: JSONValue, salt: [UInt8], gas: UInt64, as key: KeyStore.Key) throws
        -> CommandAnswer
    {
        let prepared = try host.prepare(artifact.upload)
        let input = try constructorInput(
            renderer.messages(prepared.metadata), name: constructor, arguments: arguments,
            contract: prepared.metadata.name)
        let action = Command.Action.deploy(codeHash: prepared.codeHash, metadataHash: prepared.metadataHash, input: input, salt: salt)
        return try submit(Command(caller: key.account, action: action, gasLimit: gas, code: artifact.upload), as: key)
    }

    func upload(_ artifact: Artifact, as key: KeyStore.Key) throws -> CommandAnswer {
        let prepared = try host.prepare(artifact.upload)
        let action = Command.Action.upload(codeHash: prepared.codeHash, metadataHash: prepared.metadataHash)
        return try submit(Command(caller: key.account, action: action, code: artifact.upload), as: key)
    }

    func call(_ target: MessageTarget, gas: UInt64, as key: KeyStore.Key) throws -> CommandAnswer {
        let contract = try target.contract()
        let (_, input) = try target.resolve(renderer.messages(try host.metadata(of: contract)))
        return try submit(Command(caller: key.account, action: .call(contract: contract, input: input), gasLimit: gas), as: key)
    }

    func query(_ target: MessageTarget, as key: KeyStore.Key?) throws -> QueryAnswer {
        let contract = try target.contract()
        let (_, input) = try target.resolve(renderer.messages(try host.metadata(of: contract)))
        let result: QueryResult
        if let key {
            let expiry = Signing.expiry()
            let payload = SigningPayload.query(genesis: host.genesis, contract: contract.bytes, input: input, expiresAtMs: expiry)
            result = try host.query(contract, input: input, signedBy: key.account, signature: key.sign(payload), expiresAtMs: expiry)
        } else {
            result = try host.query(contract, input: input)
        }
        return try renderer.queried(result, contract: contract, input: input)
    }

    func describe(contract: AccountId) throws -> ContractDescription {
        renderer.inspect(try host.describe(contract: contract), address: contract)
    }

    func inkMetadata(of contract: AccountId) throws -> [UInt8] { try host.inkMetadata(of: contract) }

    func describe(artifact: Artifact) throws -> ContractDescription { renderer.inspect(try host.prepare(artifact.upload), address: nil) }

    /// The whole log: the master key's holder sees every command in full.
    func log(from: UInt64, limit: Int, as key: KeyStore.Key?) throws -> LogPage { try renderer.log(from: from, limit: limit, reader: key?.account) }

    func events(from: UInt64, limit: Int, follow: Bool, each: (EventRecord) -> Void) throws -> [EventRecord] {
        if follow { throw FatError(.badArguments, "--follow needs --remote: only a server sees commands as they commit") }
        var records: [EventRecord] = []
        for receipt in try host.receipts(from: from) where !receipt.events.isEmpty {
            records.append(renderer.eventRecord(receipt))
            if records.count >= limit { break }
        }
        return records
    }
}
