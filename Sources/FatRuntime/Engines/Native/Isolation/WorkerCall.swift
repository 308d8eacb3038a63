import CWorkerChannel
import FatCapabilities
import FatCodec
import FatContractABI
import FatCrypto
import Foundation

/// One call as a worker process runs it: what the contract asks of its frame goes to the host
/// across the channel, except what the call brought along (caller, address, kind, sequence
/// number, timestamp) and what the call itself accumulates (output, revert, last output).
///
/// **Confined to the worker's one thread, for the duration of the call.**
final class WorkerCall: NativeCallContext {
    let caller: AccountId?
    let address: AccountId
    let abiCallKind: UInt32
    let commandSeq: UInt64
    let commandTimestampMs: UInt64
    private(set) var output: [UInt8] = []
    private(set) var revertRequested = false
    var lastCallOutput: [UInt8]?
    var lastHTTPResponseHeaders: [HTTPHeader] = []
    private let channel: WorkerChannel
    private let parent: pid_t

    init(request: WorkerCallRequest, channel: WorkerChannel, parent: pid_t) {
        caller = request.caller
        address = request.address
        abiCallKind = request.abiCallKind
        commandSeq = request.seq
        commandTimestampMs = request.timestampMs
        self.channel = channel
        self.parent = parent
    }

    /// Waits for the host's next message however long it takes, leaving when the host is gone.
    static func awaitTurn(_ channel: WorkerChannel, parent: pid_t) -> [UInt8] {
        while true {
            if let bytes = channel.receive(as: FAT_TURN_WORKER, spins: IsolatedNativeCode.spins, timeout: NativeWorker.idleCheck) { return bytes }
            if getppid() != parent { exit(0) }
        }
    }

    /// Sends `request` and returns the host's reply. The host is trusted: a reply that does not
    /// decode is a broken host, and the worker ends.
    private func ask(_ request: WorkerRequest) -> ScaleDecoder {
        do { try channel.send(WorkerMessage.request(request).encoded(), to: FAT_TURN_HOST) } catch { exit(4) }
        guard case let .reply(bytes)? = try? WorkerMessage.decode(Self.awaitTurn(channel, parent: parent)) else { exit(3) }
        return ScaleDecoder(bytes)
    }

