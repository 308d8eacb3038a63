import FatCrypto

/// Writes inside one `SealedStore.write` transaction. Everything written commits together.
package struct StoreWriter {
    let store: SealedStore
    let connection: SQLiteConnection

    /// Reads through the same transaction.
    package var reader: StoreReader { StoreReader(store: store, connection: connection) }

    /// Stores code under its hash; code already stored stays as it is (with its metadata hash).
    package func putCode(_ record: CodeRecord) throws {
        let sealer = store.sealer("code")
        try connection.statement("INSERT OR IGNORE INTO code(hash, kind, sealed, metadata) VALUES (?, ?, ?, ?)")
            .bind(1, record.hash).bind(2, record.kind)
            .bind(3, sealer.seal(record.bytes, binding: Array("code".utf8) + record.hash))
            .bind(4, store.sealCodeMetadataHash(record.metadataHash, code: record.hash))
            .run()
    }

    /// Stores a metadata document under its hash (BLAKE2b-256 of the document).
    package func putMetadata(hash: [UInt8], document: [UInt8]) throws {
        try connection.statement("INSERT OR IGNORE INTO metadata(hash, sealed) VALUES (?, ?)")
            .bind(1, hash).bind(2, store.sealMetadata(document, hash: hash)).run()
    }

    package func putContract(_ record: ContractRecord) throws {
        try connection.statement("INSERT OR REPLACE INTO contracts(address, code_hash, info) VALUES (?, ?, ?)")
            .bind(1, record.address).bind(2, record.codeHash)
            .bind(3, store.sealer("contract").seal(record.info, binding: record.address))
            .run()
    }

    /// Removes a contract and all of its storage.
    package func removeContract(_ address: [UInt8]) throws {
        try connection.statement("DELETE FROM contracts WHERE address = ?").bind(1, address).run()
        try connection.statement("DELETE FROM storage WHERE contract = ?").bind(1, address).run()
    }

    /// Stores `value` under `key` for `contract`, or removes the key when `value` is nil.
    package func setStorage(contract: [UInt8], key: [UInt8], value: [UInt8]?) throws {
        let sealer = try store.contractSealer(contract)
        let diskKey = sealer.diskKey(key)
        if let value {
            try connection.statement("INSERT OR REPLACE INTO storage(contract, key, value) VALUES (?, ?, ?)")
                .bind(1, contract).bind(2, diskKey).bind(3, sealer.sealValue(key: key, value: value)).run()
        } else {
            try connection.statement("DELETE FROM storage WHERE contract = ? AND key = ?").bind(1, contract).bind(2, diskKey).run()
        }
    }

    package func appendLog(seq: UInt64, entry: [UInt8]) throws {
        try connection.statement("INSERT INTO log(seq, entry) VALUES (?, ?)")
            .bind(1, Int64(bitPattern: seq))
            .bind(2, store.sealer("log").seal(entry, binding: Array("log".utf8) + encodeSeq(seq)))
            .run()
    }

    package func putReceipt(seq: UInt64, receipt: [UInt8]) throws {
        try connection.statement("INSERT OR REPLACE INTO receipts(seq, receipt) VALUES (?, ?)")
            .bind(1, Int64(bitPattern: seq))
            .bind(2, store.sealer("receipt").seal(receipt, binding: Array("receipt".utf8) + encodeSeq(seq)))
            .run()
    }

    /// Records `nonce` as the last nonce of `account`.
    package func putNonce(account: [UInt8], nonce: UInt64) throws {
        let row = HMACSHA256.authenticate(key: store.nonceMacKey, data: account)
        try connection.statement("INSERT OR REPLACE INTO nonces(account, sealed) VALUES (?, ?)")
            .bind(1, row).bind(2, store.sealer("nonce").seal(account + encodeSeq(nonce), binding: Array("nonce".utf8) + row)).run()
    }

    /// Records the cluster this store follows and the revision of the last entry applied.
    package func setClusterPosition(prefix: String, revision: Int64) throws {
        var plain = withUnsafeBytes(of: revision.littleEndian) { Array($0) }
        plain += Array(prefix.utf8)
        try connection.statement("INSERT OR REPLACE INTO meta(name, value) VALUES ('cluster', ?)")
            .bind(1, store.sealer("meta").seal(plain, binding: Array("cluster".utf8))).run()
    }

    /// Records the summary of the state (sealed; its format is the runtime's).
    package func setStateSummary(_ plain: [UInt8]) throws {
        try connection.statement("INSERT OR REPLACE INTO meta(name, value) VALUES ('state', ?)")
            .bind(1, store.sealer("meta").seal(plain, binding: Array("state".utf8))).run()
    }

    package func setLastSeq(_ seq: UInt64) throws {
        try connection.statement("INSERT OR REPLACE INTO meta(name, value) VALUES ('last_seq', ?)").bind(1, encodeSeq(seq)).run()
    }
}
