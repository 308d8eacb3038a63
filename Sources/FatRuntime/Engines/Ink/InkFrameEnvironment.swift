import FatCodec
import FatInk

/// What an executing Wasm contract sees of the host: a `CallFrame` in the shape of FatInk's
/// `InkEnvironment`. Calls out of Wasm go through the same dispatcher as every other call.
///
/// There is no native currency in this host: balances read 0 and a transfer of a non-zero value
/// fails (TransferFailed), which ink! contracts handle as they would an empty account.
/// **Confined to the thread running the frame.**
final class InkFrameEnvironment: InkEnvironment {
    let frame: CallFrame

    init(frame: CallFrame) { self.frame = frame }

    var caller: [UInt8] { (frame.caller ?? .zero).bytes }
    var address: [UInt8] { frame.address.bytes }
    var codeHash: [UInt8] { frame.codeHash }
    var valueTransferred: UInt128 { frame.value }
    var balance: UInt128 { 0 }
    var blockNumber: UInt64 { frame.transaction.seq }
    var timestampMs: UInt64 { frame.transaction.timestampMs }
    var callerIsOrigin: Bool { frame.depth == 1 }
    var depth: Int { frame.depth }
    var deadline: ContinuousClock.Instant? { frame.transaction.kind == .command ? nil : frame.transaction.deadline }

    func storageGet(_ key: [UInt8]) -> [UInt8]? { frame.storageGet(key) }
    func storageSet(_ key: [UInt8], _ value: [UInt8]?) -> Int? { frame.storageSet(key, value) }
    func depositEvent(topics: [[UInt8]], data: [UInt8]) { frame.emitEvent(topics: topics, data: data) }
    func debugMessage(_ text: String) { frame.log(text) }

    private func account(_ bytes: [UInt8]) throws -> AccountId {
        guard let account = AccountId(bytes) else { throw FatError(.badArguments, "an address is \(bytes.count) bytes, not 32") }
        return account
    }

    private func inkResult(_ result: CallResult) -> InkCallResult {
        switch result.outcome {
        case .success: InkCallResult(output: result.output, status: .returned, gasUsed: result.gasUsed)
        case .reverted: InkCallResult(output: result.output, status: .reverted, gasUsed: result.gasUsed)
        case let .failed(error): InkCallResult(output: result.output, status: .trapped(error.message), gasUsed: result.gasUsed)
        }
    }

    func call(callee: [UInt8], input: [UInt8], value: UInt128, gasLimit: UInt64, allowReentry: Bool) throws -> InkCallResult {
        let target = try account(callee)
        if !allowReentry, frame.transaction.stack.contains(target) {
            throw FatError(.notAllowed, "reentrant call to \(target) was not allowed by the caller's flags")
        }
        if value > 0 { throw FatError(.notAllowed, "this host has no native currency; a call cannot transfer value") }
        return inkResult(frame.call(target, input: input, value: value, gasLimit: gasLimit == 0 ? nil : gasLimit))
    }

    func delegateCall(codeHash: [UInt8], input: [UInt8], gasLimit: UInt64) throws -> InkCallResult {
        inkResult(frame.delegateCall(codeHash: codeHash, input: input))
    }

    func instantiate(codeHash: [UInt8], input: [UInt8], salt: [UInt8], value: UInt128, gasLimit: UInt64) throws -> (
        address: [UInt8], result: InkCallResult
    ) {
        if value > 0 { throw FatError(.notAllowed, "this host has no native currency; a deploy cannot transfer value") }
        let deployed = frame.instantiate(codeHash: codeHash, input: input, salt: salt, value: value, gasLimit: gasLimit == 0 ? nil : gasLimit)
        return (deployed.address.bytes, inkResult(deployed.result))
    }

    func transfer(to: [UInt8], value: UInt128) throws {
        if value > 0 { throw FatError(.notAllowed, "this host has no native currency to transfer") }
    }

    func terminate(beneficiary: [UInt8]) throws { frame.terminate() }
    func setCodeHash(_ hash: [UInt8]) throws { try frame.setCodeHash(hash) }
    func codeHash(of account: [UInt8]) -> [UInt8]? { AccountId(account).flatMap { frame.codeHash(of: $0) } }
    func codeHashExists(_ hash: [UInt8]) -> Bool { frame.codeExists(hash) }
    func isContract(_ account: [UInt8]) -> Bool { codeHash(of: account) != nil }
    func reentranceCount() -> UInt32 { UInt32(frame.reentranceCount(of: frame.address)) }
    func accountReentranceCount(_ account: [UInt8]) -> UInt32 {
        AccountId(account).map { id in UInt32(frame.transaction.stack.filter { $0 == id }.count) } ?? 0
    }
    func minimumBalance() -> UInt128 { 0 }
    func random(subject: [UInt8]) -> [UInt8] { frame.random(subject: subject) }

    /// `id` is pallet-contracts' func_id: the extension id in the high 16 bits, the function in the
    /// low 16. Extension 0 (and 0xFF00, its id before August 2022) is Phala's pink; the others
    /// belong to capability modules. A module's
    /// negative status comes back as the return code (its magnitude), with no output.
    func chainExtension(id: UInt32, input: [UInt8]) throws -> (returnCode: UInt32, output: [UInt8]) {
        let extensionId = UInt16(id >> 16)
        let function = UInt16(id & 0xFFFF)
        if extensionId == 0 || extensionId == PinkExtension.legacyExtensionId {
            return try PinkExtension.call(frame: frame, function: function, input: input, legacy: extensionId != 0)
        }
        guard let module = frame.capabilities.modules.module(extensionId: extensionId) else {
            throw FatError(.trapped, "no chain extension with id \(extensionId) is registered on this host (func_id 0x\(String(id, radix: 16)))")
        }
        let result: (status: Int32, output: [UInt8])?
        do { result = try frame.callModule(module, functionId: UInt32(function), input: input) } catch {
            throw FatError(.trapped, error.description)
        }
        guard let result else {
            throw FatError(.trapped, "capability module \(module.name) has no function \(function)")
        }
        return result.status == 0 ? (0, result.output) : (UInt32(result.status.magnitude), [])
    }
}
