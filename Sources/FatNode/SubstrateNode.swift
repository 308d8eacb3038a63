import FatCodec
import FatCrypto
import FatRuntime

/// Runs blocking work (a contract call, code preparation, store reads) off the concurrency
/// runtime's threads; `fat serve` gives its query pool.
public protocol BlockingExecutor: Sendable {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
}

/// The Substrate node face of a host: JSON-RPC 2.0 as a `substrate-contracts-node` answers it, so
/// that ink! tools (polkadot.js, cargo-contract, py-substrate-interface) work unchanged. It is a
/// second way into the same host as `/v1`: extrinsics become commands in the same log (same
/// order, replay and receipts), dry runs become queries. The transport (WebSocket at `/`, HTTP
/// `POST /`) is the server's; this type reads requests and writes answers.
///
/// - **Chain**: `Chain` shows the log as blocks, one command per block.
/// - **Runtime**: `RuntimeMetadata` (V14, V15) describes System, Balances, TransactionPayment and
///   Contracts; `RuntimeAPI` answers `state_call`; `NodeStorage` answers storage keys.
/// - **Confidentiality**: contract storage is never served unless the operator runs `--dev`; a
///   dry run's claimed `origin` is trusted only under `--dev` (otherwise the query runs as the
///   anonymous caller, as an unsigned `/v1` query does); a block's extrinsic and the events that
///   name its sender are disclosed to the session that submitted it (and under `--dev`).
///
/// **Thread-safe.**
public final class SubstrateNode: Sendable {
    public let host: FatHost
    /// Under `--dev`: claimed origins are trusted and contract storage is readable.
    public let dev: Bool
    let chain: Chain
    let metadata: RuntimeMetadata
    let signal: CommitSignal
    let executor: any BlockingExecutor
    /// The largest request (an extrinsic carries a whole Wasm module, hex-encoded).
    public let maxRequestBytes: Int

    public init(host: FatHost, signal: CommitSignal, executor: any BlockingExecutor, dev: Bool = false, maxRequestBytes: Int = 8 << 20) {
        self.host = host
        self.dev = dev
        self.signal = signal
        self.executor = executor
        self.maxRequestBytes = maxRequestBytes
        chain = Chain(host: host)
        metadata = RuntimeMetadata()
    }

    /// The hash of block 0, which extrinsics sign.
    public var genesisHash: [UInt8] { chain.genesisHash }

    /// An answer to one request, and what to do once it has been sent (a subscription's
    /// notifications).
    struct Reply {
        var result: JSONValue
        var then: (@Sendable () async -> Void)? = nil
    }

    /// Answers every request of a message with `error` (the server is too busy to take it).
    public func refuse(_ text: [UInt8], session: NodeSession, code: Int, message: String) {
        let error = RPCError(code, message)
        let ids: [JSONValue]
        switch try? JSONValue.parse(text) {
        case let .array(requests)?: ids = requests.map { $0["id"] ?? .null }
        case let request?: ids = [request["id"] ?? .null]
        case nil: ids = [.null]
        }
        let answers = ids.map { RPCRequest.response(id: $0, error: error) }
        session.send(answers.count == 1 ? answers[0] : .array(answers))
    }

    /// Handles one message (a request or a batch) from `session`: sends the answers through the
    /// session, then starts what the requests opened (subscriptions) beside the session's requests.
    public func receive(_ text: [UInt8], session: NodeSession) async {
        let afterwards: [@Sendable () async -> Void]
        if text.count > maxRequestBytes {
            session.send(
                RPCRequest.response(
                    id: .null, error: RPCError(RPCError.invalidRequest, "Request too large", data: "at most \(maxRequestBytes) bytes")))
            return
        }
        let message: JSONValue
        do { message = try JSONValue.parse(text) } catch {
            session.send(RPCRequest.response(id: .null, error: RPCError(RPCError.parseError, "Parse error", data: "\(error)")))
            return
        }
        if case let .array(requests) = message {
            guard !requests.isEmpty else {
                session.send(RPCRequest.response(id: .null, error: RPCError(RPCError.invalidRequest, "Invalid request", data: "an empty batch")))
                return
            }
            guard requests.count <= 256 else {
                session.send(
                    RPCRequest.response(
                        id: .null, error: RPCError(RPCError.invalidRequest, "Invalid request", data: "a batch holds at most 256 requests")))
                return
            }
            var answers: [JSONValue] = []
            var thens: [@Sendable () async -> Void] = []
            for request in requests {
                let (answer, then) = await handle(request, session: session)
                if let answer { answers.append(answer) }
                if let then { thens.append(then) }
            }
            if !answers.isEmpty { session.send(.array(answers)) }
            afterwards = thens
        } else {
            let (answer, then) = await handle(message, session: session)
            if let answer { session.send(answer) }
            afterwards = then.map { [$0] } ?? []
        }
        for work in afterwards { session.spawn(work) }
    }

