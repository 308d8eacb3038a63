import CWorkerChannel
import FatCodec
import Foundation

/// The worker processes of one native code: started on first use, reused call after call, one
/// call at a time each. A call that finds no idle worker starts another (a nested call of the
/// same code, concurrent queries); a worker that crashed or ran past its deadline is killed and
/// simply not returned, so the next call starts a fresh one. **Thread-safe.**
final class WorkerPool: @unchecked Sendable {
    let executable: String
    let limits: WorkerLimits
    /// The code, in a memory file each worker maps (never a file on disk).
    let codeFD: Int32
    let displayName: String
    /// Idle workers kept beyond this are ended on return.
    let maxIdle: Int
    private let lock = NSLock()
    private var idle: [WorkerProcess] = []
    /// Whether a replacement is being started in the background.
    private var replacing = false

    /// How long a worker may take to load its contract (its init hook included).
    static let loadTimeout: Duration = .seconds(10)

    init(executable: String, limits: WorkerLimits, codeFD: Int32, displayName: String, maxIdle: Int) {
        self.executable = executable
        self.limits = limits
        self.codeFD = codeFD
        self.displayName = displayName
        self.maxIdle = maxIdle
    }

    deinit {
        for worker in idle { worker.kill() }
    }

    /// What a worker's contract declares about itself once loaded.
    struct Declarations {
        let name: String
        let version: String
        let messages: [NativeMessageDecl]
    }

    /// Starts a worker and waits for its contract to load: its declarations, or why it did not.
    /// A call waiting for the worker passes its own deadline: past it, the worker is killed and
    /// the call fails with `deadline_exceeded`, however long loading may otherwise take.
    func start(callDeadline: ContinuousClock.Instant? = nil) throws -> (WorkerProcess, Declarations) {
        let worker = try WorkerProcess.spawn(executable: executable, arguments: [displayName], codeFD: codeFD, limits: limits)
        let loadDeadline = ContinuousClock.now + Self.loadTimeout
        let deadline = min(loadDeadline, callDeadline ?? loadDeadline)
        while true {
            if let bytes = worker.channel.receive(as: FAT_TURN_HOST, spins: 0, timeout: .milliseconds(20)) {
                switch try? WorkerMessage.decode(bytes) {
                case let .ready(name, version, messages)?:
                    return (worker, Declarations(name: name, version: version, messages: messages))
                case let .loadFailed(reason)?:
                    worker.kill()
                    throw FatError(.loadFailed, reason)
                default:
                    worker.kill()
                    throw FatError(.loadFailed, "\(displayName): its worker process answered something other than its declarations while loading")
                }
            }
            if worker.hasEnded {
                throw FatError(.loadFailed, "\(displayName): its worker process \(worker.ending ?? "ended") while loading the contract")
            }
            if ContinuousClock.now >= deadline {
                worker.kill()
                if let callDeadline, callDeadline < loadDeadline {
                    throw FatError(.deadlineExceeded, "\(displayName): the call's deadline passed while its worker process was starting")
                }
                throw FatError(.loadFailed, "\(displayName): loading took longer than \(Self.loadTimeout) (does its init hook return?)")
            }
        }
    }

    /// An idle worker, or a new one.
    func checkout(callDeadline: ContinuousClock.Instant) throws -> WorkerProcess {
        while let worker = lock.withLock({ idle.popLast() }) {
            if !worker.hasEnded { return worker }
        }
        return try start(callDeadline: callDeadline).0
    }

    /// Ends a worker that crashed or ran past its deadline, and starts its replacement in the
    /// background, so the next call finds a worker ready instead of waiting for one to load.
    func discard(_ worker: WorkerProcess) {
        worker.kill()
        let replace = lock.withLock {
            guard !replacing, idle.isEmpty else { return false }
            replacing = true
            return true
        }
        guard replace else { return }
        Thread { [self] in
            let fresh = try? start().0
            lock.withLock { replacing = false }
            if let fresh { checkin(fresh) }
        }.start()
    }

    /// Returns a worker that finished its call normally.
    func checkin(_ worker: WorkerProcess) {
        let kept = lock.withLock {
            guard idle.count < maxIdle else { return false }
            idle.append(worker)
            return true
        }
        if !kept { worker.kill() }
    }
}
