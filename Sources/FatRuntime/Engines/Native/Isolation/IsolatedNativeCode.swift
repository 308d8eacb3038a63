import CWorkerChannel
import FatCodec
import FatContractABI

/// A native contract that runs in worker processes: the host side of each call. It sends the
/// call, serves the contract's requests against the caller's frame until the worker is done, and
/// watches the worker meanwhile: a worker that dies is `contract_crashed` (with the signal), one
/// that runs past the deadline is killed and `deadline_exceeded`. Either way the dispatcher rolls
/// the frame back and the next call gets a fresh worker.
///
/// Everything a worker writes into the channel is hostile input: decoded with bounds, checked
/// against the same limits the host table applies, and a worker that breaks the protocol is
/// killed. **Thread-safe**: each call has a worker of its own.
final class IsolatedNativeCode: PreparedCode, @unchecked Sendable {
    let kind = CodeKind.native
    let hash: CodeHash
    let metadata: ContractMetadata
    var intrinsicMetadata: ContractMetadata? { metadata }
    var evictable: Bool { false }
    var footprint: Int { 0 }
    let pool: WorkerPool
    let commandTimeout: Duration
    /// Busy-wait iterations before a side sleeps: a round trip between two running cores then
    /// costs no system call.
    static let spins: UInt32 = 4000
    /// How often a waiting host looks at the worker and the clock: every millisecond at first,
    /// so a crash is seen at once, then less often (doubling) as a long call goes on.
    static let firstWatch: Duration = .milliseconds(1)
    static let longestWatch: Duration = .milliseconds(10)

    init(hash: CodeHash, metadata: ContractMetadata, pool: WorkerPool, commandTimeout: Duration) {
        self.hash = hash
        self.metadata = metadata
        self.pool = pool
        self.commandTimeout = commandTimeout
    }

    func execute(_ entry: Entry, input: [UInt8], frame: CallFrame) throws -> ExecutionResult {
        let tx = frame.transaction
        let deadline: ContinuousClock.Instant
        if let queryDeadline = tx.deadline {
            deadline = queryDeadline
        } else {
            if tx.nativeDeadline == nil { tx.nativeDeadline = .now + commandTimeout }
            deadline = tx.nativeDeadline!
        }
        let worker = try pool.checkout(callDeadline: deadline)
        var finished = false
        defer { if finished { pool.checkin(worker) } else { pool.discard(worker) } }
        let call = WorkerCallRequest(
            entry: entry, abiCallKind: frame.abiCallKind, seq: tx.seq, timestampMs: tx.timestampMs, caller: frame.caller,
            address: frame.address, input: input)
        try worker.channel.send(WorkerMessage.call(call).encoded(), to: FAT_TURN_WORKER)
        while true {
            let bytes = try awaitMessage(from: worker, deadline: deadline, kind: tx.kind)
            let message: WorkerMessage
            do { message = try WorkerMessage.decode(bytes) } catch { throw violation(worker, "a malformed message (\(error))") }
            switch message {
            case let .request(request):
                // A contract that keeps asking never lets the wait time out: look at the clock here too.
                if ContinuousClock.now >= deadline { throw stop(worker, at: tx.kind) }
                let reply = try serve(request, frame: frame, worker: worker)
                try worker.channel.send(WorkerMessage.reply(reply).encoded(), to: FAT_TURN_WORKER)
            case let .done(.finished(output, reverted)):
                guard output.count <= NativeHostTable.maxValueLength else { throw violation(worker, "an output over the host's limit") }
                finished = true
                frame.setOutput(output)
                if reverted, !frame.revertRequested { frame.requestRevert(nil) }
                return ExecutionResult(output: output, reverted: reverted)
            case let .done(.failed(error)):
                finished = true
                throw error
            default:
                throw violation(worker, "a message out of turn")
            }
        }
    }

    private func violation(_ worker: WorkerProcess, _ what: String) -> FatError {
        worker.kill()
        return FatError(.contractCrashed, "\(metadata.name): its worker process sent \(what) and was stopped")
    }

