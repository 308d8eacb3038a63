import FatCodec
import FatRuntime

extension SubstrateNode {
    /// `chain_getBlockHash([n])`: the hash of block `n` (the best block without `n`), or null
    /// past the best block. A list of numbers answers a list.
    func blockHash(_ p: Parameters) async throws -> JSONValue {
        if case let .array(numbers)? = p.at(0) {
            guard numbers.count <= 256 else { throw RPCError.params("chain_getBlockHash: at most 256 block numbers at once") }
            var hashes: [JSONValue] = []
            for index in numbers.indices {
                let number = try Parameters(values: numbers, method: p.method).unsigned(index, "block number")
                hashes.append(try await hash(of: number))
            }
            return .array(hashes)
        }
        return try await hash(of: try p.unsigned(0, "block number"))
    }

    private func hash(of number: UInt64?) async throws -> JSONValue {
        guard let number else { return try await run { Hex.json(try self.chain.block(at: nil).hash) } }
        guard let block = UInt32(exactly: number) else { return .null }
        return try await run { try self.chain.hash(block).map(Hex.json) ?? .null }
    }

    static func headerJSON(_ header: BlockHeader) -> JSONValue {
        .object([
            ("parentHash", Hex.json(header.parentHash)), ("number", .string("0x" + String(header.number, radix: 16))),
            ("stateRoot", Hex.json(header.stateRoot)), ("extrinsicsRoot", Hex.json(header.extrinsicsRoot)),
            ("digest", .object([("logs", .array([]))])),
        ])
    }

    /// `chain_getBlock`: the header, and the block's extrinsic when this session may see it
    /// (`BlockEvents` says who may).
    func blockJSON(_ block: Block, session: NodeSession) -> JSONValue {
        var extrinsics: [JSONValue] = []
        if disclosure(of: block, to: session) == .full, let extrinsic = block.extrinsic { extrinsics.append(Hex.json(extrinsic.bytes)) }
        return .object([
            ("block", .object([("header", Self.headerJSON(block.header)), ("extrinsics", .array(extrinsics))])), ("justifications", .null),
        ])
    }

    /// Who sees a block in full: the session that submitted its extrinsic, and anyone under `--dev`.
    func disclosure(of block: Block, to session: NodeSession) -> Disclosure {
        if dev { return .full }
        guard let entry = block.entry else { return .full }
        return session.didSubmit(entry.seq) ? .full : .order
    }

    /// `chain_subscribe*Heads`: the best header now, then each new one as commands commit
    /// (every block is final once it exists: a command is in a block once it is durable). A burst
    /// of commits sends the latest header, as nodes skip blocks a slow subscriber missed.
    func subscribeHeads(_ method: String, session: NodeSession) throws -> Reply {
        let id = try session.subscribe()
        let notification =
            switch method {
            case "chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads": "chain_finalizedHead"
            case "chain_subscribeAllHeads": "chain_allHead"
            default: "chain_newHead"
            }
        return Reply(result: .string(id)) { [self] in
            var sent: UInt64?
            while session.isSubscribed(id), !Task.isCancelled, !signal.isClosed {
                let best = host.snapshot.seq
                if sent != best, let block = try? await run({ try self.chain.block(at: nil) }) {
                    session.notify(notification, subscription: id, result: Self.headerJSON(block.header))
                    sent = UInt64(block.header.number)
                }
                await signal.wait(beyond: sent ?? best, timeout: .seconds(5))
            }
        }
    }
}

extension Parameters {
    init(values: [JSONValue], method: String) {
        self.init(RPCRequest(id: nil, method: method, params: values))
    }
}
