import FatCodec
import FatCrypto
import FatStore

/// What a cluster keeps in etcd, under its key prefix, every value sealed with a key derived from
/// the cluster's master key (whoever runs etcd reads no command) and bound to its etcd key (a
/// value moved to another key does not open):
///
/// - `<prefix>log/<batch id>`: a batch of commands one host ordered, created once. Its revision
///   is its place in the one order.
/// - `<prefix>barrier`: rewritten by a host that catches up (see `ClusterLog.catchUp`).
/// - `<prefix>out/<revision>`: the decision on the batch at that revision, created once by the
///   first host that applied it (the host that proposed it, unless it went away): the machine
///   outcomes its commands recorded, the sequence number after it and a digest of its results,
///   which every other host applies and checks.
struct ClusterKeys {
    let prefix: [UInt8]

    init(prefix: String) { self.prefix = Array(prefix.utf8) }

    /// The first key past every key under the prefix.
    var end: [UInt8] {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return [0]
    }

    var logPrefix: [UInt8] { prefix + Array("log/".utf8) }
    /// Rewritten by a host that needs to know it has heard everything before now (its revision
    /// is etcd's newest when written, and the watch shows it in order).
    var barrier: [UInt8] { prefix + Array("barrier".utf8) }
    var decisionPrefix: [UInt8] { prefix + Array("out/".utf8) }

    func batch(_ id: [UInt8]) -> [UInt8] { logPrefix + Array(id.hexString.utf8) }

    func decision(_ revision: Int64) -> [UInt8] {
        let digits = String(revision)
        return decisionPrefix + Array((String(repeating: "0", count: max(0, 20 - digits.count)) + digits).utf8)
    }

    /// The revision a decision key names, if `key` is one.
    func decisionRevision(_ key: [UInt8]) -> Int64? {
        guard key.starts(with: decisionPrefix) else { return nil }
        return Int64(String(decoding: key.dropFirst(decisionPrefix.count), as: UTF8.self))
    }
}

/// A batch of commands as one host ordered them: the commands in their order and the time the
/// host gave them (the applier keeps timestamps monotonic).
struct ClusterBatch {
    static let format: UInt8 = 1
    let id: [UInt8]
    let timestampMs: UInt64
    let commands: [Command]

    /// `1 ‖ id[16] ‖ timestamp_ms:u64 ‖ Vec<Vec<u8>>` of the commands as log entries (format 4).
    func encoded() -> [UInt8] { Self.encoded(id: id, timestampMs: timestampMs, entries: commands.map(Self.entry)) }

    /// A command as a batch carries it: a log entry whose sequence number and timestamp are the
    /// applier's to give (only the command is read back).
    static func entry(_ command: Command) -> [UInt8] { LogEntry(seq: 0, timestampMs: 0, command: command).encoded() }

    /// The batch of `entries` (each from `entry(_:)`), encoded once by the proposer that sized them.
    static func encoded(id: [UInt8], timestampMs: UInt64, entries: [[UInt8]]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(format)
        encoder.appendBytes(id)
        encoder.append(timestampMs)
        encoder.appendCompact(UInt128(entries.count))
        for entry in entries { encoder.appendByteVector(entry) }
        return encoder.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> ClusterBatch {
        var decoder = ScaleDecoder(bytes)
        guard try decoder.readU8() == format else { throw FatError(.storeCorrupt, "a cluster entry has an unknown format") }
        let id = try decoder.readBytes(count: 16)
        let timestamp = try decoder.readU64()
        var commands: [Command] = []
        for _ in 0 ..< (try decoder.readLength(what: "commands")) {
            commands.append(try LogEntry.decode(try decoder.readByteVector()).command)
        }
        guard decoder.isAtEnd else { throw FatError(.storeCorrupt, "a cluster entry has bytes past its end") }
        return ClusterBatch(id: id, timestampMs: timestamp, commands: commands)
    }
}

/// The decision on one batch (see `ClusterKeys`).
struct ClusterDecision: Equatable {
    static let format: UInt8 = 1
    /// The last sequence number once the batch is applied.
    let seqAfter: UInt64
    /// BLAKE2b-256 over every command's result (its receipt, or why it was not logged).
    let digest: [UInt8]
    /// Per command: the machine outcomes it recorded, nil for a command that was not logged.
    let outcomes: [MachineOutcomes?]

    init(_ result: BatchResult) {
        self.init(seqAfter: result.world.seq, results: result.results, outcomes: result.machineOutcomes)
    }

    init(seqAfter: UInt64, results: [Result<Receipt, Error>], outcomes: [MachineOutcomes?]) {
        self.init(seqAfter: seqAfter, digest: Self.digest(results), outcomes: outcomes)
    }

    private init(seqAfter: UInt64, digest: [UInt8], outcomes: [MachineOutcomes?]) {
        self.seqAfter = seqAfter
        self.digest = digest
        self.outcomes = outcomes
    }

    static func digest(_ results: [Result<Receipt, Error>]) -> [UInt8] {
        var encoder = ScaleEncoder()
        for result in results {
            switch result {
            case let .success(receipt):
                encoder.append(UInt8(0))
                encoder.appendByteVector(receipt.encoded())
            case let .failure(error):
                let error = FatError(wrapping: error)
                encoder.append(UInt8(1))
                encoder.appendString(error.code.rawValue)
                encoder.appendString(error.message)
            }
        }
        return Blake2b.hash256(encoder.bytes)
    }

    /// `1 ‖ seq_after:u64 ‖ digest[32] ‖ Vec<Option<MachineOutcomes>>`.
    func encoded() -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(Self.format)
        encoder.append(seqAfter)
        encoder.appendBytes(digest)
        encoder.appendCompact(UInt128(outcomes.count))
        for outcome in outcomes {
            if let outcome {
                encoder.append(UInt8(1))
                outcome.encode(into: &encoder)
            } else {
                encoder.append(UInt8(0))
            }
        }
        return encoder.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> ClusterDecision {
        var decoder = ScaleDecoder(bytes)
        guard try decoder.readU8() == format else { throw FatError(.storeCorrupt, "a cluster decision has an unknown format") }
        let seqAfter = try decoder.readU64()
        let digest = try decoder.readBytes(count: 32)
        var outcomes: [MachineOutcomes?] = []
        for _ in 0 ..< (try decoder.readLength(what: "outcomes")) {
            outcomes.append(try decoder.readU8() == 1 ? try MachineOutcomes.decode(from: &decoder) : nil)
        }
        guard decoder.isAtEnd else { throw FatError(.storeCorrupt, "a cluster decision has bytes past its end") }
        return ClusterDecision(seqAfter: seqAfter, digest: digest, outcomes: outcomes)
    }
}
