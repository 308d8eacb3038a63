import FatCrypto
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
        let replica = try FatHost(
            dataDirectory: scratch, masterKeyPath: nil, create: true, engines: engines,
            capabilities: capabilities.configuration, authority: .local, limits: limits,
            contractKeySecret: capabilities.keys.secret)
        defer { replica.close() }
        var mismatches: [String] = []
        var replayed = 0
        for (entry, receipt) in try logEntries() {
            // Entries from before format 3 name their code by hash only: it comes from the live
            // store's code table (content-addressed, checked by its hash when it is prepared).
            // Later entries bring their code, so the log alone rebuilds them.
            if entry.format < 3, entry.command.code == nil, let codeHash = entry.command.action.codeHash,
                let record = try FatHost.wrapStore({ try store.readOnWriterConnection { try $0.code(codeHash) } })
            {
                let document = try record.metadataHash.flatMap { hash in
                    try FatHost.wrapStore { try store.readOnWriterConnection { try $0.metadata(hash) } }
                }
                var legacy = entry.command
                guard let kind = CodeKind(rawValue: record.kind) else {
                    throw FatError(.storeCorrupt, "code 0x\(codeHash.hexString) has unknown kind \(record.kind)")
                }
                if record.metadataHash != nil, document == nil {
                    throw FatError(.storeCorrupt, "the metadata document of code 0x\(codeHash.hexString) is missing from the store")
                }
                legacy.code = CodeUpload(kind: kind, bytes: record.bytes, metadata: document ?? [])
                if case let .deploy(hash, _, input, salt) = legacy.action {
                    legacy.action = .deploy(codeHash: hash, metadataHash: record.metadataHash, input: input, salt: salt)
                } else if case let .upload(hash, _) = legacy.action {
                    legacy.action = .upload(codeHash: hash, metadataHash: record.metadataHash)
                }
                _ = try replica.submitReplay(
                    LogEntry(seq: entry.seq, timestampMs: entry.timestampMs, command: legacy), compareWith: receipt,
                    mismatches: &mismatches)
            } else {
                _ = try replica.submitReplay(entry, compareWith: receipt, mismatches: &mismatches)
            }
            replayed += 1
        }
        // Both sides from their databases, computed from scratch, so persistence and the summary
        // each commit carried forward are checked too.
        let liveSummary = try FatHost.wrapStore { try store.readOnWriterConnection { try StateSummary.load($0) } }
        let liveScan = try FatHost.wrapStore { try store.readOnWriterConnection { try StateScan.summary($0) } }
        let rebuilt = try FatHost.wrapStore { try replica.store.readOnWriterConnection { try StateScan.summary($0) } }
        if liveSummary.root != liveScan.root || liveSummary.contractCount != liveScan.contractCount {
            mismatches.append(
                "the state summary kept with the store (root 0x\(liveSummary.root.hexString), \(liveSummary.contractCount) contracts) differs from the state the store holds (root 0x\(liveScan.root.hexString), \(liveScan.contractCount) contracts)"
            )
        }
        if liveScan.root != rebuilt.root {
            mismatches += try contractMismatches(replica)
        }
        return VerifyReport(
            commandsReplayed: replayed, liveRoot: liveSummary.root, replayedRoot: rebuilt.root,
            mismatches: mismatches, integrityProblems: integrity)
    }

    /// Where the live state and a replica's differ: contract by contract (record and storage),
    /// then stored code.
    private func contractMismatches(_ replica: FatHost) throws -> [String] {
        func digests(_ host: FatHost) throws -> [AccountId: [UInt8]] {
            try FatHost.wrapStore {
                try host.store.readOnWriterConnection { reader in
                    var digests: [AccountId: [UInt8]] = [:]
                    try StateScan.forEachContract(reader) { address, digest in digests[address] = Blake2b.hash256(digest.bytes) }
                    return digests
                }
            }
        }
        var mismatches: [String] = []
        let live = try digests(self)
        let rebuilt = try digests(replica)
        for address in Set(live.keys).union(rebuilt.keys).sorted() where live[address] != rebuilt[address] {
            mismatches.append(
                "contract \(address): live digest \(live[address].map { "0x" + $0.hexString } ?? "absent"), replayed digest \(rebuilt[address].map { "0x" + $0.hexString } ?? "absent")"
            )
        }
        let liveCodes = Set(try FatHost.wrapStore { try store.readOnWriterConnection { try $0.codeInfos() } }.map(\.hash))
        let rebuiltCodes = Set(try FatHost.wrapStore { try replica.store.readOnWriterConnection { try $0.codeInfos() } }.map(\.hash))
        for hash in liveCodes.symmetricDifference(rebuiltCodes).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            mismatches.append(
                "code 0x\(hash.hexString): \(liveCodes.contains(hash) ? "stored live but not by the replayed log" : "stored by the replayed log but not live")"
            )
        }
        return mismatches
    }

    /// Replays `entry` and notes when it ends otherwise than its `receipt` says.
    private func submitReplay(_ entry: LogEntry, compareWith receipt: Receipt?, mismatches: inout [String]) throws -> Receipt {
        let again = try submitReplay(entry)
        if let receipt, !FatHost.endSame(receipt, again) {
            mismatches.append("command #\(entry.seq): the receipt says \(receipt.outcome), the replay gave \(again.outcome)")
        }
        return again
    }
}
