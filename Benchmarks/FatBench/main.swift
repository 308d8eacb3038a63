// Benchmarks for FatContract, run in release: `swift run -c release fat-bench [query|commands|wasm|http|crypto|serve|isolation|node|cluster|state|all]`.
// Every figure is printed with a baseline measured in the same run, since the machines are shared
// and absolute numbers drift; see README.md "Benchmarks" for what each one means.
import FatBenchBaseline
import FatCodec
import FatContractABI
import FatCrypto
import FatInk
import FatRuntime
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "all"

func productPath(_ name: String) -> String {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("lib\(name).so").path
}

func temporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fat-bench-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

let deployer = try! Ed25519SigningKey(seed: [UInt8](repeating: 1, count: 32))
let deployerAccount = AccountId(deployer.publicKey)!

func deployCounter(_ host: FatHost, initial: UInt64) throws -> AccountId {
    let bytes = [UInt8](FileManager.default.contents(atPath: productPath("counter"))!)
    let upload = CodeUpload(kind: .native, bytes: bytes, metadata: [])
    let code = try host.prepare(upload)
    let constructor = code.metadata.constructors.first { $0.label == "new" }!
    let input = constructor.selector + withUnsafeBytes(of: initial.littleEndian) { Array($0) }
    return try host.submit(Command.deploy(upload, input: input, salt: [1], caller: deployerAccount)).contract
}

func selector(_ host: FatHost, _ contract: AccountId, _ name: String) throws -> [UInt8] {
    try host.metadata(of: contract).messages.first { $0.label == name }!.selector
}

/// Native query latency through the host against a direct call of the same C function.
func benchQuery() throws {
    let iterations = 200_000
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir)
    defer { host.close() }
    let counter = try deployCounter(host, initial: 42)
    let input = try selector(host, counter, "get")

    // The same `get` function, called directly with an in-memory host table.
    let handle = dlopen(productPath("counter"), RTLD_NOW)!
    let entry = unsafeBitCast(dlsym(handle, FAT_CONTRACT_ENTRY_SYMBOL)!, to: fat_contract_entry_fn.self)
    var offer = fat_negotiation(
        struct_size: UInt32(MemoryLayout<fat_negotiation>.size), min_major: 1, min_minor: 0, max_major: 1,
        max_minor: 0, host: nil)
    var descriptor: UnsafePointer<fat_contract_descriptor>?
    precondition(entry(&offer, &descriptor) == FAT_OK)
    let messages = descriptor!.pointee.messages!
    let get = (0 ..< Int(descriptor!.pointee.message_count)).map { messages[$0] }.first { String(cString: $0.name) == "get" }!.function!
    let context = fat_bench_baseline_context(42)
    precondition(fat_bench_call_u64_once(get, context) == 42)
    let answered = try host.query(counter, input: input).output
    precondition(answered == withUnsafeBytes(of: UInt64(42).littleEndian) { Array($0) })

    let (direct, hosted) = try interleaved(
        rounds: iterations / 1000, batch: 1000, warmup: 20_000,
        {
            _ = fat_bench_call_u64_once(get, context)
        },
        {
            _ = try host.query(counter, input: input)
        })
    let clock = ContinuousClock()
    let batch = 10_000_000
    let batchStart = clock.now
    _ = fat_bench_call_u64(get, context, UInt64(batch))
    let directMean = nanoseconds(clock.now - batchStart) / Double(batch)
    print("native query `get`, in-process, \(iterations) calls each, in turn by batches of 1000 (timer overhead included in both):")
    print(
        String(
            format: "  direct C call      p50 %8.0f ns   p99 %8.0f ns   (mean in a tight loop %.1f ns)", percentile(direct, 0.5),
            percentile(direct, 0.99), directMean))
    print(String(format: "  FatHost.query         p50 %8.0f ns   p99 %8.0f ns", percentile(hosted, 0.5), percentile(hosted, 0.99)))
    print(
        String(
            format: "  added by the host  p50 %8.0f ns   p99 %8.0f ns   (target: at most 2000 ns)",
            percentile(hosted, 0.5) - percentile(direct, 0.5), percentile(hosted, 0.99) - percentile(direct, 0.99)))
    Report.row("query.native.p50", baseline: percentile(direct, 0.5), subject: percentile(hosted, 0.5), unit: "ns")
    Report.row("query.native.p99", baseline: percentile(direct, 0.99), subject: percentile(hosted, 0.99), unit: "ns")
    Report.row(
        "query.native.added.p50", baseline: 2000, subject: percentile(hosted, 0.5) - percentile(direct, 0.5), unit: "ns (baseline: the target)")
}