    private func handle(_ value: JSONValue, session: NodeSession) async -> (JSONValue?, (@Sendable () async -> Void)?) {
        let request: RPCRequest
        switch RPCRequest.parse(value) {
        case let .success(parsed): request = parsed
        case let .failure(refusal): return (RPCRequest.response(id: refusal.id, error: refusal.error), nil)
        }
        do {
            let reply = try await dispatch(request, session: session)
            guard let id = request.id else { return (nil, reply.then) }
            return (RPCRequest.response(id: id, result: reply.result), reply.then)
        } catch let error as RPCError {
            return (request.id.map { RPCRequest.response(id: $0, error: error) }, nil)
        } catch {
            let rpc = RPCError(RPCError.internalError, "Internal error", data: "\(FatError(wrapping: error).message)")
            return (request.id.map { RPCRequest.response(id: $0, error: rpc) }, nil)
        }
    }

    /// Every method this node answers, as `rpc_methods` lists them.
    static let methods: [String] = [
        "author_pendingExtrinsics", "author_submitAndWatchExtrinsic", "author_submitExtrinsic", "author_unwatchExtrinsic",
        "chain_getBlock", "chain_getBlockHash", "chain_getFinalisedHead", "chain_getFinalizedHead", "chain_getHead", "chain_getHeader",
        "chain_subscribeAllHeads", "chain_subscribeFinalizedHeads", "chain_subscribeNewHeads", "chain_unsubscribeAllHeads",
        "chain_unsubscribeFinalizedHeads", "chain_unsubscribeNewHeads", "childstate_getKeys", "childstate_getKeysPaged", "childstate_getStorage",
        "childstate_getStorageEntries", "childstate_getStorageHash", "childstate_getStorageSize", "payment_queryFeeDetails", "payment_queryInfo",
        "rpc_methods", "state_call", "state_getKeysPaged", "state_getMetadata", "state_getRuntimeVersion", "state_getStorage",
        "state_getStorageHash", "state_getStorageSize", "state_queryStorageAt", "state_subscribeRuntimeVersion", "state_subscribeStorage",
        "state_unsubscribeRuntimeVersion", "state_unsubscribeStorage", "system_accountNextIndex", "system_chain", "system_chainType",
        "system_health", "system_name", "system_properties", "system_version",
    ]

