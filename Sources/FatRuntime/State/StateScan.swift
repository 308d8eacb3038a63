import FatCrypto
import FatStore

/// Reads the whole state from the store, one entry at a time: what computes the summary from
/// scratch (creating or migrating a store, and `verify`, which checks the summary each commit
/// carried forward against what the store holds). Never on the path of a command or a query.
enum StateScan {
    /// What a store needs from the runtime to be created or migrated.
    static let derivations = StoreDerivations(
        noncesFromLog: { try noncesFromLog($0) }, stateSummary: { try summary($0).encoded })

    /// The summary of everything `reader` sees, computed from scratch.
    static func summary(_ reader: StoreReader) throws -> StateSummary {
        try FatHost.wrapStore {
            var summary = StateSummary.empty
            summary.seq = try reader.lastSeq()
            if summary.seq > 0, let last = try reader.receipt(summary.seq) {
                summary.timestampMs = try Receipt.decode(last).timestampMs
            }
            for code in try reader.codeInfos() {
                guard let kind = CodeKind(rawValue: code.kind) else {
                    throw FatError(.storeCorrupt, "code 0x\(code.hash.hexString) has unknown kind \(code.kind)")
                }
                summary.digest.insert(StateElement.code(code.hash, kind: kind))
            }
            try forEachContract(reader) { address, digest in
                summary.digest.add(digest)
                summary.contractCount += 1
            }
            return summary
        }
    }

    /// Calls `body` with each contract's address and own digest (its record and its storage), in
    /// address order.
    static func forEachContract(_ reader: StoreReader, _ body: (AccountId, LatticeHash) throws -> Void) throws {
        var after: [UInt8]? = nil
        while true {
            let page = try FatHost.wrapStore { try reader.contractAddresses(after: after, limit: 1024) }
            guard let last = page.last else { return }
            for bytes in page {
                guard let address = AccountId(bytes) else {
                    throw FatError(.storeCorrupt, "a contract record has a \(bytes.count)-byte address")
                }
                try body(address, try contractDigest(reader, address)!)
            }
            after = last
        }
    }

    /// One contract's digest: its record and every storage entry; nil when there is no contract.
    static func contractDigest(_ reader: StoreReader, _ address: AccountId) throws -> LatticeHash? {
        try FatHost.wrapStore {
            guard let record = try reader.contract(address.bytes) else { return nil }
            var digest = LatticeHash()
            digest.insert(StateElement.contract(address, codeHash: record.codeHash))
            try reader.forEachStorageEntry(of: address.bytes) { key, value in
                digest.insert(StateElement.storage(address, key: key, value: value))
            }
            return digest
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
