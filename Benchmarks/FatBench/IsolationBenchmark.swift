import FatCodec
import FatInk
import FatRuntime
import Foundation

/// What running native contracts in worker processes costs, against the same work in process,
/// measured in turn in the same run: a native query, a stream of durable commands, and the
/// replacement of a worker that crashed.
func benchIsolation() throws {
    let worker = URL(fileURLWithPath: productPath("x")).deletingLastPathComponent().appendingPathComponent("fat-worker").path
    let inProcessDir = temporaryDirectory()
    let isolatedDir = temporaryDirectory()
    defer {
        try? FileManager.default.removeItem(atPath: inProcessDir)
        try? FileManager.default.removeItem(atPath: isolatedDir)
    }
    let inProcess = try FatHost(dataDirectory: inProcessDir)
    defer { inProcess.close() }
    let isolated = try FatHost(dataDirectory: isolatedDir, engines: [IsolatedNativeEngine(executable: worker), InkContractEngine()])
    defer { isolated.close() }
    let counters = try [inProcess, isolated].map { try deployCounter($0, initial: 42) }
    let get = try selector(inProcess, counters[0], "get")
    let expected = withUnsafeBytes(of: UInt64(42).littleEndian) { Array($0) }
    let answered = try isolated.query(counters[1], input: get).output
    precondition(answered == expected, "the isolated counter does not answer 42")

    // 1. A native query: `get` reads one key (one round trip to the host) and answers.
    let iterations = 100_000
    let (local, remote) = try interleaved(
        rounds: iterations / 1000, batch: 1000, warmup: 10_000,
        { _ = try inProcess.query(counters[0], input: get) },
        {
            let outcome = try isolated.query(counters[1], input: get).outcome
            precondition(outcome == .success)
        })
    print("native query `get`, \(iterations) calls each, in turn by batches of 1000:")
    print(String(format: "  in-process           p50 %8.0f ns   p99 %8.0f ns", percentile(local, 0.5), percentile(local, 0.99)))
    print(String(format: "  in a worker process  p50 %8.0f ns   p99 %8.0f ns", percentile(remote, 0.5), percentile(remote, 0.99)))
    print(
        String(
            format: "  added by isolation   p50 %8.0f ns   p99 %8.0f ns   (target: at most 10000 ns at p50)",
            percentile(remote, 0.5) - percentile(local, 0.5), percentile(remote, 0.99) - percentile(local, 0.99)))
    Report.row("isolation.query.p50", baseline: percentile(local, 0.5), subject: percentile(remote, 0.5), unit: "ns (baseline: in-process)")
    Report.row("isolation.query.p99", baseline: percentile(local, 0.99), subject: percentile(remote, 0.99), unit: "ns (baseline: in-process)")
    Report.row(
        "isolation.query.added.p50", baseline: 10_000, subject: percentile(remote, 0.5) - percentile(local, 0.5),
        unit: "ns (baseline: the target)")

    // 2. Durable commands: 16 submitters send `increment` (unsigned: the signature is the same
    // work either way), to each host in turn.
    let submitters = 16
    let perSubmitter = 250
    func stream(_ host: FatHost, _ counter: AccountId) throws -> () throws -> Void {
        let input = try selector(host, counter, "increment") + withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }
        let command = Command(caller: deployerAccount, action: .call(contract: counter, input: input))
        return {
            let group = DispatchGroup()
            for _ in 0 ..< submitters {
                group.enter()
                Thread {
                    for _ in 0 ..< perSubmitter { precondition(try! host.submit(command).outcome == .success) }
                    group.leave()
                }.start()
            }
            group.wait()
        }
    }
    let rates = try alternating(
        rounds: 4,
        [
            (units: submitters * perSubmitter, run: try stream(inProcess, counters[0])),
            (units: submitters * perSubmitter, run: try stream(isolated, counters[1])),
        ])
    print("durable `increment` commands, \(submitters) submitters, 4 rounds of \(submitters * perSubmitter) each, in turn:")
    print(String(format: "  in-process           %9.0f commands/s", rates[0]))
    print(String(format: "  in a worker process  %9.0f commands/s   (%.2f×)", rates[1], rates[1] / rates[0]))
    Report.row("isolation.commands", baseline: rates[0], subject: rates[1], unit: "commands/s (baseline: in-process)")

    // 3. A worker that crashes: the crashing query itself; a query 100 ms later, which finds the
    // replacement the pool started in the background; and what starting a worker costs (spawn,
    // load, declarations: the engine preparing the code afresh). Against a query on a warm
    // worker that has been idle as long.
    let unrulyBytes = [UInt8](FileManager.default.contents(atPath: productPath("unruly"))!)
    let upload = CodeUpload(kind: .native, bytes: unrulyBytes, metadata: [])
    let code = try isolated.prepare(upload)
    let new = code.metadata.constructors.first { $0.label == "new" }!.selector
    let unruly = try isolated.submit(Command.deploy(upload, input: new, salt: [2], caller: deployerAccount)).contract
    let misbehave = try selector(isolated, unruly, "misbehave")
    let engine = IsolatedNativeEngine(executable: worker)
    let clock = ContinuousClock()
    func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = clock.now
        try body()
        return nanoseconds(clock.now - start)
    }
    func query(_ kind: UInt8) throws -> Outcome { try isolated.query(unruly, input: misbehave + [kind, 0, 0, 0]).outcome }
    var warm: [Double] = []
    var crashes: [Double] = []
    var replaced: [Double] = []
    var starts: [Double] = []
    for _ in 0 ..< 40 {
        usleep(100_000)
        warm.append(
            try timed {
                let outcome = try query(0)
                precondition(outcome == .success)
            })
        crashes.append(
            try timed {
                guard case let .failed(error) = try query(1), error.code == .contractCrashed else {
                    preconditionFailure("the crash was not reported as contract_crashed")
                }
            })
        usleep(100_000)
        replaced.append(
            try timed {
                let outcome = try query(0)
                precondition(outcome == .success)
            })
        starts.append(try timed { _ = try engine.prepare(hash: upload.codeHash, bytes: unrulyBytes) })
    }
    warm.sort()
    crashes.sort()
    replaced.sort()
    starts.sort()
    print("a worker that crashes (SIGSEGV), 40 times, 100 ms apart:")
    print(String(format: "  a query on an idle warm worker       p50 %10.0f ns", percentile(warm, 0.5)))
    print(String(format: "  the crashing query                   p50 %10.0f ns   p99 %10.0f ns", percentile(crashes, 0.5), percentile(crashes, 0.99)))
    print(
        String(format: "  the query after (the replacement)    p50 %10.0f ns   p99 %10.0f ns", percentile(replaced, 0.5), percentile(replaced, 0.99)))
    print(String(format: "  starting a worker (off the path)     p50 %10.0f ns   p99 %10.0f ns", percentile(starts, 0.5), percentile(starts, 0.99)))
    Report.row("isolation.crash", baseline: percentile(warm, 0.5), subject: percentile(crashes, 0.5), unit: "ns (baseline: an idle warm worker)")
    Report.row("isolation.replaced", baseline: percentile(warm, 0.5), subject: percentile(replaced, 0.5), unit: "ns (baseline: an idle warm worker)")
    Report.row("isolation.start", baseline: percentile(warm, 0.5), subject: percentile(starts, 0.5), unit: "ns (baseline: an idle warm worker)")
}
