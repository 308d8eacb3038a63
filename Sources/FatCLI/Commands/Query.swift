import ArgumentParser
import FatClient
import FatCodec
import FatRuntime
import FatAPI

/// `fat query ADDRESS MESSAGE`: asks a contract at once, off the log; writes are discarded.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Query a contract (immediate, read-only, never logged).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var target: MessageTarget
    @Option(name: .customLong("as"), help: "Sign the query with this key, so the contract sees the caller.") var signer: String?

    func run() throws {
        if let remote = options.remote { return try runRemote(remote) }
        try runCommand(options) {
            let session = try Session(options)
            defer { session.close() }
            let contract = try session.address(target.address)
            let messages = Messages(metadata: try session.host.metadata(of: contract), resolveAccount: session.accountResolver)
            let (_, bytes) = try target.resolve(messages)
            let result: QueryResult
            if let signer {
                let key = try session.keys.load(signer)
                let expiry = RemoteSession.expiry()
                let payload = SigningPayload.query(genesis: session.host.genesis, contract: contract.bytes, input: bytes, expiresAtMs: expiry)
                result = try session.host.query(contract, input: bytes, signedBy: key.account, signature: key.sign(payload), expiresAtMs: expiry)
            } else {
                result = try session.host.query(contract, input: bytes)
            }
            return try session.renderer.queried(result, contract: contract, input: bytes)
        }
    }

    private func runRemote(_ url: String) throws {
        try runCommand(options) {
            let session = try RemoteSession(options, url: url)
            let contract = try target.contract()
            let input = try session.run { try target.remoteInput($0, keys: session.keys) }
            let key = try signer.map { try session.keys.load($0) }
            let query = SignedQuery(genesis: try session.run { try $0.genesis() }, contract: contract.bytes, input: input,
                                    expiresAtMs: RemoteSession.expiry())
            let json = try session.run { try $0.query(query.json(signedBy: key?.clientKey)) }
            return try remoteResult(options, json, text: (json["output"] ?? .null).serialized())
        }
    }
}