    private func dispatch(_ request: RPCRequest, session: NodeSession) async throws -> Reply {
        let p = Parameters(request)
        switch request.method {
        case "rpc_methods":
            return Reply(result: .object([("version", .number("1")), ("methods", .array(Self.methods.map { .string($0) }))]))
        case "system_chain": return Reply(result: .string("Development"))
        case "system_name": return Reply(result: .string("fat-contract"))
        case "system_version": return Reply(result: .string("fat-contract (native ABI \(FatHost.nativeABIVersion))"))
        case "system_chainType": return Reply(result: .string("Development"))
        case "system_properties":
            return Reply(result: .object([("ss58Format", .number("42")), ("tokenDecimals", .number("12")), ("tokenSymbol", .string("UNIT"))]))
        case "system_health":
            return Reply(result: .object([("peers", .number("0")), ("isSyncing", .bool(false)), ("shouldHavePeers", .bool(false))]))
        case "system_accountNextIndex":
            let account = try Self.account(try p.requiredString(0, "account"), method: request.method)
            return Reply(result: .number(String(try host.lastNonce(of: account))))
        case "chain_getBlockHash", "chain_getHead": return try await Reply(result: blockHash(p))
        case "chain_getFinalizedHead", "chain_getFinalisedHead": return try await Reply(result: Hex.json(run { try self.chain.block(at: nil).hash }))
        case "chain_getHeader":
            let hash = try p.blockHash(0)
            return try await Reply(result: run { try Self.headerJSON(self.chain.block(at: hash).header) })
        case "chain_getBlock":
            let hash = try p.blockHash(0)
            return try await Reply(result: run { try self.blockJSON(self.chain.block(at: hash), session: session) })
        case "chain_subscribeNewHeads", "chain_subscribeFinalizedHeads", "chain_subscribeAllHeads", "chain_subscribeFinalisedHeads":
            return try subscribeHeads(request.method, session: session)
        case "chain_unsubscribeNewHeads", "chain_unsubscribeFinalizedHeads", "chain_unsubscribeAllHeads", "chain_unsubscribeFinalisedHeads",
            "state_unsubscribeRuntimeVersion", "state_unsubscribeStorage", "author_unwatchExtrinsic":
            return Reply(result: .bool(session.unsubscribe(try p.requiredString(0, "subscription id"))))
        case "state_getRuntimeVersion", "chain_getRuntimeVersion":
            return Reply(result: RuntimeAPI.versionJSON)
        case "state_subscribeRuntimeVersion", "chain_subscribeRuntimeVersion":
            let id = try session.subscribe()
            return Reply(result: .string(id)) { session.notify("state_runtimeVersion", subscription: id, result: RuntimeAPI.versionJSON) }
        case "state_getMetadata":
            return Reply(result: Hex.json(metadata.v14))
        case "state_getStorage", "state_getStorageAt":
            let key = try p.requiredBytes(0, "storage key", limit: 1024)
            let hash = try p.blockHash(1)
            return try await Reply(result: run { try self.storageValue(key, at: hash, session: session).map(Hex.json) ?? .null })
        case "state_getStorageHash":
            let key = try p.requiredBytes(0, "storage key", limit: 1024)
            let hash = try p.blockHash(1)
            return try await Reply(
                result: run { try self.storageValue(key, at: hash, session: session).map { Hex.json(Blake2b.hash256($0)) } ?? .null })
        case "state_getStorageSize":
            let key = try p.requiredBytes(0, "storage key", limit: 1024)
            let hash = try p.blockHash(1)
            return try await Reply(result: run { try self.storageValue(key, at: hash, session: session).map { .number(String($0.count)) } ?? .null })
        case "state_queryStorageAt":
            return try await Reply(result: queryStorageAt(p, session: session))
        case "state_getKeysPaged", "state_getKeysPagedAt":
            return try await Reply(result: keysPaged(p))
        case "state_subscribeStorage":
            return try subscribeStorage(p, session: session)
        case "state_call", "state_callAt":
            let method = try p.requiredString(0, "runtime API method")
            let data = try p.bytes(1, "call data", limit: maxRequestBytes) ?? []
            _ = try p.blockHash(2)
            return try await Reply(result: Hex.json(runtimeCall(method, data)))
        case "childstate_getKeys", "childstate_getKeysPaged", "childstate_getStorage", "childstate_getStorageEntries", "childstate_getStorageHash",
            "childstate_getStorageSize":
            throw RPCError(
                RPCError.invalidParams, "Contract storage is sealed",
                data:
                    "this host never serves a contract's storage raw; read it through the contract's messages\(dev ? " (under --dev: ContractsApi_get_storage)" : "")"
            )
        case "author_submitExtrinsic":
            return try await submit(p, session: session, watch: false)
        case "author_submitAndWatchExtrinsic":
            return try await submit(p, session: session, watch: true)
        case "author_pendingExtrinsics":
            return Reply(result: .array([]))
        case "payment_queryInfo":
            _ = try p.requiredBytes(0, "extrinsic", limit: maxRequestBytes)
            return Reply(
                result: .object([
                    ("weight", .object([("ref_time", .number("0")), ("proof_size", .number("0"))])), ("class", .string("normal")),
                    ("partialFee", .string("0")),
                ]))
        case "payment_queryFeeDetails":
            _ = try p.requiredBytes(0, "extrinsic", limit: maxRequestBytes)
            return Reply(result: .object([("inclusionFee", .null)]))
        default:
            throw RPCError(
                RPCError.methodNotFound, "Method not found", data: "`\(request.method.prefix(80))` is not a method of this node; see rpc_methods")
        }
    }

    /// Runs blocking work on the executor, turning host errors into JSON-RPC errors.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await executor.run(body) } catch let error as RPCError { throw error } catch {
            let fat = FatError(wrapping: error)
            throw RPCError(RPCError.internalError, "Internal error", data: fat.message)
        }
    }

    /// An account given as `0x` + 64 hex digits or as an SS58 address.
    static func account(_ text: String, method: String) throws -> AccountId {
        if let account = AccountId(hex: text), text.hasPrefix("0x") { return account }
        if let bytes = SS58.decode(text), let account = AccountId(bytes) { return account }
        throw RPCError.params("\(method): `\(text.prefix(80))` is neither an SS58 address nor 0x and 64 hex digits")
    }
}
