import FatCodec

/// Code ready to run: validated, loaded (native) or compiled (Wasm), with its message model.
///
/// **Thread-safe**: queries execute the same prepared code from several threads at once.
public protocol PreparedCode: AnyObject, Sendable {
    var kind: CodeKind { get }
    var hash: CodeHash { get }
    var metadata: ContractMetadata { get }

    /// Runs `entry` with `input` (4-byte selector + SCALE args) in `frame`. Returns the output
    /// and whether the contract reverted; throws a `FatError` when the contract fails (the
    /// dispatcher then rolls the frame back).
    func execute(_ entry: Entry, input: [UInt8], frame: CallFrame) throws -> ExecutionResult
}

/// What a contract answered.
public struct ExecutionResult: Sendable {
    public let output: [UInt8]
    public let reverted: Bool

    public init(output: [UInt8], reverted: Bool) {
        self.output = output
        self.reverted = reverted
    }
}

/// Turns stored code into `PreparedCode`. One engine per code kind.
public protocol ContractEngine: Sendable {
    var kind: CodeKind { get }
    /// Validates and prepares code. Throws a `FatError` naming the cause for bad code.
    func prepare(hash: CodeHash, bytes: [UInt8], metadata: [UInt8]) throws -> PreparedCode
}