    /// The worker's next message; throws when it dies or the deadline passes first.
    private func awaitMessage(from worker: WorkerProcess, deadline: ContinuousClock.Instant, kind: CallKind) throws -> [UInt8] {
        var spins = Self.spins
        var watch = Self.firstWatch
        while true {
            let left = deadline - .now
            if let bytes = worker.channel.receive(as: FAT_TURN_HOST, spins: spins, timeout: max(.zero, min(left, watch))) {
                return bytes
            }
            spins = 0
            watch = min(watch * 2, Self.longestWatch)
            if worker.hasEnded {
                throw FatError(.contractCrashed, "\(metadata.name) crashed: its worker process \(worker.ending ?? "ended")")
            }
            if ContinuousClock.now >= deadline { throw stop(worker, at: kind) }
        }
    }

    /// Kills a worker whose call ran past its deadline.
    private func stop(_ worker: WorkerProcess, at kind: CallKind) -> FatError {
        worker.kill()
        return FatError(
            .deadlineExceeded,
            kind == .query
                ? "\(metadata.name) ran past the query's deadline and was stopped"
                : "\(metadata.name) ran past the command's native time limit of \(commandTimeout) and was stopped")
    }

    /// Answers one request of the contract against `frame`, under the host table's limits.
    private func serve(_ request: WorkerRequest, frame: CallFrame, worker: WorkerProcess) throws -> [UInt8] {
        var e = ScaleEncoder()
        switch request {
        case let .storageGet(key):
            guard key.count <= NativeHostTable.maxBufferLength else { throw violation(worker, "an oversized key") }
            e.appendOptionalBytes(frame.storageGet(key))
        case let .storageWrite(key, value):
            guard key.count <= NativeHostTable.maxKeyLength, (value?.count ?? 0) <= NativeHostTable.maxValueLength else {
                throw violation(worker, "a write over the host's limits")
            }
            frame.storageWrite(key, value)
        case let .emitEvent(topics, data):
            guard topics.count <= NativeHostTable.maxTopics, topics.allSatisfy({ $0.count == 32 }), data.count <= NativeHostTable.maxValueLength
            else {
                throw violation(worker, "an event over the host's limits")
            }
            frame.emitEvent(topics: topics, data: data)
        case let .log(line):
            frame.log(line)
        case let .call(callee, input):
            let (status, output) = frame.callContract(callee, input: input)
            e.append(status)
            e.appendByteVector(output)
        case let .http(request, timeoutMs):
            let (response, status) = frame.httpRequest(request, timeoutMs: timeoutMs)
            e.append(status)
            if let response {
                e.append(response.statusCode)
                e.appendHeaders(response.headers)
                e.appendByteVector(response.body)
            }
        case let .deriveKey(scheme, salt):
            let secret = NativeCapabilityTables.scheme(UInt32(scheme)).flatMap { try? frame.deriveKey($0, salt: salt) }
            e.appendOptionalBytes(secret)
        case let .sign(scheme, secret, message):
            let signature = NativeCapabilityTables.scheme(UInt32(scheme)).flatMap { try? frame.sign($0, secret: secret, message: message) }
            e.appendOptionalBytes(signature)
        case let .random(count):
            guard count <= 1 << 20 else { throw violation(worker, "a request for too many random bytes") }
            e.appendByteVector(frame.randomBytes(Int(count)))
        case let .module(name):
            if let module = frame.capabilities.modules.module(named: name) {
                e.append(UInt8(1))
                let functions = module.functions.values.sorted { $0.id < $1.id }
                e.appendCompact(UInt128(functions.count))
                for function in functions {
                    e.appendString(function.name)
                    e.append(function.id)
                }
            } else {
                e.append(UInt8(0))
            }
        case let .moduleCall(name, functionId, input):
            guard let module = frame.capabilities.modules.module(named: name) else {
                e.append(UInt8(0))
                break
            }
            do {
                guard let result = try frame.callModule(module, functionId: functionId, input: input) else {
                    e.append(UInt8(0))
                    break
                }
                e.append(UInt8(2))
                e.append(result.status)
                e.appendByteVector(result.output)
            } catch {
                frame.log("\(error)")
                e.append(UInt8(1))
            }
        }
        return e.bytes
    }
}
