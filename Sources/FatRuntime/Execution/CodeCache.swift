import FatCrypto
import FatStore
import Foundation

/// Prepared code by hash: each code is validated and loaded (or compiled) once and then shared
/// by every contract that runs it.
///
/// Bounded: when the prepared code's footprint passes `budget` bytes, the least recently used
/// evictable code (Wasm) is dropped, to be prepared again from the store when next needed.
/// Native code, once loaded, stays. The cache only saves work: whether code may run at all is
/// the world state's to say (`WorldState.codes`), never the cache's. **Thread-safe.**
package final class CodeCache: @unchecked Sendable {
    /// A class, so a hit updates its use without writing the dictionary.
    private final class Entry {
        let code: PreparedCode
        var lastUse: UInt64

        init(code: PreparedCode, lastUse: UInt64) {
            self.code = code
            self.lastUse = lastUse
        }
    }

    private let lock = NSLock()
    private var entries: [ByteKey: Entry] = [:]
    private var footprint = 0
    private var clock: UInt64 = 0
    private let engines: [CodeKind: ContractEngine]
    let budget: Int

    /// The footprint a host's code cache may hold by default.
    public static let defaultBudget = 512 << 20

    init(engines: [ContractEngine], budget: Int = CodeCache.defaultBudget) {
        self.engines = Dictionary(uniqueKeysWithValues: engines.map { ($0.kind, $0) })
        self.budget = budget
    }

    /// The prepared code for `hash`, if the cache holds it (as code of `kind`, when given).
    func cached(_ hash: CodeHash, kind: CodeKind? = nil) -> PreparedCode? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[ByteKey(hash)], kind == nil || entry.code.kind == kind else { return nil }
        clock &+= 1
        entry.lastUse = clock
        return entry.code
    }

    /// The prepared code for a stored record, preparing it on first use.
    func code(_ record: CodeRecord) throws -> PreparedCode {
        guard let kind = CodeKind(rawValue: record.kind) else {
            throw FatError(.storeCorrupt, "code 0x\(record.hash.hexString) has unknown kind \(record.kind)")
        }
        return try prepare(kind: kind, hash: record.hash, bytes: record.bytes)
    }

    /// Validates and prepares code whose hash the caller has checked, remembering it under it.
    func prepare(kind: CodeKind, hash: CodeHash, bytes: [UInt8]) throws -> PreparedCode {
        if let code = cached(hash, kind: kind) { return code }
        guard let engine = engines[kind] else {
            throw FatError(.badArtifact, "this host has no engine for \(kind.rawValue) code")
        }
        let code = try engine.prepare(hash: hash, bytes: bytes)
        lock.lock()
        defer { lock.unlock() }
        let key = ByteKey(hash)
        clock &+= 1
        if let existing = entries[key], existing.code.kind == kind {
            existing.lastUse = clock
            return existing.code
        }
        if let other = entries[key] { footprint -= other.code.footprint }
        entries[key] = Entry(code: code, lastUse: clock)
        footprint += code.footprint
        evictOverBudget(keeping: key)
        return code
    }

    /// Drops least recently used evictable code until the footprint fits the budget.
    private func evictOverBudget(keeping kept: ByteKey) {
        while footprint > budget {
            guard let (key, entry) = entries.filter({ $0.key != kept && $0.value.code.evictable }).min(by: { $0.value.lastUse < $1.value.lastUse })
            else { return }
            entries[key] = nil
            footprint -= entry.code.footprint
        }
    }

    /// How many codes the cache holds, and their footprint.
    var usage: (codes: Int, bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (entries.count, footprint)
    }
}
