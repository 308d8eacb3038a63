import FatCodec
import Foundation

/// Parsed metadata documents by hash, the least recently used dropped past `capacity` entries or
/// `maxBytes` of documents (a bundle's Wasm is not kept in the parsed model).
/// Documents are parsed (and so checked) before a command that brings one is logged; the cache
/// only saves parsing them again. **Thread-safe.**
final class MetadataCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [ByteKey: (metadata: ContractMetadata, size: Int, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    private var bytes = 0
    let capacity: Int
    let maxBytes: Int

    init(capacity: Int, maxBytes: Int = 64 << 20) {
        self.capacity = max(1, capacity)
        self.maxBytes = maxBytes
    }

    /// The parsed document `hash`, read with `load` when the cache does not hold it.
    func metadata(_ hash: MetadataHash, load: () throws -> [UInt8]?) throws -> ContractMetadata {
        if let cached = lookup(hash) { return cached }
        guard let document = try load() else {
            throw FatError(.unknownCode, "no metadata document 0x\(hash.hexString) is stored")
        }
        return try parse(document, hash: hash)
    }

    /// Parses `document`, whose hash is `hash`, and keeps it.
    func parse(_ document: [UInt8], hash: MetadataHash) throws -> ContractMetadata {
        if let cached = lookup(hash) { return cached }
        var metadata: ContractMetadata
        do { metadata = try ContractMetadata.parse(json: document) } catch {
            throw FatError(.badArtifact, "the contract's metadata does not parse: \(error)")
        }
        metadata.wasm = nil
        lock.lock()
        defer { lock.unlock() }
        clock &+= 1
        let key = ByteKey(hash)
        if let previous = entries[key] { bytes -= previous.size }
        entries[key] = (metadata, document.count, clock)
        bytes += document.count
        while entries.count > 1, entries.count > capacity || bytes > maxBytes,
            let oldest = entries.filter({ $0.key != key }).min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            entries[oldest.key] = nil
            bytes -= oldest.value.size
        }
        return metadata
    }

    private func lookup(_ hash: MetadataHash) -> ContractMetadata? {
        lock.lock()
        defer { lock.unlock() }
        let key = ByteKey(hash)
        guard let entry = entries[key] else { return nil }
        clock &+= 1
        entries[key] = (entry.metadata, entry.size, clock)
        return entry.metadata
    }

    /// The model of Wasm code that came without metadata: no messages are known by name.
    static func anonymous(_ codeHash: CodeHash) -> ContractMetadata {
        ContractMetadata(name: "wasm-\(codeHash.hexString.prefix(8))", version: "0.0.0")
    }
}
