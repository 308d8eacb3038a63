import FatCodec
import FatRuntime
import FatTesting
import Foundation
import Synchronization
import Testing

/// Native contracts in worker processes: a contract that crashes, spins or exhausts its memory
/// fails its own call, the host and every other call keep going, and a replay agrees.
/// Serialized: one test's spinning worker must not be counted as another's.
@Suite(.serialized) struct WorkerIsolationTests {
    /// A host whose native contracts run in worker processes built beside the tests.
    func withIsolatedHost<T>(
        limits: WorkerLimits = WorkerLimits(), commandTimeout: Duration = .seconds(2), _ body: (FatHost) throws -> T
    ) throws -> T {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let engine = IsolatedNativeEngine(executable: try Products.executable("fat-worker"), limits: limits, commandTimeout: commandTimeout)
        let host = try FatHost(dataDirectory: dir.path, engines: [engine, InkContractEngine()])
        defer { host.close() }
        return try body(host)
    }

    func failure(_ outcome: Outcome) -> FatError? {
        if case let .failed(error) = outcome { return error }
        return nil
    }

    func deployUnruly(_ host: FatHost) throws -> AccountId {
        let (unruly, deployed) = try host.deployNative(try Products.library("unruly"), constructor: "new")
        #expect(deployed.outcome == .success, "\(deployed.outcome)")
        return unruly
    }

    @Test func aQueryThatDereferencesNullIsContractCrashedWithTheSignalAndTheContractStillAnswers() throws {
        try withIsolatedHost { host in
            let unruly = try deployUnruly(host)
            #expect(try host.command(unruly, "increment").outcome == .success)
            let crashed = try host.ask(unruly, "misbehave", le32(1))
            let error = try #require(failure(crashed.outcome))
            #expect(error.code == .contractCrashed)
            #expect(error.message.contains("SIGSEGV"), "\(error.message)")
            // The next call gets a fresh worker.
            #expect(u64(try host.ask(unruly, "get").output) == 1)
            #expect(u64(try host.ask(unruly, "misbehave", le32(0)).output) == 1)
        }
    }

    @Test func abortExitAndSigkillEachFailOnlyTheirCall() throws {
        try withIsolatedHost { host in
            let unruly = try deployUnruly(host)
            for (kind, words) in [(UInt32(3), "SIGABRT"), (4, "exited with status 3"), (5, "SIGKILL")] {
                let error = try #require(failure(try host.ask(unruly, "misbehave", le32(kind)).outcome))
                #expect(error.code == .contractCrashed)
                #expect(error.message.contains(words), "\(error.message)")
            }
            #expect(u64(try host.ask(unruly, "get").output) == 0)
        }
    }

    @Test func aSpinningQueryIsStoppedAtItsTimeoutAndItsWorkerKilled() throws {
        try withIsolatedHost { host in
            let unruly = try deployUnruly(host)
            let spec = try #require(try host.metadata(of: unruly).messages.first { $0.label == "misbehave" })
            let start = ContinuousClock.now
            let spun = try host.query(unruly, input: spec.selector + le32(2), timeout: .milliseconds(300))
            let elapsed = ContinuousClock.now - start
            let error = try #require(failure(spun.outcome))
            #expect(error.code == .deadlineExceeded)
            #expect(elapsed < .milliseconds(300 + 200), "answered after \(elapsed)")
            // A loop that keeps asking the host for a key is stopped the same way.
            let chattyStart = ContinuousClock.now
            let chatty = try host.query(unruly, input: spec.selector + le32(6), timeout: .milliseconds(300))
            #expect(failure(chatty.outcome)?.code == .deadlineExceeded, "\(chatty.outcome)")
            #expect(ContinuousClock.now - chattyStart < .milliseconds(300 + 200))
            // The spinning worker is gone: no process of ours burns a core any more.
            #expect(try spinningWorkers().isEmpty)
            #expect(u64(try host.ask(unruly, "get").output) == 0)
        }
    }

