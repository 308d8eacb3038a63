import FatCodec
import FatCrypto
import Foundation

/// The engine for native code in worker processes (`--native-isolation process`): each code's
/// calls run in child processes of the host (`fat-worker`), started on first use and reused, so a
/// contract that crashes, spins or exhausts its memory fails its own call and nothing else.
///
/// A query's deadline kills the worker and answers `deadline_exceeded`; a command's native calls
/// share `commandTimeout`. Both, and crashes, depend on the machine rather than on the log: the
/// dispatcher records them in the command's log entry and a replay honours the record (see
/// `MachineOutcomes`).
public struct IsolatedNativeEngine: ContractEngine {
    public var kind: CodeKind { .native }
    public let executable: String
    public let limits: WorkerLimits
    /// How long the native calls of one command may run in all before the command fails.
    public let commandTimeout: Duration
    /// Idle workers kept per code.
    public let maxIdleWorkers: Int

    public static let defaultCommandTimeout: Duration = .seconds(5)

    public init(
        executable: String? = nil, limits: WorkerLimits = WorkerLimits(), commandTimeout: Duration = IsolatedNativeEngine.defaultCommandTimeout,
        maxIdleWorkers: Int = 8
    ) {
        self.executable = executable ?? Self.defaultExecutable
        self.limits = limits
        self.commandTimeout = commandTimeout
        self.maxIdleWorkers = maxIdleWorkers
    }

    /// `$FAT_WORKER`, else `fat-worker` beside the running program.
    public static var defaultExecutable: String {
        if let path = ProcessInfo.processInfo.environment["FAT_WORKER"], !path.isEmpty { return path }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("fat-worker").path
    }

    public func prepare(hash: CodeHash, bytes: [UInt8]) throws -> PreparedCode {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw FatError(
                .workerUnavailable,
                "native contracts run in worker processes, but \(executable) is missing: build it (`swift build`), set FAT_WORKER, or run with --native-isolation in-process"
            )
        }
        let displayName = "native code 0x\(hash.hexString.prefix(16))…"
        let fd = try NativeEngine.memoryFile(bytes, hash: hash)
        let pool = WorkerPool(executable: executable, limits: limits, codeFD: fd, displayName: displayName, maxIdle: maxIdleWorkers)
        let (worker, declared) = try pool.start()
        let metadata: ContractMetadata
        do {
            metadata = try ContractMetadata.native(
                name: declared.name, version: declared.version, messages: declared.messages, selectorHash: { Blake2b.hash256($0) })
        } catch {
            worker.kill()
            throw FatError(.loadFailed, "\(displayName): \(error)")
        }
        pool.checkin(worker)
        return IsolatedNativeCode(hash: hash, metadata: metadata, pool: pool, commandTimeout: commandTimeout)
    }
}

/// Where a host runs native contracts.
public enum NativeIsolation: String, Sendable {
    /// In worker processes (`IsolatedNativeEngine`): other people's code.
    case process
    /// In the host's own process (`NativeEngine`): trusted code, and the floor to measure against.
    case inProcess = "in-process"
}
