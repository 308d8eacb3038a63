import FatCodec

/// Code ready to run: validated, loaded (native) or compiled (Wasm).
///
/// **Thread-safe**: queries execute the same prepared code from several threads at once.
public protocol PreparedCode: AnyObject, Sendable {
    var kind: CodeKind { get }
    var hash: CodeHash { get }
    /// The message model the code declares about itself (a native contract's descriptor); nil
    /// for Wasm code, which metadata documents describe.
    var intrinsicMetadata: ContractMetadata? { get }
    /// About how many bytes of memory the prepared code holds: what the code cache counts.
    var footprint: Int { get }
    /// Whether the code cache may drop it and prepare it again later (native code, once loaded,
    /// stays loaded for the life of the process).
    var evictable: Bool { get }

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
    /// Validates and prepares `bytes`, whose BLAKE2b-256 the caller has checked is `hash`.
    /// Throws a `FatError` naming the cause for bad code.
    func prepare(hash: CodeHash, bytes: [UInt8]) throws -> PreparedCode
}