/// Durable command throughput with group commit, as clients send commands (signed, each submitter
/// with its own key and rising nonces) and, as a floor, unsigned; against one fsync'd SQLite
/// transaction per command on the same disk. The three run in turn, round after round.
func benchCommands() throws {
    let rounds = 4
    let perRound = 8_000
    let submitters = 64
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir)
    defer { host.close() }
    let counter = try deployCounter(host, initial: 0)
    let input = try selector(host, counter, "increment") + withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }
    let keys = try (0 ..< submitters).map { try Ed25519SigningKey(seed: [UInt8](repeating: UInt8(100 + $0), count: 32)) }
    // Signed ahead, as clients sign before sending: one key per submitter, nonces rising.
    let perSubmitter = perRound / submitters
    let expiry = FatHost.nowMs + 3_600_000
    let signed: [[[Command]]] = (0 ... rounds).map { round in
        keys.map { key in
            (0 ..< perSubmitter).map { index in
                var command = Command(
                    caller: AccountId(key.publicKey)!, action: .call(contract: counter, input: input),
                    nonce: UInt64(round * perSubmitter + index + 1), expiresAtMs: expiry)
                command.signature = Signature(scheme: .ed25519, bytes: key.sign(command.signingPayload(genesis: host.genesis)))
                return command
            }
        }
    }
    func submitAll(_ commands: [[Command]]) {
        let group = DispatchGroup()
        // Real threads: concurrentPerform would run only as many submitters as there are cores.
        for mine in commands {
            group.enter()
            Thread {
                for command in mine { precondition(try! host.submit(command).outcome == .success) }
                group.leave()
            }.start()
        }
        group.wait()
    }
    var round = 0
    let unsigned = (0 ..< submitters).map { _ in
        [Command](repeating: Command(caller: deployerAccount, action: .call(contract: counter, input: input)), count: perSubmitter)
    }
    let baseline = try SQLiteBaseline(path: dir + "/baseline.sqlite")
    var baselineSeq = 0
    let rates = try alternating(
        rounds: rounds,
        [
            (
                units: 100,
                run: {
                    for _ in 0 ..< 100 {
                        try baseline.insertCommitted(baselineSeq)
                        baselineSeq += 1
                    }
                }
            ),
            (units: perSubmitter * submitters, run: { submitAll(unsigned) }),
            (
                units: perSubmitter * submitters,
                run: {
                    submitAll(signed[round])
                    round += 1
                }
            ),
        ])
    let total = (rounds + 1) * perSubmitter * submitters * 2
    let counted = try host.query(counter, input: try selector(host, counter, "get")).output
    precondition(counted == withUnsafeBytes(of: UInt64(total).littleEndian) { Array($0) }, "the counter disagrees with the commands sent")
    print(
        "durable counter `increment` commands, \(submitters) concurrent submitters, \(rounds) rounds of \(perSubmitter * submitters) of each kind, in turn:"
    )
    print(String(format: "  signed (Ed25519, a key and rising nonces per submitter)  %9.0f commands/s   (target: at least 20000)", rates[2]))
    print(String(format: "  unsigned, the floor (no signature, no nonce)             %9.0f commands/s", rates[1]))
    print(String(format: "  one fsync per command (SQLite WAL, synchronous=FULL)     %9.0f transactions/s", rates[0]))
    print(String(format: "  signed / one fsync per command %.1f×; signed / unsigned %.2f×", rates[2] / rates[0], rates[2] / rates[1]))
    Report.row("commands.signed", baseline: rates[0], subject: rates[2], unit: "commands/s (baseline: one fsync per command)")
    Report.row("commands.unsigned", baseline: rates[0], subject: rates[1], unit: "commands/s (baseline: one fsync per command)")
}

