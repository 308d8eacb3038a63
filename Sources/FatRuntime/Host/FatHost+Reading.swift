import FatCodec
import FatCrypto
import FatStore

/// What a host tells about itself, its contracts and its log.
extension FatHost {
    /// The native contract ABI this host offers, as `MAJOR.MAXMINOR`.
    public static var nativeABIVersion: String { "\(NativeContractLoader.offeredMajor).\(NativeContractLoader.offeredMaxMinor)" }

    /// The highest nonce logged for `account` (0 when it has none): its next command needs more.
    public func lastNonce(of account: AccountId) throws -> UInt64 { try read { $0.nonce(account) } }

    /// The contract at `address` in the latest committed state, or nil.
    public func contract(_ address: AccountId) throws -> ContractState? { try read { $0.contract(address) } }

    /// Whether code `hash` (and, when given, metadata document `metadataHash`) is stored.
    public func isStored(code hash: CodeHash, metadata metadataHash: MetadataHash? = nil) throws -> Bool {
        try read { world in world.code(hash) != nil && metadataHash.map(world.hasMetadata) != false }
    }

    /// Every account with a logged nonce, every contract and every stored code hash, as the
    /// store holds them now: enumerations for the node face's key listings. Each reads its whole
    /// table (O(its size)), unlike the point reads above.
    public func accountsWithNonces() throws -> [AccountId] {
        try FatHost.wrapStore { try store.reader().snapshot { try $0.nonces().map { AccountId(unchecked: $0.account) } } }
    }

    public func contractAddresses() throws -> [AccountId] {
        try FatHost.wrapStore { try store.reader().snapshot { try $0.contractAddresses().map { AccountId(unchecked: $0) } } }
    }

    public func storedCodeHashes() throws -> [CodeHash] {
        try FatHost.wrapStore { try store.reader().snapshot { try $0.codeInfos().map(\.hash) } }
    }

    /// One contract's digest (its record and every storage entry), computed from the store: what
    /// tests compare to see that a contract's state did not change. Nil when there is none.
    package func contractDigest(_ address: AccountId) throws -> [UInt8]? {
        try FatHost.wrapStore {
            try store.reader().snapshot { reader in try StateScan.contractDigest(reader, address).map { Blake2b.hash256($0.bytes) } }
        }
    }

    /// The message model of a contract: its native descriptor, or the metadata document its
    /// deployer chose (else the one its code's first upload carried).
    public func metadata(of contract: AccountId) throws -> ContractMetadata {
        try describe(contract: contract).metadata
    }

    /// What a contract runs and how it is described.
    public func describe(contract: AccountId) throws -> CodeDescription {
        try read { world in
            guard let state = world.contract(contract) else { throw FatError(.unknownContract, "no contract at \(contract)") }
            return try describe(codeHash: state.codeHash, metadataHash: state.metadataHash, in: world)
        }
    }

    /// What stored code is, described by `metadataHash` (nil: the document its first upload carried).
    public func describe(codeHash: CodeHash, metadataHash: MetadataHash?) throws -> CodeDescription {
        try read { try describe(codeHash: codeHash, metadataHash: metadataHash, in: $0) }
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
