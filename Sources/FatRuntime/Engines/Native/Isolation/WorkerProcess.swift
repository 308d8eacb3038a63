import CWorkerChannel
import Foundation

/// One worker process: a child of the host running `fat-worker`, which loads one native
/// contract and runs its calls, one at a time, on the host's behalf. Whatever the contract does
/// — crash, spin, exhaust its memory — happens to this process, never to the host.
///
/// **Used by one host thread at a time** (the pool hands it out); `kill` may come from any.
final class WorkerProcess: @unchecked Sendable {
    let pid: pid_t
    let channel: WorkerChannel
    /// Set once the process has been reaped: how it ended.
    private(set) var ending: String?

    private init(pid: pid_t, channel: WorkerChannel) {
        self.pid = pid
        self.channel = channel
    }

    /// Starts a worker for the code in memory file `codeFD`.
    static func spawn(executable: String, arguments: [String], codeFD: Int32, limits: WorkerLimits) throws -> WorkerProcess {
        let channel = try WorkerChannel()
        let pid = try WorkerSpawner.shared.spawn(
            executable: executable, arguments: arguments, codeFD: codeFD, channelFD: channel.fd, limits: limits)
        return WorkerProcess(pid: pid, channel: channel)
    }

    /// Kills the process (SIGKILL) and reaps it.
    func kill() {
        guard ending == nil else { return }
        Glibc.kill(pid, SIGKILL)
        reap(block: true)
    }

    /// Whether the process has ended (reaping it if so).
    var hasEnded: Bool {
        if ending == nil { reap(block: false) }
        return ending != nil
    }

    private func reap(block: Bool) {
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, block ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        if result == pid {
            ending = Self.describe(status)
        } else if result < 0 {
            ending = "ended (not reapable: \(String(cString: strerror(errno))))"
        }
    }

    /// "was killed by SIGSEGV (segmentation fault)", "exited with status 3".
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return code == 127 ? "could not start (exit status 127: is fat-worker where the host expects it?)" : "exited with status \(code)"
        }
        let name = signalNames[signal] ?? "signal \(signal)"
        let detail = strsignal(signal).map { String(cString: $0).lowercased() } ?? ""
        return "was killed by \(name)\(detail.isEmpty ? "" : " (\(detail))")"
    }

    private static let signalNames: [Int32: String] = [
        SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL",
        SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGTRAP: "SIGTRAP", SIGSYS: "SIGSYS", SIGPIPE: "SIGPIPE", SIGINT: "SIGINT",
    ]

    deinit { kill() }
}

/// The limits each worker process runs under (`host.json`: `"worker": {…}`).
public struct WorkerLimits: Sendable, Equatable {
    /// Address space (RLIMIT_AS): a contract that allocates more gets NULL from malloc.
    public var addressSpaceBytes: UInt64 = 1 << 30
    /// Open file descriptors (RLIMIT_NOFILE).
    public var openFiles: UInt64 = 64
    /// CPU seconds (RLIMIT_CPU) over a worker's whole life: a backstop behind the deadlines.
    public var cpuSeconds: UInt64 = 0

    public init() {}
}

/// Starts worker processes from one thread that lives as long as the process: a worker is killed
/// when the thread that started it ends (PR_SET_PDEATHSIG), which must mean when the host ends.
final class WorkerSpawner: @unchecked Sendable {
    static let shared = WorkerSpawner()
    private let condition = NSCondition()
    private var requests: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in
            while true {
                condition.lock()
                while requests.isEmpty { condition.wait() }
                let request = requests.removeFirst()
                condition.unlock()
                request()
            }
        }
        thread.name = "fat.worker-spawner"
        thread.start()
    }

    /// The host's environment, less the Swift runtime's crash reporter: a contract's crash is
    /// reported by the host as `contract_crashed`, and a backtrace would only delay the worker's end.
    static let environment: [String] =
        ProcessInfo.processInfo.environment.filter { $0.key != "SWIFT_BACKTRACE" }.map { "\($0.key)=\($0.value)" } + ["SWIFT_BACKTRACE=enable=no"]

    func spawn(executable: String, arguments: [String], codeFD: Int32, channelFD: Int32, limits: WorkerLimits) throws -> pid_t {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Int32 = 0
        condition.lock()
        requests.append {
            var cLimits = fat_worker_limits(
                address_space_bytes: limits.addressSpaceBytes, open_files: limits.openFiles, cpu_seconds: limits.cpuSeconds)
            let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = Self.environment.map { strdup($0) } + [nil]
            result = fat_worker_spawn(executable, argv, envp, codeFD, channelFD, &cLimits)
            for pointer in argv + envp { free(pointer) }
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        guard result > 0 else {
            throw FatError(.workerUnavailable, "cannot start a worker process: \(String(cString: strerror(-result)))")
        }
        return result
    }
}
