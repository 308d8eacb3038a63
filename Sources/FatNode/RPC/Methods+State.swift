import FatCodec
import FatRuntime

extension SubstrateNode {
    /// The value of a storage key at a block (the best block when `hash` is nil), or nil.
    func storageValue(_ key: [UInt8], at hash: [UInt8]?, session: NodeSession) throws -> [UInt8]? {
        if key == NodeStorage.events || key == NodeStorage.number || key == NodeStorage.parentHash || key == NodeStorage.eventCount {
            let block = try chain.block(at: hash)
            switch key {
            case NodeStorage.events: return BlockEvents.encode(block, disclosure: disclosure(of: block, to: session))
            case NodeStorage.number: return le(block.header.number)
            case NodeStorage.parentHash: return block.header.parentHash
            default:
                var decoder = ScaleDecoder(BlockEvents.encode(block, disclosure: disclosure(of: block, to: session)))
                return le(UInt32(clamping: (try? decoder.readLength(what: "events")) ?? 0))
            }
        }
        if hash != nil, try chain.number(of: hash!) == nil {
            throw RPCError(4003, "Client error: UnknownBlock: block 0x\(hash!.hexString) is not in this chain")
        }
        if key == NodeStorage.contractsVersion { return le(RuntimeMetadata.contractsStorageVersion) }
        if key == NodeStorage.contractsNonce { return le(host.snapshot.seq) }
        if key.starts(with: NodeStorage.blockHash), key.count == 32 + 8 + 4 {
            let number = key[40...].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return try chain.hash(number)
        }
        if key.starts(with: NodeStorage.account), key.count == 32 + 16 + 32, let account = AccountId(Array(key[48...])) {
            return NodeStorage.accountInfo(nonce: try host.lastNonce(of: account))
        }
        if key.starts(with: NodeStorage.contractInfoOf), key.count == 32 + 8 + 32, let address = AccountId(Array(key[40...])) {
            return try host.contract(address).map { NodeStorage.contractInfo(address: address, codeHash: $0.codeHash) }
        }
        if key.starts(with: NodeStorage.codeInfoOf), key.count == 64 {
            let codeHash = Array(key[32...])
            guard try host.isStored(code: codeHash) else { return nil }
            return NodeStorage.codeInfo(length: try host.store.reader().code(codeHash)?.bytes.count ?? 0)
        }
        if key.starts(with: NodeStorage.pristineCode), key.count == 64 {
            guard dev else {
                throw RPCError(
                    RPCError.invalidParams, "Code is sealed", data: "this host serves stored code only to an operator running fat serve --dev")
            }
            guard let record = try host.store.reader().code(Array(key[32...])) else { return nil }
            var encoder = ScaleEncoder()
            encoder.appendByteVector(record.bytes)
            return encoder.bytes
        }
        return nil
    }

    /// `state_queryStorageAt(keys, at)`: the values of several keys at one block.
    func queryStorageAt(_ p: Parameters, session: NodeSession) async throws -> JSONValue {
        guard let keys = p.at(0)?.arrayValue, keys.count <= 1024 else { throw RPCError.params("state_queryStorageAt: a list of at most 1024 keys") }
        let parsed = try keys.indices.map { try Parameters(values: keys, method: p.method).requiredBytes($0, "storage key", limit: 1024) }
        let hash = try p.blockHash(1)
        return try await run {
            let block = try self.chain.block(at: hash)
            let changes = try parsed.map { key in
                JSONValue.array([Hex.json(key), try self.storageValue(key, at: block.hash, session: session).map(Hex.json) ?? .null])
            }
            return .array([.object([("block", Hex.json(block.hash)), ("changes", .array(changes))])])
        }
    }

    /// `state_getKeysPaged(prefix, count, start_key, at)`: the keys this node answers under a
    /// prefix, in order (accounts with a nonce, contracts, codes).
    func keysPaged(_ p: Parameters) async throws -> JSONValue {
        let prefix = try p.bytes(0, "prefix", limit: 1024) ?? []
        guard let count = try p.unsigned(1, "count"), count <= 1000 else { throw RPCError.params("\(p.method): count is at most 1000") }
        let start = try p.bytes(2, "start key", limit: 1024)
        _ = try p.blockHash(3)
        return try await run {
            var keys: [[UInt8]] = []
            func consider(_ base: [UInt8], _ make: () throws -> [[UInt8]]) rethrows {
                guard base.starts(with: prefix) || prefix.starts(with: base) else { return }
                keys += try make().filter { $0.starts(with: prefix) }
            }
            try consider(NodeStorage.account) { try self.host.accountsWithNonces().map(NodeStorage.accountKey) }
            try consider(NodeStorage.contractInfoOf) { try self.host.contractAddresses().map(NodeStorage.contractInfoKey) }
            try consider(NodeStorage.codeInfoOf) { try self.host.storedCodeHashes().map(NodeStorage.codeInfoKey) }
            keys.sort { $0.lexicographicallyPrecedes($1) }
            if let start { keys = keys.filter { start.lexicographicallyPrecedes($0) } }
            return .array(keys.prefix(Int(count)).map(Hex.json))
        }
    }

    /// `state_subscribeStorage(keys)`: the keys' values now, then the ones that changed at each new block.
    func subscribeStorage(_ p: Parameters, session: NodeSession) throws -> Reply {
        let keys = p.at(0)?.arrayValue ?? []
        guard keys.count <= 256 else { throw RPCError.params("state_subscribeStorage: at most 256 keys") }
        let parsed = try keys.indices.map { try Parameters(values: keys, method: p.method).requiredBytes($0, "storage key", limit: 1024) }
        let id = try session.subscribe()
        return Reply(result: .string(id)) { [self] in
            var last: [[UInt8]?]? = nil
            var seen = host.snapshot.seq
            while session.isSubscribed(id), !Task.isCancelled, !signal.isClosed {
                if let (block, values) = try? await run({ () -> (Block, [[UInt8]?]) in
                    let block = try self.chain.block(at: nil)
                    return (block, try parsed.map { try self.storageValue($0, at: block.hash, session: session) })
                }) {
                    let changed = parsed.indices.filter { last == nil || last![$0] != values[$0] }
                    if !changed.isEmpty || last == nil {
                        let changes = changed.map { JSONValue.array([Hex.json(parsed[$0]), values[$0].map(Hex.json) ?? .null]) }
                        session.notify(
                            "state_storage", subscription: id, result: .object([("block", Hex.json(block.hash)), ("changes", .array(changes))]))
                    }
                    last = values
                    seen = UInt64(block.header.number)
                }
                await signal.wait(beyond: seen, timeout: .seconds(5))
            }
        }
    }
}