/// Wasm (ink!) query latency against the native counter in the same host, and what instance
/// reuse saves against preparing a fresh instance per call.
func benchWasm() throws {
    let iterations = 20_000
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir)
    defer { host.close() }
    let counter = try deployCounter(host, initial: 1)
    let native = try selector(host, counter, "get")
    let fixture = fixturePath("ink/contracts-ui/flipper.contract")
    guard let bundle = FileManager.default.contents(atPath: fixture) else {
        throw BenchError("wasm: \(fixture) is missing (../shared/fixtures)")
    }
    let metadata = try ContractMetadata.parse(json: [UInt8](bundle))
    let upload = CodeUpload(kind: .wasm, bytes: metadata.wasm!, metadata: [UInt8](bundle))
    let code = try host.prepare(upload)
    let constructor = code.metadata.constructors.first { $0.label == "new" }!.selector + [0]
    let flipper = try host.submit(Command.deploy(upload, input: constructor, salt: [2], caller: deployerAccount)).contract
    let get = code.metadata.messages.first { $0.label == "get" }!.selector
    let warmup = try host.query(flipper, input: get)
    precondition(warmup.outcome == .success)
    let (nativeSamples, wasmSamples) = try interleaved(
        rounds: iterations / 500, batch: 500, warmup: 2_000,
        {
            _ = try host.query(counter, input: native)
        },
        {
            _ = try host.query(flipper, input: get)
        })
    // Without a pool, a host would keep the compiled module and instantiate it for every call;
    // measured in turn with warm queries.
    let compiled = try InkCode.prepare(wasm: metadata.wasm!)
    let (fresh, warm) = try interleaved(
        rounds: 20, batch: 5, warmup: 5,
        {
            try compiled.instantiateAfresh()
        },
        {
            _ = try host.query(flipper, input: get)
        })
    print("ink! 4 flipper `get` query through FatHost (contracts-ui fixture), \(iterations) calls each, in turn by batches of 500:")
    print(String(format: "  native counter get  p50 %8.0f ns   p99 %8.0f ns", percentile(nativeSamples, 0.5), percentile(nativeSamples, 0.99)))
    print(
        String(
            format: "  ink! flipper get    p50 %8.0f ns   p99 %8.0f ns   (%.1f× native)", percentile(wasmSamples, 0.5), percentile(wasmSamples, 0.99),
            percentile(wasmSamples, 0.5) / percentile(nativeSamples, 0.5)))
    print(
        String(
            format:
                "  instantiating the compiled module afresh, as a host without a pool would: %.0f ns, before running anything (%.0f× the warm query)",
            percentile(fresh, 0.5), percentile(fresh, 0.5) / percentile(warm, 0.5)))
    Report.row(
        "wasm.flipper.get.p50", baseline: percentile(nativeSamples, 0.5), subject: percentile(wasmSamples, 0.5),
        unit: "ns (baseline: native counter get)")
    Report.row(
        "wasm.warm-pool", baseline: percentile(fresh, 0.5), subject: percentile(warm, 0.5),
        unit: "ns (baseline: a fresh instance of the compiled module)")
    try benchComputation(host: host, fixtures: URL(fileURLWithPath: fixture).deletingLastPathComponent().deletingLastPathComponent())
    try benchTransfers(fixtures: URL(fileURLWithPath: fixture).deletingLastPathComponent().deletingLastPathComponent())
}

