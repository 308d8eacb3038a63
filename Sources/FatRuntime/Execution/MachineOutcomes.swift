import FatCodec

/// The outcomes of a command's native calls that the machine decided rather than the log: a
/// worker that crashed, a call stopped at its deadline, a worker that could not start. Another
/// machine (or the same one, later) might decide otherwise, so the host that first applies a
/// command records them in its log entry by the call's number within the command, and every
/// replay — `fat verify`, a restarted host, another host of a cluster — takes the recorded
/// outcome instead of running that call again. Everything else in a command is decided by the
/// log alone.
public struct MachineOutcomes: Sendable, Equatable {
    /// Recorded outcomes by native call number (0 is the command's first native call).
    public private(set) var recorded: [UInt32: FatError] = [:]
    /// Native calls the command has started so far.
    private(set) var calls: UInt32 = 0

    public init(recorded: [UInt32: FatError] = [:]) { self.recorded = recorded }

    public var isEmpty: Bool { recorded.isEmpty }

    /// Numbers the next native call; answers its recorded outcome if there is one.
    mutating func startCall() -> (number: UInt32, recorded: FatError?) {
        defer { calls &+= 1 }
        return (calls, recorded[calls])
    }

    mutating func record(_ error: FatError, forCall number: UInt32) { recorded[number] = error }

    func encode(into encoder: inout ScaleEncoder) {
        encoder.appendCompact(UInt128(recorded.count))
        for (number, error) in recorded.sorted(by: { $0.key < $1.key }) {
            encoder.append(number)
            encoder.appendString(error.code.rawValue)
            encoder.appendString(error.message)
        }
    }

    static func decode(from decoder: inout ScaleDecoder) throws -> MachineOutcomes {
        var outcomes = MachineOutcomes()
        for _ in 0 ..< (try decoder.readLength(what: "machine outcomes")) {
            let number = try decoder.readU32()
            outcomes.recorded[number] = FatError(FatError.Code(rawValue: try decoder.readString()), try decoder.readString())
        }
        return outcomes
    }
}
