import FatStore
import Foundation

/// Prepared code by hash: each code is validated and loaded (or compiled) once per process and
/// then shared by every contract that runs it. **Thread-safe.**
public final class CodeCache: @unchecked Sendable {
    private let lock = NSLock()
    private var prepared: [ByteKey: PreparedCode] = [:]
    private let engines: [CodeKind: ContractEngine]
    private let fetch: @Sendable (CodeHash) throws -> CodeRecord?

    init(engines: [ContractEngine], fetch: @escaping @Sendable (CodeHash) throws -> CodeRecord?) {
        self.engines = Dictionary(uniqueKeysWithValues: engines.map { ($0.kind, $0) })
        self.fetch = fetch
    }

    /// The prepared code for `hash`, loading it from the store on first use.
    func code(_ hash: CodeHash) throws -> PreparedCode {
        lock.lock()
        if let code = prepared[ByteKey(hash)] {
            lock.unlock()
            return code
        }
        lock.unlock()
        guard let record = try fetch(hash) else {
            throw FatError(.unknownCode, "no code with hash 0x\(hash.hexString) is stored")
        }
        guard let kind = CodeKind(rawValue: record.kind) else {
            throw FatError(.storeCorrupt, "code 0x\(hash.hexString) has unknown kind \(record.kind)")
        }
        let code = try prepare(kind: kind, hash: hash, bytes: record.bytes, metadata: record.metadata)
        return code
    }

    /// Validates and prepares code, remembering it under its hash.
    func prepare(kind: CodeKind, hash: CodeHash, bytes: [UInt8], metadata: [UInt8]) throws -> PreparedCode {
        lock.lock()
        if let code = prepared[ByteKey(hash)] {
            lock.unlock()
            return code
        }
        lock.unlock()
        guard let engine = engines[kind] else {
            throw FatError(.badArtifact, "this host has no engine for \(kind.rawValue) code")
        }
        let code = try engine.prepare(hash: hash, bytes: bytes, metadata: metadata)
        lock.lock()
        defer { lock.unlock() }
        if let existing = prepared[ByteKey(hash)] { return existing }
        prepared[ByteKey(hash)] = code
        return code
    }
}