/// Durable `transfer` commands: the ink! erc20 fixture against the native token, same host, same
/// submitters, in turn round after round.
func benchTransfers(fixtures: URL) throws {
    let rounds = 4
    let perRound = 2_048
    let submitters = 64
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir)
    defer { host.close() }
    let bob = [UInt8](repeating: 2, count: 32)
    let supply = withUnsafeBytes(of: UInt128(1) << 100) { Array($0) }
    let one = withUnsafeBytes(of: UInt128(1).littleEndian) { Array($0) }

    let bundle = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("contracts-ui/erc20.contract")))
    let metadata = try ContractMetadata.parse(json: bundle)
    let upload = CodeUpload(kind: .wasm, bytes: metadata.wasm!, metadata: bundle)
    let code = try host.prepare(upload)
    let erc20 = try host.submit(
        Command.deploy(upload, input: code.metadata.constructors.first { $0.label == "new" }!.selector + supply, salt: [5], caller: deployerAccount)
    ).contract
    let nativeBytes = [UInt8](FileManager.default.contents(atPath: productPath("token"))!)
    let nativeUpload = CodeUpload(kind: .native, bytes: nativeBytes, metadata: [])
    let nativeCode = try host.prepare(nativeUpload)
    let token = try host.submit(
        Command.deploy(nativeUpload, input: nativeCode.metadata.constructors[0].selector + supply, salt: [6], caller: deployerAccount)
    ).contract

    final class Latencies: @unchecked Sendable {
        let lock = NSLock()
        var values: [[Double]] = [[], []]
        var measuring = false
    }
    let latencies = Latencies()
    let clock = ContinuousClock()
    func run(_ contract: AccountId, _ input: [UInt8], _ slot: Int) {
        let group = DispatchGroup()
        for _ in 0 ..< submitters {
            group.enter()
            Thread {
                var mine: [Double] = []
                for _ in 0 ..< perRound / submitters {
                    let began = clock.now
                    let receipt = try! host.submit(Command(caller: deployerAccount, action: .call(contract: contract, input: input)))
                    precondition(receipt.outcome == .success, "\(receipt.outcome)")
                    mine.append(nanoseconds(clock.now - began))
                }
                latencies.lock.lock()
                if latencies.measuring { latencies.values[slot] += mine }
                latencies.lock.unlock()
                group.leave()
            }.start()
        }
        group.wait()
    }
    let wasmTransfer = code.metadata.messages.first { $0.label == "transfer" }!.selector + bob + one
    let nativeTransfer = nativeCode.metadata.messages.first { $0.label == "transfer" }!.selector + bob + one
    var round = 0
    let rates = try alternating(
        rounds: rounds,
        [
            (
                units: perRound,
                run: {
                    latencies.lock.withLock { latencies.measuring = round > 0 }
                    run(token, nativeTransfer, 0)
                }
            ),
            (
                units: perRound,
                run: {
                    run(erc20, wasmTransfer, 1)
                    round += 1
                }
            ),
        ])
    let native = latencies.values[0].sorted()
    let wasm = latencies.values[1].sorted()
    print(
        "durable `transfer` commands, \(submitters) submitters, \(rounds) rounds of \(perRound) of each kind in turn (latency includes waiting for the group commit):"
    )
    print(
        String(
            format: "  native token      %7.0f commands/s   p50 %6.2f ms   p99 %6.2f ms", rates[0], percentile(native, 0.5) / 1e6,
            percentile(native, 0.99) / 1e6))
    print(
        String(
            format: "  ink! erc20        %7.0f commands/s   p50 %6.2f ms   p99 %6.2f ms   (%.2f× native throughput)", rates[1],
            percentile(wasm, 0.5) / 1e6, percentile(wasm, 0.99) / 1e6, rates[1] / rates[0]))
    Report.row("transfers.erc20", baseline: rates[0], subject: rates[1], unit: "commands/s (baseline: the native token)")
}

