import FatCapabilities
import FatCodec

/// One contract executing inside a transaction: who called it, with what, and what it has
/// answered so far. Engines call into the host through a frame; the dispatcher creates one per
/// call and discards it when the call returns.
///
/// **Confined to the thread running the call, and alive only for the duration of the call.**
public final class CallFrame {
    public let transaction: Transaction
    public let address: AccountId
    public let codeHash: CodeHash
    /// The immediate caller: the origin for a top-level call, the calling contract otherwise.
    public let caller: AccountId?
    public let value: UInt128
    public let depth: Int
    public let entry: Entry
    let dispatcher: Dispatcher

    /// The output so far (return value, or revert data).
    public internal(set) var output: [UInt8] = []
    /// Set by a contract that reverts without returning a status (typed native functions).
    public internal(set) var revertRequested = false
    /// The output of the last cross-contract call made from this frame.
    var lastCallOutput: [UInt8]?
    /// Headers of the last HTTP response a native contract received (fat.http response_header).
    var lastHTTPResponseHeaders: [HTTPHeader] = []

    init(
        transaction: Transaction, dispatcher: Dispatcher, address: AccountId, codeHash: CodeHash, caller: AccountId?,
        value: UInt128, depth: Int, entry: Entry
    ) {
        self.transaction = transaction
        self.dispatcher = dispatcher
        self.address = address
        self.codeHash = codeHash
        self.caller = caller
        self.value = value
        self.depth = depth
        self.entry = entry
    }

    public var kind: CallKind { transaction.kind }

    // MARK: Storage (the contract's own)

    public func storageGet(_ key: [UInt8]) -> [UInt8]? { transaction.storageGet(address, key) }

    /// Sets or (with nil) removes a key; returns the previous value's size, if there was one.
    @discardableResult
    public func storageSet(_ key: [UInt8], _ value: [UInt8]?) -> Int? {
        let previous = transaction.storageGet(address, key)?.count
        transaction.storageSet(address, key, value)
        return previous
    }

    // MARK: Effects

    public func setOutput(_ bytes: [UInt8]) { output = bytes }

    /// Marks the frame reverted. Unless the contract already set an output, the revert data is
    /// the SCALE-encoded `message`, so a typed revert reads like a byte-level one.
    public func requestRevert(_ message: String?) {
        revertRequested = true
        guard let message, !message.isEmpty else { return }
        log("revert: \(message)")
        if output.isEmpty {
            var encoder = ScaleEncoder()
            encoder.appendString(message)
            output = encoder.bytes
        }
    }

    public func emitEvent(topics: [[UInt8]], data: [UInt8]) {
        transaction.events.append(ContractEvent(contract: address, topics: topics, data: data))
    }

    public func log(_ line: String) {
        transaction.logs.append("\(address.hex.prefix(10))…: \(line)")
    }

    public func charge(_ gas: UInt64) throws { try transaction.charge(gas) }

    // MARK: Other contracts

    /// Calls another contract through the dispatcher, in the same transaction.
    public func call(_ callee: AccountId, input: [UInt8], value: UInt128 = 0, gasLimit: UInt64? = nil) -> CallResult {
        let result = dispatcher.call(
            transaction, caller: address, callee: callee, input: input, value: value,
            depth: depth + 1, gasLimit: gasLimit)
        lastCallOutput = result.output
        return result
    }

    /// Deploys a new contract from code already known to the host.
    public func instantiate(codeHash: CodeHash, input: [UInt8], salt: [UInt8], value: UInt128 = 0, gasLimit: UInt64? = nil)
        -> (address: AccountId, result: CallResult)
    {
        let deployed = dispatcher.instantiate(
            transaction, deployer: address, codeHash: codeHash, input: input, salt: salt,
            value: value, depth: depth + 1, gasLimit: gasLimit)
        lastCallOutput = deployed.result.output
        return deployed
    }

    /// How many times `account` is on the call stack below this frame (ink!'s reentrance count).
    public func reentranceCount(of account: AccountId) -> Int {
        transaction.stack.dropLast().filter { $0 == account }.count
    }
}

/// What a call returned to its caller.
public struct CallResult: Sendable {
    public let output: [UInt8]
    public let outcome: Outcome
    public let gasUsed: UInt64

    public init(output: [UInt8], outcome: Outcome, gasUsed: UInt64) {
        self.output = output
        self.outcome = outcome
        self.gasUsed = gasUsed
    }
}
