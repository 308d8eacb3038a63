import CWorkerChannel
import FatContractABI
import Foundation

/// The program a worker process runs (`fat-worker`): loads the native contract its host gave it
/// on descriptor FAT_WORKER_CODE_FD, says what it declares, then runs one call after another,
/// forwarding to the host over the channel on FAT_WORKER_CHANNEL_FD every host function that
/// needs the host. It exits when its host is gone.
public enum NativeWorker {
    /// How often an idle worker checks that its host still runs (PR_SET_PDEATHSIG is the main
    /// guard; this covers a host whose spawning thread outlived it).
    static let idleCheck: Duration = .seconds(1)

    public static func main(arguments: [String]) -> Never {
        let displayName = arguments.dropFirst().first ?? "native code"
        let parent = getppid()
        let channel: WorkerChannel
        do { channel = try WorkerChannel(worker: FAT_WORKER_CHANNEL_FD) } catch {
            FileHandle.standardError.write(Data("fat-worker runs only as a host's worker process: \(error)\n".utf8))
            exit(2)
        }
        let code: NativeCode
        do {
            code = try NativeContractLoader.load(path: "/proc/self/fd/\(FAT_WORKER_CODE_FD)", hash: [], displayName: displayName)
        } catch {
            try? channel.send(WorkerMessage.loadFailed(FatError(wrapping: error).message).encoded(), to: FAT_TURN_HOST)
            exit(0)
        }
        try? channel.send(
            WorkerMessage.ready(name: code.contractName, version: code.contractVersion, messages: code.declarations).encoded(), to: FAT_TURN_HOST)
        while true {
            let bytes = WorkerCall.awaitTurn(channel, parent: parent)
            guard case let .call(request)? = try? WorkerMessage.decode(bytes) else { exit(3) }
            let call = WorkerCall(request: request, channel: channel, parent: parent)
            let result: WorkerCallResult
            do {
                let outcome = try code.run(request.entry, input: request.input, context: call)
                result = .finished(output: outcome.output, reverted: outcome.reverted)
            } catch {
                result = .failed(FatError(wrapping: error))
            }
            do { try channel.send(WorkerMessage.done(result).encoded(), to: FAT_TURN_HOST) } catch {
                try? channel.send(WorkerMessage.done(.failed(FatError(wrapping: error))).encoded(), to: FAT_TURN_HOST)
            }
        }
    }
}