/// smart-bench's `computation` contract (ink!, Wasm) against the same loops as a native contract.
func benchComputation(host: FatHost, fixtures: URL) throws {
    let bundle = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("smart-bench/ink/computation.contract")))
    let metadata = try ContractMetadata.parse(json: bundle)
    let upload = CodeUpload(kind: .wasm, bytes: metadata.wasm!, metadata: bundle)
    let code = try host.prepare(upload)
    let wasm = try host.submit(Command.deploy(upload, input: code.metadata.constructors[0].selector, salt: [3], caller: deployerAccount)).contract
    let nativeBytes = [UInt8](FileManager.default.contents(atPath: productPath("computation"))!)
    let nativeUpload = CodeUpload(kind: .native, bytes: nativeBytes, metadata: [])
    let nativeCode = try host.prepare(nativeUpload)
    let native = try host.submit(
        Command.deploy(nativeUpload, input: nativeCode.metadata.constructors[0].selector, salt: [4], caller: deployerAccount)
    ).contract
    let n: Int32 = 100_000
    let argument = withUnsafeBytes(of: n.littleEndian) { Array($0) }
    print("smart-bench `computation`, n = \(n), median of 21 queries each, native and ink! in turn:")
    for message in ["odd_product", "triangle_number"] {
        let wasmInput = code.metadata.messages.first { $0.label == message }!.selector + argument
        let nativeInput = nativeCode.metadata.messages.first { $0.label == message }!.selector + argument
        let (nativeSamples, wasmSamples) = try interleaved(
            rounds: 21, batch: 1, warmup: 2,
            {
                let outcome = try host.query(native, input: nativeInput).outcome
                precondition(outcome == .success)
            },
            {
                let outcome = try host.query(wasm, input: wasmInput).outcome
                precondition(outcome == .success)
            })
        let nativeTime = percentile(nativeSamples, 0.5)
        let wasmTime = percentile(wasmSamples, 0.5)
        print(
            String(
                format: "  %-16@ native %10.0f ns   ink! (WasmKit) %12.0f ns   ratio %.0f×", message as NSString, nativeTime, wasmTime,
                wasmTime / nativeTime))
        Report.row("computation.\(message)", baseline: nativeTime, subject: wasmTime, unit: "ns (baseline: the same loop native)")
    }
}

/// Runs a writer that never stops, printing "ack SEQ" after each acknowledged command: the
/// process a crash test kills with SIGKILL.
func crashWriter() throws {
    guard let index = arguments.firstIndex(of: "--data"), index + 1 < arguments.count else {
        FileHandle.standardError.write(Data("usage: fat-bench crash-writer --data DIR\n".utf8))
        exit(2)
    }
    let dir = arguments[index + 1]
    let host = try FatHost(dataDirectory: dir)
    let counter = try deployCounter(host, initial: 0)
    try counter.hex.write(toFile: dir + "/counter-address", atomically: true, encoding: .utf8)
    let input = try selector(host, counter, "increment") + withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }
    let output = NSLock()
    for _ in 0 ..< 16 {
        Thread {
            while true {
                let receipt = try! host.submit(Command(caller: deployerAccount, action: .call(contract: counter, input: input)))
                output.lock()
                print("ack \(receipt.seq)")
                fflush(nil)
                output.unlock()
            }
        }.start()
    }
    while true { sleep(60) }
}

do {
    switch mode {
    case "query": try benchQuery()
    case "commands": try benchCommands()
    case "wasm": try benchWasm()
    case "http": try benchHTTP()
    case "crypto": try benchCrypto()
    case "serve": try benchServe()
    case "isolation": try benchIsolation()
    case "node": try benchNode()
    case "cluster": try benchCluster()
    case "state": try benchState()
    case "crash-writer": try crashWriter()
    case "all":
        try benchQuery()
        try benchCommands()
        try benchWasm()
        try benchHTTP()
        try benchCrypto()
        try benchServe()
        try benchIsolation()
        try benchNode()
        try benchCluster()
        try benchState()
    default:
        print("usage: fat-bench [query|commands|wasm|http|crypto|serve|isolation|node|cluster|state [SIZES…]|all]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("fat-bench: \(error)\n".utf8))
    exit(1)
}
