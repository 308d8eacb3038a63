import FatStore
import HashTreeCollections

/// Reads a world state from the sealed store: every contract with its storage, the stored code
/// and metadata, the accounts' last nonces, the last sequence number and timestamp.
enum WorldLoader {
    /// The committed state as `reader` sees it.
    static func load(_ reader: StoreReader) throws -> WorldState {
        try FatHost.wrapStore {
            var world = WorldState.empty
            world.seq = try reader.lastSeq()
            if world.seq > 0, let last = try reader.receipt(world.seq) {
                world.timestampMs = try Receipt.decode(last).timestampMs
            }
            for record in try reader.contracts() {
                guard let address = AccountId(record.address) else {
                    throw FatError(.storeCorrupt, "a contract record has a \(record.address.count)-byte address")
                }
                var contract = try ContractState(codeHash: record.codeHash, info: record.info)
                var storage = TreeDictionary<ByteKey, [UInt8]>()
                for entry in try reader.storage(of: record.address) { storage[ByteKey(entry.key)] = entry.value }
                contract.storage = storage
                world.contracts[address] = contract
            }
            for code in try reader.codeInfos() {
                guard let kind = CodeKind(rawValue: code.kind) else {
                    throw FatError(.storeCorrupt, "code 0x\(code.hash.hexString) has unknown kind \(code.kind)")
                }
                world.codes[ByteKey(code.hash)] = CodeInfo(kind: kind, metadataHash: code.metadataHash)
            }
            for hash in try reader.metadataHashes() { world.metadata.insert(ByteKey(hash)) }
            for (account, nonce) in try reader.nonces() { world.nonces[AccountId(unchecked: account)] = nonce }
            return world
        }
    }

    /// Each account's last nonce, from the log entries themselves: how the store fills its
    /// nonces table when it migrates a store from before the table (see `SealedStore`).
    static func noncesFromLog(_ reader: StoreReader) throws -> [(account: [UInt8], nonce: UInt64)] {
        var last: [AccountId: UInt64] = [:]
        for row in try reader.logEntries(from: 1) {
            let command = try LogEntry.decode(row.entry).command
            if let nonce = command.nonce { last[command.caller] = max(last[command.caller] ?? 0, nonce) }
        }
        return last.map { ($0.key.bytes, $0.value) }
    }
}