    private func decoded<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { exit(3) }
    }

    func storageGet(_ key: [UInt8]) -> [UInt8]? {
        var reply = ask(.storageGet(key: key))
        return decoded { try reply.readOptionalBytes() }
    }

    func storageWrite(_ key: [UInt8], _ value: [UInt8]?) { _ = ask(.storageWrite(key: key, value: value)) }

    func setOutput(_ bytes: [UInt8]) { output = bytes }

    func requestRevert(_ message: String?) {
        revertRequested = true
        guard let message, !message.isEmpty else { return }
        log("revert: \(message)")
        if output.isEmpty {
            var encoder = ScaleEncoder()
            encoder.appendString(message)
            output = encoder.bytes
        }
    }

    func emitEvent(topics: [[UInt8]], data: [UInt8]) { _ = ask(.emitEvent(topics: topics, data: data)) }

    func log(_ line: String) { _ = ask(.log(line)) }

    func callContract(_ callee: AccountId, input: [UInt8]) -> (status: fat_status, output: [UInt8]) {
        var reply = ask(.call(callee: callee, input: input))
        let answer = decoded { (try reply.readI32(), try reply.readByteVector()) }
        lastCallOutput = answer.1
        return answer
    }

    func httpRequest(_ request: HTTPRequest, timeoutMs: UInt32) -> (response: HTTPResponse?, status: fat_status) {
        var reply = ask(.http(request, timeoutMs: timeoutMs))
        return decoded {
            let status = try reply.readI32()
            guard status == FAT_OK else { return (nil, status) }
            let code = try reply.readU16()
            let headers = try reply.readHeaders()
            return (HTTPResponse(statusCode: code, reasonPhrase: "", headers: headers, body: try reply.readByteVector()), status)
        }
    }

    func deriveKey(_ scheme: SignatureScheme, salt: [UInt8]) throws -> [UInt8] {
        var reply = ask(.deriveKey(scheme: scheme.rawValue, salt: salt))
        guard let secret = decoded({ try reply.readOptionalBytes() }) else { throw FatError(.badArguments, "the host could not derive the key") }
        return secret
    }

    func sign(_ scheme: SignatureScheme, secret: [UInt8], message: [UInt8]) throws -> [UInt8] {
        var reply = ask(.sign(scheme: scheme.rawValue, secret: secret, message: message))
        guard let signature = decoded({ try reply.readOptionalBytes() }) else { throw FatError(.badArguments, "the host could not sign") }
        return signature
    }

    func randomBytes(_ count: Int) -> [UInt8] {
        var reply = ask(.random(count: UInt32(clamping: count)))
        return decoded { try reply.readByteVector() }
    }

    func moduleTable(named name: String) -> UnsafeRawPointer? {
        if let known = WorkerModule.loaded[name] { return known.map { UnsafeRawPointer($0.table) } }
        var reply = ask(.module(name: name))
        let module: WorkerModule? = decoded {
            guard try reply.readU8() == 1 else { return nil }
            var functions: [String: UInt32] = [:]
            for _ in 0 ..< (try reply.readLength()) { functions[try reply.readString()] = try reply.readU32() }
            return WorkerModule(name: name, functions: functions)
        }
        WorkerModule.loaded[name] = .some(module)
        return module.map { UnsafeRawPointer($0.table) }
    }

    /// Calls a module function in the host: nil when the host has no such function, a refusal
    /// (a query-only function in a command) as FAT_ERR_NOT_ALLOWED.
    func callModule(_ name: String, functionId: UInt32, input: [UInt8]) -> (status: fat_status, output: [UInt8])? {
        var reply = ask(.moduleCall(name: name, functionId: functionId, input: input))
        return decoded {
            switch try reply.readU8() {
            case 0: return nil
            case 1: return (FAT_ERR_NOT_ALLOWED, [])
            default: return (try reply.readI32(), try reply.readByteVector())
            }
        }
    }
}

/// A capability module as a worker sees it: a `fat_module_api` of the worker's own whose calls go
/// to the host, where the module is loaded. Kept for the life of the worker, like the host's.
final class WorkerModule {
    nonisolated(unsafe) static var loaded: [String: WorkerModule?] = [:]
    let name: String
    let functions: [String: UInt32]
    let table: UnsafeMutablePointer<fat_module_api>

    init(name: String, functions: [String: UInt32]) {
        self.name = name
        self.functions = functions
        table = .allocate(capacity: 1)
        table.initialize(
            to: fat_module_api(
                struct_size: UInt32(MemoryLayout<fat_module_api>.size), version: 1, host_data: nil, call: Self.call, function_id: Self.functionId))
        table.pointee.host_data = UnsafeRawPointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func module(_ table: UnsafePointer<fat_module_api>?) -> WorkerModule? {
        guard let data = table?.pointee.host_data else { return nil }
        return Unmanaged<WorkerModule>.fromOpaque(data).takeUnretainedValue()
    }

    static let call:
        @convention(c) (
            UnsafePointer<fat_module_api>?, UnsafeMutablePointer<fat_ctx>?, UInt32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<Int>?
        ) -> fat_status = { table, ctx, functionId, input, inputLength, out, outLength in
            guard let module = module(table), let call = NativeHostTable.context(ctx) as? WorkerCall,
                let input = NativeHostTable.bytes(input, inputLength)
            else { return FAT_ERR_INVALID_ARGUMENT }
            guard let result = call.callModule(module.name, functionId: functionId, input: input) else { return FAT_ERR_NOT_FOUND }
            guard result.status == FAT_OK else { return result.status }
            return NativeCapabilityTables.answer(call, result.output, out, outLength)
        }

    static let functionId: @convention(c) (UnsafePointer<fat_module_api>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<UInt32>?) -> fat_status =
        {
            table, name, nameLength, out in
            guard let module = module(table), let name = NativeCapabilityTables.string(name, nameLength), let out else {
                return FAT_ERR_INVALID_ARGUMENT
            }
            guard let id = module.functions[name] else { return FAT_ERR_NOT_FOUND }
            out.pointee = id
            return FAT_OK
        }
}
