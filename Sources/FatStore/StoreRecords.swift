/// Code as stored: its kind ("native" or "wasm"), its bytes, and the hash of the metadata document
/// its first upload carried (the metadata of contracts instantiated from it without their own).
public struct CodeRecord: Sendable {
    public let hash: [UInt8]
    public let kind: String
    public let bytes: [UInt8]
    public let metadataHash: [UInt8]?

    public init(hash: [UInt8], kind: String, bytes: [UInt8], metadataHash: [UInt8]?) {
        self.hash = hash
        self.kind = kind
        self.bytes = bytes
        self.metadataHash = metadataHash
    }
}

/// What the store says of a code without opening its bytes.
public struct CodeInfoRecord: Sendable {
    public let hash: [UInt8]
    public let kind: String
    public let metadataHash: [UInt8]?
}

/// A deployed contract: its address, the code it runs, and host bookkeeping (`info`, opaque here).
public struct ContractRecord: Sendable {
    public let address: [UInt8]
    public let codeHash: [UInt8]
    public let info: [UInt8]

    public init(address: [UInt8], codeHash: [UInt8], info: [UInt8]) {
        self.address = address
        self.codeHash = codeHash
        self.info = info
    }
}

/// One stored event: the command that emitted it, its index in that command, the contract.
public struct EventRecord: Sendable {
    public let seq: UInt64
    public let index: Int
    public let contract: [UInt8]
    public let bytes: [UInt8]

    public init(seq: UInt64, index: Int, contract: [UInt8], bytes: [UInt8]) {
        self.seq = seq
        self.index = index
        self.contract = contract
        self.bytes = bytes
    }
}

func encodeSeq(_ seq: UInt64) -> [UInt8] { withUnsafeBytes(of: seq.littleEndian) { Array($0) } }
