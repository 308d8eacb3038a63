import FatCodec

/// A command as the log holds it: the command, with the code it brings, plus the sequence number
/// and timestamp the host gave it when it was appended. Replaying the same entries gives the
/// same state.
public struct LogEntry: Sendable {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let command: Command
    /// The format the entry was written in. Entries before format 3 carry no code (their code is
    /// in the store's code table) and were signed without the host's genesis id.
    public let format: UInt8
    /// What the machine decided about the command's native calls when it was first applied (a
    /// crash, a deadline): replays take these instead of running those calls again.
    public let machineOutcomes: MachineOutcomes

    public static let currentFormat: UInt8 = 4

    public init(seq: UInt64, timestampMs: UInt64, command: Command, machineOutcomes: MachineOutcomes = MachineOutcomes()) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.command = command
        self.machineOutcomes = machineOutcomes
        format = Self.currentFormat
    }

    private init(seq: UInt64, timestampMs: UInt64, command: Command, format: UInt8, machineOutcomes: MachineOutcomes) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.command = command
        self.format = format
        self.machineOutcomes = machineOutcomes
    }

    /// Format 4 (format 3 without the last field):
    ///
    ///     4 ‖ seq:u64 ‖ timestamp_ms:u64 ‖ caller[32] ‖ action (as signed) ‖ value:u128 ‖ gas_limit:u64
    ///       ‖ signature:Option<(scheme:u8, Vec<u8>)> ‖ nonce:Option<u64> ‖ expires_at_ms:u64
    ///       ‖ code:Option<(kind:u8, code:Vec<u8>, metadata:Vec<u8>)>
    ///       ‖ machine_outcomes:Vec<(call:u32, code:String, message:String)>
    public func encoded() -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(Self.currentFormat)
        encoder.append(seq)
        encoder.append(timestampMs)
        encoder.appendBytes(command.caller.bytes)
        command.action.signed.encode(into: &encoder)
        encoder.append(command.value)
        encoder.append(command.gasLimit)
        if let signature = command.signature {
            encoder.append(UInt8(1))
            encoder.append(signature.scheme.rawValue)
            encoder.appendByteVector(signature.bytes)
        } else {
            encoder.append(UInt8(0))
        }
        if let nonce = command.nonce {
            encoder.append(UInt8(1))
            encoder.append(nonce)
        } else {
            encoder.append(UInt8(0))
        }
        encoder.append(command.expiresAtMs)
        if let code = command.code {
            encoder.append(UInt8(1))
            encoder.append(code.kind.tag)
            encoder.appendByteVector(code.bytes)
            encoder.appendByteVector(code.metadata)
        } else {
            encoder.append(UInt8(0))
        }
        machineOutcomes.encode(into: &encoder)
        return encoder.bytes
    }

    /// Reads formats 1, 2 (format 1 followed by the nonce and the expiry), 3 and 4.
    public static func decode(_ bytes: [UInt8]) throws -> LogEntry {
        var decoder = ScaleDecoder(bytes)
        let format = try decoder.readU8()
        guard (1 ... 4).contains(format) else { throw FatError(.storeCorrupt, "log entry has an unknown format version \(format)") }
        let seq = try decoder.readU64()
        let timestamp = try decoder.readU64()
        let caller = AccountId(unchecked: try decoder.readBytes(count: 32))
        let action = try Command.Action.decode(from: &decoder, format: format)
        let value = try decoder.readU128()
        let gasLimit = try decoder.readU64()
        var signature: Signature?
        if try decoder.readU8() == 1 {
            guard let scheme = Signature.Scheme(rawValue: try decoder.readU8()) else {
                throw FatError(.storeCorrupt, "log entry #\(seq) has an unknown signature scheme")
            }
            signature = Signature(scheme: scheme, bytes: try decoder.readByteVector())
        }
        var nonce: UInt64?
        var expiresAtMs: UInt64 = 0
        var code: CodeUpload?
        var machineOutcomes = MachineOutcomes()
        switch format {
        case 2:
            nonce = try decoder.readU64()
            expiresAtMs = try decoder.readU64()
        case 3, 4:
            if try decoder.readU8() == 1 { nonce = try decoder.readU64() }
            expiresAtMs = try decoder.readU64()
            if try decoder.readU8() == 1 {
                guard let kind = CodeKind(tag: try decoder.readU8()) else {
                    throw FatError(.storeCorrupt, "log entry #\(seq) carries code of an unknown kind")
                }
                code = CodeUpload(kind: kind, bytes: try decoder.readByteVector(), metadata: try decoder.readByteVector())
            }
            if format == 4 { machineOutcomes = try MachineOutcomes.decode(from: &decoder) }
        default:
            break
        }
        guard decoder.isAtEnd else { throw FatError(.storeCorrupt, "log entry #\(seq) has \(decoder.remaining) bytes past its end") }
        return LogEntry(
            seq: seq, timestampMs: timestamp,
            command: Command(
                caller: caller, action: action, value: value, gasLimit: gasLimit, signature: signature,
                code: code, nonce: nonce, expiresAtMs: expiresAtMs),
            format: format, machineOutcomes: machineOutcomes)
    }
}

extension Command.Action {
    /// Formats 1 and 2 wrote actions without metadata hashes.
    static func decode(from decoder: inout ScaleDecoder, format: UInt8) throws -> Command.Action {
        let withMetadata = format >= 3
        switch try decoder.readU8() {
        case 0:
            let codeHash = try decoder.readBytes(count: 32)
            let metadataHash = withMetadata ? try decoder.readOptionalHash(what: "metadata hash") : nil
            return .deploy(codeHash: codeHash, metadataHash: metadataHash, input: try decoder.readByteVector(), salt: try decoder.readByteVector())
        case 1:
            return .call(contract: AccountId(unchecked: try decoder.readBytes(count: 32)), input: try decoder.readByteVector())
        case 2:
            let codeHash = try decoder.readBytes(count: 32)
            return .upload(codeHash: codeHash, metadataHash: withMetadata ? try decoder.readOptionalHash(what: "metadata hash") : nil)
        case let tag:
            throw FatError(.storeCorrupt, "log entry has an unknown action \(tag)")
        }
    }
}
