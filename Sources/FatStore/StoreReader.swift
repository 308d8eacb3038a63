import FatCrypto

/// Reads from the store within one connection. Obtained from `SealedStore.reader()` (a private
/// read-only connection) or inside `readOnWriterConnection`/`write`.
///
/// **Use from one thread at a time.**
package struct StoreReader {
    let store: SealedStore
    let connection: SQLiteConnection

    /// Runs `body` in one read transaction so all its reads see the same committed state.
    package func snapshot<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try store.wrap { try connection.read { try body(self) } }
    }

    /// The sequence number of the last applied command (0 for a new store).
    package func lastSeq() throws -> UInt64 {
        try store.wrap {
            let statement = try connection.statement("SELECT value FROM meta WHERE name = 'last_seq'")
            defer { statement.reset() }
            guard try statement.step() else { return 0 }
            return statement.blob(0).withUnsafeBytes { $0.count == 8 ? UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) : 0 }
        }
    }

    /// The etcd cluster this store follows (its key prefix) and the revision of the last entry it
    /// applied; nil for a store that has only ever been a single host.
    package func clusterPosition() throws -> (prefix: String, revision: Int64)? {
        try store.wrap {
            let statement = try connection.statement("SELECT value FROM meta WHERE name = 'cluster'")
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            let plain = try store.sealer("meta").open(statement.blob(0), binding: Array("cluster".utf8), what: "the cluster position")
            guard plain.count >= 8 else { throw StoreError.tampered(what: "the cluster position") }
            let revision = plain.prefix(8).withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
            return (String(decoding: plain.dropFirst(8), as: UTF8.self), revision)
        }
    }

    // MARK: Point reads (what the state reads one key at a time)

    /// The contract at `address`, opened; nil when there is none.
    package func contract(_ address: [UInt8]) throws -> ContractRecord? {
        try store.wrap {
            let statement = try connection.statement("SELECT code_hash, info FROM contracts WHERE address = ?").bind(1, address)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            let info = try store.sealer("contract").open(statement.blob(1), binding: address, what: "contract \(address.hexString)")
            return ContractRecord(address: address, codeHash: statement.blob(0), info: info)
        }
    }

    /// The value stored under `key` by `contract`, opened and checked against its place; nil
    /// when there is none.
    package func storageValue(contract: [UInt8], key: [UInt8]) throws -> [UInt8]? {
        try store.wrap {
            let sealer = try store.contractSealer(contract)
            let diskKey = sealer.diskKey(key)
            let statement = try connection.statement("SELECT value FROM storage WHERE contract = ? AND key = ?").bind(1, contract).bind(2, diskKey)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            let opened = try sealer.openValue(diskKey: diskKey, sealed: statement.blob(0))
            guard opened.key == key else { throw StoreError.tampered(what: "storage key of contract \(contract.hexString)") }
            return opened.value
        }
    }

    /// A stored code's kind and metadata hash (not its bytes); nil when it is not stored.
    package func codeInfo(_ hash: [UInt8]) throws -> CodeInfoRecord? {
        try store.wrap {
            let statement = try connection.statement("SELECT kind, metadata FROM code WHERE hash = ?").bind(1, hash)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return CodeInfoRecord(hash: hash, kind: statement.text(0), metadataHash: try store.openCodeMetadataHash(statement.blob(1), code: hash))
        }
    }

    /// Whether a metadata document with this hash is stored.
    package func hasMetadata(_ hash: [UInt8]) throws -> Bool {
        try store.wrap {
            let statement = try connection.statement("SELECT 1 FROM metadata WHERE hash = ?").bind(1, hash)
            defer { statement.reset() }
            return try statement.step()
        }
    }

    /// The last nonce of `account` (0 when it has none).
    package func nonce(of account: [UInt8]) throws -> UInt64 {
        try store.wrap {
            let row = HMACSHA256.authenticate(key: store.nonceMacKey, data: account)
            let statement = try connection.statement("SELECT sealed FROM nonces WHERE account = ?").bind(1, row)
            defer { statement.reset() }
            guard try statement.step() else { return 0 }
            let plain = try store.sealer("nonce").open(statement.blob(0), binding: Array("nonce".utf8) + row, what: "a nonce record")
            guard plain.count == 40, Array(plain[..<32]) == account else { throw StoreError.tampered(what: "a nonce record") }
            return plain[32...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        }
    }

    /// The sealed summary of the state (its digest and counts, in the runtime's format); nil for
    /// a store that has none yet.
    package func stateSummary() throws -> [UInt8]? {
        try store.wrap {
            let statement = try connection.statement("SELECT value FROM meta WHERE name = 'state'")
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return try store.sealer("meta").open(statement.blob(0), binding: Array("state".utf8), what: "the state summary")
        }
    }

    /// The addresses of every contract, in order, from `after` on (exclusive), at most `limit`.
    package func contractAddresses(after: [UInt8]? = nil, limit: Int = .max) throws -> [[UInt8]] {
        try store.wrap {
            let statement = try connection.statement("SELECT address FROM contracts WHERE address > ? ORDER BY address LIMIT ?")
                .bind(1, after ?? []).bind(2, Int64(min(limit, Int(Int64.max))))
            defer { statement.reset() }
            var addresses: [[UInt8]] = []
            while try statement.step() { addresses.append(statement.blob(0)) }
            return addresses
        }
    }

    /// Calls `body` with every storage entry of `contract`, opened, in the order of the disk keys:
    /// a scan that holds one entry at a time.
    package func forEachStorageEntry(of contract: [UInt8], _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Void) throws {
        try store.wrap {
            let sealer = try store.contractSealer(contract)
            let statement = try connection.statement("SELECT key, value FROM storage WHERE contract = ? ORDER BY key").bind(1, contract)
            defer { statement.reset() }
            while try statement.step() {
                let diskKey = statement.blob(0)
                let opened = try sealer.openValue(diskKey: diskKey, sealed: statement.blob(1))
                guard sealer.diskKey(opened.key) == diskKey else {
                    throw StoreError.tampered(what: "storage key of contract \(contract.hexString)")
                }
                try body(opened.key, opened.value)
            }
        }
    }

    /// Every account's last nonce.
    package func nonces() throws -> [(account: [UInt8], nonce: UInt64)] {
        try store.wrap {
            let statement = try connection.statement("SELECT account, sealed FROM nonces")
            defer { statement.reset() }
            var rows: [(account: [UInt8], nonce: UInt64)] = []
            while try statement.step() {
                let row = statement.blob(0)
                let plain = try store.sealer("nonce").open(statement.blob(1), binding: Array("nonce".utf8) + row, what: "a nonce record")
                guard plain.count == 40 else { throw StoreError.tampered(what: "a nonce record") }
                let nonce = plain[32...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                rows.append((Array(plain[..<32]), nonce))
            }
            return rows
        }
    }

    package func code(_ hash: [UInt8]) throws -> CodeRecord? {
        try store.wrap {
            let statement = try connection.statement("SELECT kind, sealed, metadata FROM code WHERE hash = ?").bind(1, hash)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            let bytes = try store.sealer("code").open(statement.blob(1), binding: Array("code".utf8) + hash, what: "code \(hash.hexString)")
            return CodeRecord(
                hash: hash, kind: statement.text(0), bytes: bytes,
                metadataHash: try store.openCodeMetadataHash(statement.blob(2), code: hash))
        }
    }

    /// Every stored code's kind and metadata hash (not its bytes), in hash order.
    package func codeInfos() throws -> [CodeInfoRecord] {
        try store.wrap {
            let statement = try connection.statement("SELECT hash, kind, metadata FROM code ORDER BY hash")
            defer { statement.reset() }
            var records: [CodeInfoRecord] = []
            while try statement.step() {
                let hash = statement.blob(0)
                records.append(
                    CodeInfoRecord(hash: hash, kind: statement.text(1), metadataHash: try store.openCodeMetadataHash(statement.blob(2), code: hash)))
            }
            return records
        }
    }

    /// The metadata document with this hash, checked against it.
    package func metadata(_ hash: [UInt8]) throws -> [UInt8]? {
        try store.wrap {
            let statement = try connection.statement("SELECT sealed FROM metadata WHERE hash = ?").bind(1, hash)
            defer { statement.reset() }
            guard try statement.step() else { return nil }
            return try store.sealer("code").open(
                statement.blob(0), binding: Array("metadata-document".utf8) + hash, what: "metadata \(hash.hexString)")
        }
    }

    /// The hashes of every stored metadata document.
    package func metadataHashes() throws -> [[UInt8]] {
        try store.wrap {
            let statement = try connection.statement("SELECT hash FROM metadata ORDER BY hash")
            defer { statement.reset() }
            var hashes: [[UInt8]] = []
            while try statement.step() { hashes.append(statement.blob(0)) }
            return hashes
        }
    }

    package func contracts() throws -> [ContractRecord] {
        try store.wrap {
            let statement = try connection.statement("SELECT address, code_hash, info FROM contracts ORDER BY address")
            var records: [ContractRecord] = []
            let sealer = store.sealer("contract")
            while try statement.step() {
                let address = statement.blob(0)
                let info = try sealer.open(statement.blob(2), binding: address, what: "contract \(address.hexString)")
                records.append(ContractRecord(address: address, codeHash: statement.blob(1), info: info))
            }
            return records
        }
    }

    /// Every storage entry of one contract, opened.
    package func storage(of address: [UInt8]) throws -> [(key: [UInt8], value: [UInt8])] {
        try store.wrap {
            let sealer = try store.contractSealer(address)
            let statement = try connection.statement("SELECT key, value FROM storage WHERE contract = ?").bind(1, address)
            var entries: [(key: [UInt8], value: [UInt8])] = []
            while try statement.step() {
                let diskKey = statement.blob(0)
                let opened = try sealer.openValue(diskKey: diskKey, sealed: statement.blob(1))
                guard sealer.diskKey(opened.key) == diskKey else {
                    throw StoreError.tampered(what: "storage key of contract \(address.hexString)")
                }
                entries.append(opened)
            }
            return entries
        }
    }

    /// Log entries with `seq >= from`, in order, at most `limit`.
    package func logEntries(from: UInt64, limit: Int = .max) throws -> [(seq: UInt64, entry: [UInt8])] {
        try sealedRows(table: "log", column: "entry", purpose: "log", from: from, limit: limit)
    }

    package func receipts(from: UInt64, limit: Int = .max) throws -> [(seq: UInt64, receipt: [UInt8])] {
        try sealedRows(table: "receipts", column: "receipt", purpose: "receipt", from: from, limit: limit)
            .map { (seq: $0.seq, receipt: $0.entry) }
    }

    package func receipt(_ seq: UInt64) throws -> [UInt8]? {
        try receipts(from: seq, limit: 1).first { $0.seq == seq }?.receipt
    }

    private func sealedRows(table: String, column: String, purpose: String, from: UInt64, limit: Int) throws -> [(seq: UInt64, entry: [UInt8])] {
        try store.wrap {
            let statement = try connection.statement("SELECT seq, \(column) FROM \(table) WHERE seq >= ? ORDER BY seq LIMIT ?")
                .bind(1, Int64(clamping: from)).bind(2, Int64(min(limit, Int(Int64.max))))
            var rows: [(seq: UInt64, entry: [UInt8])] = []
            let sealer = store.sealer(purpose)
            while try statement.step() {
                let seq = UInt64(bitPattern: statement.int64(0))
                rows.append((seq, try sealer.open(statement.blob(1), binding: Array(purpose.utf8) + encodeSeq(seq), what: "\(purpose) #\(seq)")))
            }
            return rows
        }
    }

    func integrityCheck() throws -> [String] {
        let statement = try connection.statement("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step() { lines.append(statement.text(0)) }
        return lines == ["ok"] ? [] : lines
    }
}
