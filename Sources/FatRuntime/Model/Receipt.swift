import FatCodec

/// An event emitted by a contract during a call.
public struct ContractEvent: Sendable, Equatable {
    public let contract: AccountId
    public let topics: [[UInt8]]
    public let data: [UInt8]

    public init(contract: AccountId, topics: [[UInt8]], data: [UInt8]) {
        self.contract = contract
        self.topics = topics
        self.data = data
    }
}

/// How a call ended.
public enum Outcome: Sendable, Equatable {
    /// Returned normally; its writes and events took effect.
    case success
    /// Reverted on purpose; its writes and events were rolled back; the output is revert data.
    case reverted
    /// Failed (trap, crash status, out of gas, bad input); its writes were rolled back.
    case failed(FatError)

    public var isSuccess: Bool { self == .success }
}

/// The record of one applied command, stored beside the log entry with the same sequence number.
public struct Receipt: Sendable {
    public let seq: UInt64
    public let timestampMs: UInt64
    public let caller: AccountId
    /// The contract called, or the address of the contract deployed (also when deploy failed).
    public let contract: AccountId
    public let isDeploy: Bool
    /// The selector of the message or constructor (first 4 bytes of the input).
    public let selector: [UInt8]
    public let outcome: Outcome
    public let output: [UInt8]
    public let events: [ContractEvent]
    /// Lines the contracts logged (native `log`, ink! `debug_message`).
    public let logs: [String]
    public let gasUsed: UInt64

    public init(
        seq: UInt64, timestampMs: UInt64, caller: AccountId, contract: AccountId, isDeploy: Bool, selector: [UInt8],
        outcome: Outcome, output: [UInt8], events: [ContractEvent], logs: [String], gasUsed: UInt64
    ) {
        self.seq = seq
        self.timestampMs = timestampMs
        self.caller = caller
        self.contract = contract
        self.isDeploy = isDeploy
        self.selector = selector
        self.outcome = outcome
        self.output = output
        self.events = events
        self.logs = logs
        self.gasUsed = gasUsed
    }

    public func encoded() -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(UInt8(1))
        encoder.append(seq)
        encoder.append(timestampMs)
        encoder.appendBytes(caller.bytes)
        encoder.appendBytes(contract.bytes)
        encoder.appendBool(isDeploy)
        encoder.appendByteVector(selector)
        switch outcome {
        case .success: encoder.append(UInt8(0))
        case .reverted: encoder.append(UInt8(1))
        case let .failed(error):
            encoder.append(UInt8(2))
            encoder.appendString(error.code.rawValue)
            encoder.appendString(error.message)
        }
        encoder.appendByteVector(output)
        encoder.appendCompact(UInt128(events.count))
        for event in events {
            encoder.appendBytes(event.contract.bytes)
            encoder.appendCompact(UInt128(event.topics.count))
            for topic in event.topics { encoder.appendByteVector(topic) }
            encoder.appendByteVector(event.data)
        }
        encoder.appendCompact(UInt128(logs.count))
        for line in logs { encoder.appendString(line) }
        encoder.append(gasUsed)
        return encoder.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> Receipt {
        var decoder = ScaleDecoder(bytes)
        guard try decoder.readU8() == 1 else { throw FatError(.storeCorrupt, "receipt has an unknown format version") }
        let seq = try decoder.readU64()
        let timestamp = try decoder.readU64()
        let caller = AccountId(unchecked: try decoder.readBytes(count: 32))
        let contract = AccountId(unchecked: try decoder.readBytes(count: 32))
        let isDeploy = try decoder.readBool()
        let selector = try decoder.readByteVector()
        let outcome: Outcome
        switch try decoder.readU8() {
        case 0: outcome = .success
        case 1: outcome = .reverted
        default:
            let code = try decoder.readString()
            outcome = .failed(FatError(FatError.Code(rawValue: code), try decoder.readString()))
        }
        let output = try decoder.readByteVector()
        var events: [ContractEvent] = []
        for _ in 0 ..< (try decoder.readLength(what: "events")) {
            let emitter = AccountId(unchecked: try decoder.readBytes(count: 32))
            var topics: [[UInt8]] = []
            for _ in 0 ..< (try decoder.readLength(what: "topics")) { topics.append(try decoder.readByteVector()) }
            events.append(ContractEvent(contract: emitter, topics: topics, data: try decoder.readByteVector()))
        }
        var logs: [String] = []
        for _ in 0 ..< (try decoder.readLength(what: "log lines")) { logs.append(try decoder.readString()) }
        let gasUsed = try decoder.readU64()
        return Receipt(
            seq: seq, timestampMs: timestamp, caller: caller, contract: contract, isDeploy: isDeploy, selector: selector,
            outcome: outcome, output: output, events: events, logs: logs, gasUsed: gasUsed)
    }
}
