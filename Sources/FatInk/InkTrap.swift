/// Why a Wasm contract stopped abnormally: a Wasm trap, running out of gas, a host function
/// refusing its arguments (a guest pointer out of bounds, a buffer too small), or an error from
/// the host. Carries the gas used and the contract's debug messages so the receipt says why.
public struct InkTrap: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public let isOutOfGas: Bool
    /// Stopped at a host function because the query's deadline had passed.
    public let isPastDeadline: Bool
    public let gasUsed: UInt64

    public init(reason: String, isOutOfGas: Bool = false, isPastDeadline: Bool = false, gasUsed: UInt64 = 0) {
        self.reason = reason
        self.isOutOfGas = isOutOfGas
        self.isPastDeadline = isPastDeadline
        self.gasUsed = gasUsed
    }

    public var description: String {
        if isOutOfGas { return "ran out of gas (\(gasUsed) used)" }
        if isPastDeadline { return "the query ran past its deadline and was stopped (\(gasUsed) gas used)" }
        return "contract trapped: \(reason)"
    }
}

/// A Wasm module that cannot be a contract here, and why.
public struct InkCodeError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Thrown by host functions to stop execution: `seal_return` ends the call on purpose, the other
/// cases are traps.
enum HostStop: Error {
    case returned(flags: UInt32, data: [UInt8])
    case terminated
    case trap(String)
    /// The call's gas ran out paying for a host function.
    case outOfGas
    /// The query's deadline had passed when the contract called the host.
    case pastDeadline
}