    /// Workers of this process that are running (state R) and have used more than 0.2 s of CPU:
    /// a spinning contract, not a replacement worker that is starting.
    func spinningWorkers() throws -> [Int32] {
        let me = getpid()
        var spinning: [Int32] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            // Fields after the name: state, ppid, …, utime (12th), stime (13th), in clock ticks.
            guard fields.count > 13, Int32(fields[1]) == me, stat.contains("(fat-worker)") else { continue }
            let ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
            if fields[0] == "R", ticks >= 20 { spinning.append(pid) }
        }
        return spinning
    }

    @Test func aQueryThatAllocatesFourGigabytesFailsUnderTheMemoryLimit() throws {
        var limits = WorkerLimits()
        limits.addressSpaceBytes = 1 << 30
        try withIsolatedHost(limits: limits) { host in
            let unruly = try deployUnruly(host)
            let error = try #require(failure(try host.ask(unruly, "hog", le32(4096)).outcome))
            #expect(error.code == .contractCrashed, "\(error)")
            // Within the limit, the same message works.
            #expect(u64(try host.ask(unruly, "hog", le32(8)).output) == 8 * 256)
        }
    }

    @Test func aCrashingOrSpinningCommandIsRolledBackRecordedAndVerifyAgrees() throws {
        try withIsolatedHost(commandTimeout: .milliseconds(300)) { host in
            let unruly = try deployUnruly(host)
            #expect(try host.command(unruly, "increment").outcome == .success)
            let crashed = try host.command(unruly, "poison", le32(1))
            #expect(failure(crashed.outcome)?.code == .contractCrashed, "\(crashed.outcome)")
            let start = ContinuousClock.now
            let spun = try host.command(unruly, "poison", le32(2))
            #expect(failure(spun.outcome)?.code == .deadlineExceeded, "\(spun.outcome)")
            #expect(ContinuousClock.now - start < .milliseconds(300 + 500))
            // Neither write survived, and later commands run.
            #expect(try host.command(unruly, "increment").outcome == .success)
            #expect(u64(try host.ask(unruly, "get").output) == 2)
            // The log holds what the machine decided; a replay takes it instead of running again.
            let entries = try host.logEntries()
            let recorded = entries.filter { !$0.entry.machineOutcomes.isEmpty }
            #expect(recorded.count == 2)
            #expect(recorded.map { $0.entry.machineOutcomes.recorded[0]?.code } == [.contractCrashed, .deadlineExceeded])
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
            #expect(report.commandsReplayed == entries.count)
        }
    }

    @Test func aRecordedCrashIsHonouredByAnInProcessReplay() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let engine = IsolatedNativeEngine(executable: try Products.executable("fat-worker"))
        var unruly = AccountId.zero
        do {
            let host = try FatHost(dataDirectory: dir.path, engines: [engine, InkContractEngine()])
            defer { host.close() }
            unruly = try deployUnruly(host)
            #expect(failure(try host.command(unruly, "poison", le32(1)).outcome)?.code == .contractCrashed)
        }
        // Reopened with contracts in process: the crash is not run again (it would take the
        // test down), the recorded outcome is replayed, and the state agrees.
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let report = try host.verify()
        #expect(report.ok, "\(report.mismatches)")
        #expect(u64(try host.ask(unruly, "get").output) == 0)
    }

    @Test func aNativeContractInAWorkerCallsAWasmOneAndBack() throws {
        try withIsolatedHost { host in
            try InkContractTests.callAcrossEngines(host)
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
        }
    }

    @Test func concurrentQueriesOfOneContractEachGetAWorker() throws {
        try withIsolatedHost { host in
            let unruly = try deployUnruly(host)
            for _ in 0 ..< 3 { #expect(try host.command(unruly, "increment").outcome == .success) }
            let answers = Mutex<[UInt64]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                // Every other query crashes its worker; the rest must still answer.
                let kind: UInt32 = index % 2 == 0 ? 0 : 1
                if let result = try? host.ask(unruly, "misbehave", le32(kind)), result.outcome == .success {
                    answers.withLock { $0.append(u64(result.output)) }
                }
            }
            #expect(answers.withLock { $0 } == [UInt64](repeating: 3, count: 4))
        }
    }

    @Test func aContractThatDoesNotLoadIsRefusedWithTheCause() throws {
        try withIsolatedHost { host in
            let dir = TemporaryDirectory()
            defer { dir.remove() }
            let path = try compileSharedObject(
                """
                #include "fat_contract.h"
                #include <stdlib.h>
                static fat_status init(const fat_host_api *host) { (void)host; abort(); }
                static uint64_t get(fat_ctx *ctx) { (void)ctx; return 1; }
                static const fat_message messages[] = { FAT_QUERY(get, "get() -> u64") };
                static const fat_contract_descriptor descriptor = { sizeof(fat_contract_descriptor), FAT_ABI_VERSION_MAJOR,
                    FAT_ABI_VERSION_MINOR, "crashes-on-load", "1.0.0", messages, 1, 0, init, NULL, NULL };
                FAT_DEFINE_ENTRY(descriptor);
                """, name: "crashes_on_load", in: dir.path)
            let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            #expect {
                _ = try host.prepare(CodeUpload(kind: .native, bytes: bytes, metadata: []))
            } throws: { error in
                guard let error = error as? FatError else { return false }
                return error.code == .loadFailed && error.message.contains("SIGABRT")
            }
            let garbage = CodeUpload(kind: .native, bytes: Array("not an ELF file".utf8), metadata: [])
            #expect {
                _ = try host.prepare(garbage)
            } throws: { error in
                (error as? FatError)?.code == .loadFailed && "\(error)".contains("not a loadable shared object")
            }
        }
    }
}
