import FatCapabilities
import FatContractABI
import FatCrypto

/// What a native contract's host functions act on: in the host, the `CallFrame` of the call; in
/// a worker process, the host's frame reached across the worker's channel (`WorkerCall`). The C
/// tables (`NativeHostTable`, `NativeCapabilityTables`) check the contract's arguments and then
/// go through this protocol, so both places follow the same rules.
///
/// **Confined to the thread running the call, for the duration of the call.**
protocol NativeCallContext: AnyObject {
    var caller: AccountId? { get }
    var address: AccountId { get }
    /// FAT_CALL_COMMAND, FAT_CALL_QUERY or FAT_CALL_DEPLOY.
    var abiCallKind: UInt32 { get }
    var commandSeq: UInt64 { get }
    var commandTimestampMs: UInt64 { get }

    func storageGet(_ key: [UInt8]) -> [UInt8]?
    /// Sets `key`, or removes it with nil.
    func storageWrite(_ key: [UInt8], _ value: [UInt8]?)
    /// The call's output so far, and whether it asked to revert (typed functions revert so).
    var output: [UInt8] { get }
    var revertRequested: Bool { get }
    func setOutput(_ bytes: [UInt8])
    func requestRevert(_ message: String?)
    func emitEvent(topics: [[UInt8]], data: [UInt8])
    func log(_ line: String)

    /// Calls another contract through the dispatcher: the ABI status of `fat_host_api.call` and
    /// the callee's output (also kept as `lastCallOutput`).
    func callContract(_ callee: AccountId, input: [UInt8]) -> (status: fat_status, output: [UInt8])
    var lastCallOutput: [UInt8]? { get set }

    /// One HTTP request, within the call's deadline and `timeoutMs` when non-zero: the response
    /// (status FAT_OK), or no response and the status of `fat_http_api.request` (a command's
    /// request is refused, and logged, with FAT_ERR_NOT_ALLOWED).
    func httpRequest(_ request: HTTPRequest, timeoutMs: UInt32) -> (response: HTTPResponse?, status: fat_status)
    var lastHTTPResponseHeaders: [HTTPHeader] { get set }
    func deriveKey(_ scheme: SignatureScheme, salt: [UInt8]) throws -> [UInt8]
    func sign(_ scheme: SignatureScheme, secret: [UInt8], message: [UInt8]) throws -> [UInt8]
    func randomBytes(_ count: Int) -> [UInt8]
    /// The `fat_module_api` of the capability module called `name`, if the host has loaded it.
    func moduleTable(named name: String) -> UnsafeRawPointer?
}

extension NativeCallContext {
    /// Runs `body` with a `fat_ctx` whose `host_data` leads the host tables to this context.
    func withContext<T>(_ host: UnsafePointer<fat_host_api>, _ body: (UnsafeMutablePointer<fat_ctx>) throws -> T) rethrows -> T {
        var slot: any NativeCallContext = self
        return try withUnsafeMutablePointer(to: &slot) { slotPointer in
            var context = fat_ctx(host: host, host_data: UnsafeMutableRawPointer(slotPointer))
            return try body(&context)
        }
    }
}

extension CallFrame: NativeCallContext {
    var commandSeq: UInt64 { transaction.seq }
    var commandTimestampMs: UInt64 { transaction.timestampMs }

    func storageWrite(_ key: [UInt8], _ value: [UInt8]?) { storageSet(key, value) }

    func callContract(_ callee: AccountId, input: [UInt8]) -> (status: fat_status, output: [UInt8]) {
        let result = call(callee, input: input)
        switch result.outcome {
        case .success: return (FAT_OK, result.output)
        case .reverted: return (FAT_ERR_CALLEE_REVERTED, result.output)
        case let .failed(error) where error.code == .depthExceeded: return (FAT_ERR_DEPTH_EXCEEDED, result.output)
        case let .failed(error) where error.code == .unknownContract: return (FAT_ERR_NOT_FOUND, result.output)
        case .failed: return (FAT_ERR_CALLEE_FAILED, result.output)
        }
    }

    func httpRequest(_ request: HTTPRequest, timeoutMs: UInt32) -> (response: HTTPResponse?, status: fat_status) {
        let result: Result<HTTPResponse, HTTPError>
        do {
            if timeoutMs > 0 {
                let deadline = min(capabilityDeadline, ContinuousClock.now + .milliseconds(Int64(timeoutMs)))
                result = try httpBatch([request], deadline: deadline).flatMap { $0[0] }
            } else {
                result = try httpRequest(request)
            }
        } catch {
            log("\(error)")
            return (nil, FAT_ERR_NOT_ALLOWED)
        }
        switch result {
        case let .success(response): return (response, FAT_OK)
        case let .failure(error): return (nil, NativeCapabilityTables.status(for: error))
        }
    }

    func moduleTable(named name: String) -> UnsafeRawPointer? {
        capabilities.modules.module(named: name).map { UnsafeRawPointer($0.nativeTable) }
    }
}
