import FatStore
import Foundation

/// What `verify` found.
public struct VerifyReport: Sendable {
    public let commandsReplayed: Int
    public let liveRoot: [UInt8]
    public let replayedRoot: [UInt8]
    /// Contracts whose roots differ, and commands whose replayed outcome differs from the receipt.
    public let mismatches: [String]
    /// Problems SQLite's integrity check found in the live database.
    public let integrityProblems: [String]

    public var ok: Bool { liveRoot == replayedRoot && mismatches.isEmpty && integrityProblems.isEmpty }
}

extension FatHost {
    /// Two receipts end the same way: the same success or revert with the same output, or both
    /// failed (a failure's message may differ: a failed deploy's code is not kept, for one).
    static func endSame(_ a: Receipt, _ b: Receipt) -> Bool {
        switch (a.outcome, b.outcome) {
        case (.failed, .failed): true
        default: a.outcome == b.outcome && a.output == b.output
        }
    }

    /// Rebuilds the state from the command log alone in a scratch store (with a throwaway key),
    /// and compares its state root, contract by contract, with the live store's; also checks
    /// that every replayed command ends as its receipt says.
    public func verify() throws -> VerifyReport {
        let integrity = try FatHost.wrapStore { try store.integrityCheck() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fat-verify-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let capabilities = dispatcher.capabilities
        let replica = try FatHost(dataDirectory: scratch, masterKeyPath: nil, create: true, engines: nil,
                                  capabilities: capabilities.configuration, contractKeySecret: capabilities.keys.secret)
        defer { replica.close() }
        // Code is content-addressed: copy it as it is, checked by its hash when it is prepared.
        try FatHost.wrapStore {
            let codes = try store.readLatest { reader in try reader.codeHashes().compactMap { try reader.code($0) } }
            try replica.store.write { writer in for code in codes { try writer.putCode(code) } }
        }
        var mismatches: [String] = []
        var replayed = 0
        for (entry, receipt) in try logEntries() {
            let again = try replica.submitReplay(entry)
            replayed += 1
            if let receipt, !FatHost.endSame(receipt, again) {
                mismatches.append("command #\(entry.seq): the receipt says \(receipt.outcome), the replay gave \(again.outcome)")
            }
        }
        // Reload both sides from their databases, so persistence is checked too.
        let live = try FatHost.wrapStore { try store.readLatest { try loadWorld($0) } }
        let rebuilt = try FatHost.wrapStore { try replica.store.readLatest { try replica.loadWorld($0) } }
        for address in Set(live.contracts.keys).union(rebuilt.contracts.keys).sorted() {
            let liveRoot = live.contracts[address]?.root(address: address)
            let rebuiltRoot = rebuilt.contracts[address]?.root(address: address)
            if liveRoot != rebuiltRoot {
                mismatches.append("contract \(address): live root \(liveRoot.map { "0x" + $0.hexString } ?? "absent"), replayed root \(rebuiltRoot.map { "0x" + $0.hexString } ?? "absent")")
            }
        }
        return VerifyReport(commandsReplayed: replayed, liveRoot: live.root, replayedRoot: rebuilt.root,
                            mismatches: mismatches, integrityProblems: integrity)
    }
}
