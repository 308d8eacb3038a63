/// How a call made by a contract ended, as its caller sees it.
public struct InkCallResult: Sendable {
    public enum Status: Sendable, Equatable {
        case returned
        case reverted
        case trapped(String)
    }

    public var output: [UInt8]
    public var status: Status
    public var gasUsed: UInt64

    public init(output: [UInt8], status: Status, gasUsed: UInt64) {
        self.output = output
        self.status = status
        self.gasUsed = gasUsed
    }
}

/// What the host provides to an executing Wasm contract; the runtime implements it over its call
/// frame. Every method is called on the thread running the contract, during the call.
public protocol InkEnvironment: AnyObject {
    /// 32 bytes; all zero for an unsigned query.
    var caller: [UInt8] { get }
    var address: [UInt8] { get }
    var codeHash: [UInt8] { get }
    var valueTransferred: UInt128 { get }
    var balance: UInt128 { get }
    /// The command's sequence number.
    var blockNumber: UInt64 { get }
    /// The command's logged timestamp (ms).
    var timestampMs: UInt64 { get }
    var callerIsOrigin: Bool { get }
    var depth: Int { get }
    /// A query's wall-clock deadline (nil in a command, which is bounded by its gas only): host
    /// functions stop the contract once it has passed.
    var deadline: ContinuousClock.Instant? { get }
    func storageGet(_ key: [UInt8]) -> [UInt8]?
    /// Sets (non-nil) or clears a key; returns the size of the previous value, if any.
    func storageSet(_ key: [UInt8], _ value: [UInt8]?) -> Int?
    func depositEvent(topics: [[UInt8]], data: [UInt8])
    func debugMessage(_ text: String)
    /// Calls another contract (of any kind) through the host's dispatcher. Throws when the call
    /// is not allowed at all (reentrancy refused, value without a currency): the caller traps.
    func call(callee: [UInt8], input: [UInt8], value: UInt128, gasLimit: UInt64, allowReentry: Bool) throws -> InkCallResult
    func delegateCall(codeHash: [UInt8], input: [UInt8], gasLimit: UInt64) throws -> InkCallResult
    func instantiate(codeHash: [UInt8], input: [UInt8], salt: [UInt8], value: UInt128, gasLimit: UInt64) throws -> (
        address: [UInt8], result: InkCallResult
    )
    func transfer(to: [UInt8], value: UInt128) throws
    func terminate(beneficiary: [UInt8]) throws
    func setCodeHash(_ hash: [UInt8]) throws
    func codeHash(of account: [UInt8]) -> [UInt8]?
    /// Whether code with this hash is stored (so it can be instantiated or delegated to).
    func codeHashExists(_ hash: [UInt8]) -> Bool
    func isContract(_ account: [UInt8]) -> Bool
    func reentranceCount() -> UInt32
    func accountReentranceCount(_ account: [UInt8]) -> UInt32
    func minimumBalance() -> UInt128
    /// 32 bytes.
    func random(subject: [UInt8]) -> [UInt8]
    /// Routes `call_chain_extension`; throws (a clean trap) for an unknown extension.
    func chainExtension(id: UInt32, input: [UInt8]) throws -> (returnCode: UInt32, output: [UInt8])
}
