/// Code as stored: its kind ("native" or "wasm"), its bytes, and the hash of the metadata document
/// its first upload carried (the metadata of contracts instantiated from it without their own).
package struct CodeRecord: Sendable {
    package let hash: [UInt8]
    package let kind: String
    package let bytes: [UInt8]
    package let metadataHash: [UInt8]?

    package init(hash: [UInt8], kind: String, bytes: [UInt8], metadataHash: [UInt8]?) {
        self.hash = hash
        self.kind = kind
        self.bytes = bytes
        self.metadataHash = metadataHash
    }
}

/// What the store says of a code without opening its bytes.
package struct CodeInfoRecord: Sendable {
    package let hash: [UInt8]
    package let kind: String
    package let metadataHash: [UInt8]?
}

/// A deployed contract: its address, the code it runs, and host bookkeeping (`info`, opaque here).
package struct ContractRecord: Sendable {
    package let address: [UInt8]
    package let codeHash: [UInt8]
    package let info: [UInt8]

    package init(address: [UInt8], codeHash: [UInt8], info: [UInt8]) {
        self.address = address
        self.codeHash = codeHash
        self.info = info
    }
}

func encodeSeq(_ seq: UInt64) -> [UInt8] { withUnsafeBytes(of: seq.littleEndian) { Array($0) } }
