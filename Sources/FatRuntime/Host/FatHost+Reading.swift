import FatCodec
import FatStore

/// What a host tells about itself, its contracts and its log.
extension FatHost {
    /// The native contract ABI this host offers, as `MAJOR.MAXMINOR`.
    public static var nativeABIVersion: String { "\(NativeContractLoader.offeredMajor).\(NativeContractLoader.offeredMaxMinor)" }

    /// The highest nonce logged for `account` (0 when it has none): its next command needs more.
    public func lastNonce(of account: AccountId) -> UInt64 { snapshot.nonces[account] ?? 0 }

    /// The message model of a contract: its native descriptor, or the metadata document its
    /// deployer chose (else the one its code's first upload carried).
    public func metadata(of contract: AccountId) throws -> ContractMetadata {
        try describe(contract: contract).metadata
    }

    /// What a contract runs and how it is described.
    public func describe(contract: AccountId) throws -> CodeDescription {
        let world = snapshot
        guard let state = world.contracts[contract] else { throw FatError(.unknownContract, "no contract at \(contract)") }
        return try describe(codeHash: state.codeHash, metadataHash: state.metadataHash, in: world)
    }

    /// What stored code is, described by `metadataHash` (nil: the document its first upload carried).
    public func describe(codeHash: CodeHash, metadataHash: MetadataHash?) throws -> CodeDescription {
        try describe(codeHash: codeHash, metadataHash: metadataHash, in: snapshot)
    }

    private func describe(codeHash: CodeHash, metadataHash: MetadataHash?, in world: WorldState) throws -> CodeDescription {
        guard let info = world.code(codeHash) else { throw FatError(.unknownCode, "no code with hash 0x\(codeHash.hexString) is stored") }
        let chosen = metadataHash ?? info.metadataHash
        let metadata: ContractMetadata
        switch info.kind {
        case .native:
            metadata = try storedCode(codeHash).intrinsicMetadata ?? ContractMetadata(name: "native", version: "0.0.0")
        case .wasm:
            let store = store
            metadata =
                try chosen.map { hash in try metadataCache.metadata(hash) { try FatHost.wrapStore { try store.reader().metadata(hash) } } }
                ?? MetadataCache.anonymous(codeHash)
        }
        return CodeDescription(kind: info.kind, codeHash: codeHash, metadataHash: chosen, metadata: metadata)
    }

    /// Stored code, prepared.
    func storedCode(_ hash: CodeHash) throws -> PreparedCode {
        if let code = codes.cached(hash, kind: .native) { return code }
        guard let record = try FatHost.wrapStore({ try store.reader().code(hash) }) else {
            throw FatError(.unknownCode, "no code with hash 0x\(hash.hexString) is stored")
        }
        return try codes.code(record)
    }

    /// Log entries from `seq` on, with their receipts, read on a connection of their own (the
    /// writer is never held up by a reader).
    public func logEntries(from seq: UInt64 = 1, limit: Int = .max) throws -> [(entry: LogEntry, receipt: Receipt?)] {
        try FatHost.wrapStore {
            try store.reader().snapshot { reader in
                let receipts = Dictionary(uniqueKeysWithValues: try reader.receipts(from: seq, limit: limit).map { ($0.seq, $0.receipt) })
                return try reader.logEntries(from: seq, limit: limit).map { row in
                    (try LogEntry.decode(row.entry), try receipts[row.seq].map(Receipt.decode))
                }
            }
        }
    }

    /// The receipts from `seq` on, in order (at most `limit`).
    public func receipts(from seq: UInt64, limit: Int = .max) throws -> [Receipt] {
        try FatHost.wrapStore {
            try store.reader().snapshot { reader in try reader.receipts(from: seq, limit: limit).map { try Receipt.decode($0.receipt) } }
        }
    }
}

extension FatHost {
    /// A contract's description as an ink! metadata document, for Substrate tools: the document
    /// its deployer chose (or its code's first upload carried) for Wasm code, and one generated
    /// from the descriptor for native code (`ContractMetadata.inkDocument`).
    public func inkMetadata(of contract: AccountId) throws -> [UInt8] {
        let description = try describe(contract: contract)
        if description.kind == .wasm, let hash = description.metadataHash,
            let document = try FatHost.wrapStore({ try store.reader().metadata(hash) })
        {
            return document
        }
        return Array(description.metadata.inkDocument(codeHash: description.codeHash).serialized(pretty: true).utf8)
    }
}
