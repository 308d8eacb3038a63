// Benchmarks for FatContract, run in release: `swift run -c release fat-bench [query|commands|wasm|http|crypto|serve|all]`.
// Every figure is printed with a baseline measured in the same run, since the machines are shared
// and absolute numbers drift; see README.md "Benchmarks" for what each one means.
import FatBenchBaseline
import FatContractABI
import FatCodec
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
    var offer = fat_negotiation(struct_size: UInt32(MemoryLayout<fat_negotiation>.size), min_major: 1, min_minor: 0, max_major: 1,
                                max_minor: 0, host: nil)
    var descriptor: UnsafePointer<fat_contract_descriptor>?
    precondition(entry(&offer, &descriptor) == FAT_OK)
    let messages = descriptor!.pointee.messages!
    let get = (0 ..< Int(descriptor!.pointee.message_count)).map { messages[$0] }.first { String(cString: $0.name) == "get" }!.function!
    let context = fat_bench_baseline_context(42)
    precondition(fat_bench_call_u64_once(get, context) == 42)
    let answered = try host.query(counter, input: input).output
    precondition(answered == withUnsafeBytes(of: UInt64(42).littleEndian) { Array($0) })

    let clock = ContinuousClock()
    var direct: [Double] = []
    var hosted: [Double] = []
    direct.reserveCapacity(iterations)
    hosted.reserveCapacity(iterations)
    for round in 0 ..< 2 { // the first round warms caches and is discarded
        direct.removeAll(keepingCapacity: true)
        hosted.removeAll(keepingCapacity: true)
        for _ in 0 ..< iterations {
            let start = clock.now
            _ = fat_bench_call_u64_once(get, context)
            direct.append(nanoseconds(clock.now - start))
        }
        for _ in 0 ..< iterations {
            let start = clock.now
            _ = try host.query(counter, input: input)
            hosted.append(nanoseconds(clock.now - start))
        }
        _ = round
    }
    direct.sort()
    hosted.sort()
    let batch = 10_000_000
    let batchStart = clock.now
    _ = fat_bench_call_u64(get, context, UInt64(batch))
    let directMean = nanoseconds(clock.now - batchStart) / Double(batch)
    print("native query `get`, in-process, \(iterations) calls each (timer overhead included in both):")
    print(String(format: "  direct C call      p50 %8.0f ns   p99 %8.0f ns   (mean in a tight loop %.1f ns)", percentile(direct, 0.5), percentile(direct, 0.99), directMean))
    print(String(format: "  FatHost.query         p50 %8.0f ns   p99 %8.0f ns", percentile(hosted, 0.5), percentile(hosted, 0.99)))
    print(String(format: "  added by the host  p50 %8.0f ns   p99 %8.0f ns   (target: at most 2000 ns)",
                 percentile(hosted, 0.5) - percentile(direct, 0.5), percentile(hosted, 0.99) - percentile(direct, 0.99)))
}

/// Durable command throughput with group commit, against one fsync'd SQLite transaction per
/// command on the same disk.
func benchCommands() throws {
    let total = 40_000
    let submitters = 64
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let host = try FatHost(dataDirectory: dir)
    let counter = try deployCounter(host, initial: 0)
    let input = try selector(host, counter, "increment") + withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }
    let clock = ContinuousClock()
    let start = clock.now
    // Real threads: concurrentPerform would run only as many submitters as there are cores.
    let group = DispatchGroup()
    for _ in 0 ..< submitters {
        group.enter()
        Thread {
            for _ in 0 ..< total / submitters {
                _ = try! host.submit(Command(caller: deployerAccount, action: .call(contract: counter, input: input)))
            }
            group.leave()
        }.start()
    }
    group.wait()
    let elapsed = nanoseconds(clock.now - start) / 1e9
    let done = total / submitters * submitters
    let count = try host.query(counter, input: try selector(host, counter, "get")).output
    precondition(count == withUnsafeBytes(of: UInt64(done).littleEndian) { Array($0) })
    host.close()

    // Baseline: the durable-write ceiling without group commit.
    let baselineCount = 500
    let baselinePath = dir + "/baseline.sqlite"
    let connection = try SQLiteBaseline(path: baselinePath)
    let baselineStart = clock.now
    for index in 0 ..< baselineCount { try connection.insertCommitted(index) }
    let baselineElapsed = nanoseconds(clock.now - baselineStart) / 1e9

    let throughput = Double(done) / elapsed
    let baseline = Double(baselineCount) / baselineElapsed
    print("durable counter `increment` commands, \(submitters) concurrent submitters, \(done) commands:")
    print(String(format: "  group commit             %9.0f commands/s   (target: at least 20000)", throughput))
    print(String(format: "  one fsync per command    %9.0f transactions/s (SQLite WAL, synchronous=FULL, same disk)", baseline))
    print(String(format: "  ratio                    %9.1f×", throughput / baseline))
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
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/ink/contracts-ui/flipper.contract").path
    guard let bundle = FileManager.default.contents(atPath: fixture) else {
        print("wasm: ../shared/fixtures is not present; skipped")
        return
    }
    let metadata = try ContractMetadata.parse(json: [UInt8](bundle))
    let upload = CodeUpload(kind: .wasm, bytes: metadata.wasm!, metadata: [UInt8](bundle))
    let code = try host.prepare(upload)
    let constructor = code.metadata.constructors.first { $0.label == "new" }!.selector + [0]
    let flipper = try host.submit(Command.deploy(upload, input: constructor, salt: [2], caller: deployerAccount)).contract
    let get = code.metadata.messages.first { $0.label == "get" }!.selector
    let warmup = try host.query(flipper, input: get)
    precondition(warmup.outcome == .success)
    let clock = ContinuousClock()
    func measure(_ body: () throws -> Void) rethrows -> [Double] {
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0 ..< iterations {
            let start = clock.now
            try body()
            samples.append(nanoseconds(clock.now - start))
        }
        return samples.sorted()
    }
    _ = try measure { _ = try host.query(flipper, input: get) }
    let nativeSamples = try measure { _ = try host.query(counter, input: native) }
    let wasmSamples = try measure { _ = try host.query(flipper, input: get) }
    let freshCount = 50
    let freshStart = clock.now
    for _ in 0 ..< freshCount { _ = try InkCode.prepare(wasm: metadata.wasm!) }
    let fresh = nanoseconds(clock.now - freshStart) / Double(freshCount)
    print("ink! 4 flipper `get` query through FatHost (contracts-ui fixture), \(iterations) calls:")
    print(String(format: "  native counter get  p50 %8.0f ns   p99 %8.0f ns", percentile(nativeSamples, 0.5), percentile(nativeSamples, 0.99)))
    print(String(format: "  ink! flipper get    p50 %8.0f ns   p99 %8.0f ns   (%.1f× native)", percentile(wasmSamples, 0.5), percentile(wasmSamples, 0.99), percentile(wasmSamples, 0.5) / percentile(nativeSamples, 0.5)))
    print(String(format: "  a fresh validated instance per call would cost %.0f ns before running anything (%.0f× the warm query)", fresh, fresh / percentile(wasmSamples, 0.5)))
    try benchComputation(host: host, fixtures: URL(fileURLWithPath: fixture).deletingLastPathComponent().deletingLastPathComponent())
    try benchTransfers(fixtures: URL(fileURLWithPath: fixture).deletingLastPathComponent().deletingLastPathComponent())
}

/// Durable `transfer` commands: the ink! erc20 fixture against the native token, same host, same
/// submitters.
func benchTransfers(fixtures: URL) throws {
    let total = 8_000
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
    let erc20 = try host.submit(Command.deploy(upload, input: code.metadata.constructors.first { $0.label == "new" }!.selector + supply, salt: [5], caller: deployerAccount)).contract
    let nativeBytes = [UInt8](FileManager.default.contents(atPath: productPath("token"))!)
    let nativeUpload = CodeUpload(kind: .native, bytes: nativeBytes, metadata: [])
    let nativeCode = try host.prepare(nativeUpload)
    let token = try host.submit(Command.deploy(nativeUpload, input: nativeCode.metadata.constructors[0].selector + supply, salt: [6], caller: deployerAccount)).contract

    func run(_ contract: AccountId, _ input: [UInt8]) -> (perSecond: Double, p50: Double, p99: Double) {
        let clock = ContinuousClock()
        final class Samples: @unchecked Sendable {
            let lock = NSLock()
            var values: [Double] = []
        }
        let samples = Samples()
        let group = DispatchGroup()
        let start = clock.now
        for _ in 0 ..< submitters {
            group.enter()
            Thread {
                var mine: [Double] = []
                for _ in 0 ..< total / submitters {
                    let began = clock.now
                    let receipt = try! host.submit(Command(caller: deployerAccount, action: .call(contract: contract, input: input)))
                    precondition(receipt.outcome == .success, "\(receipt.outcome)")
                    mine.append(nanoseconds(clock.now - began))
                }
                samples.lock.lock()
                samples.values += mine
                samples.lock.unlock()
                group.leave()
            }.start()
        }
        group.wait()
        let elapsed = nanoseconds(clock.now - start) / 1e9
        let latencies = samples.values.sorted()
        return (Double(latencies.count) / elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99))
    }
    let wasmTransfer = code.metadata.messages.first { $0.label == "transfer" }!.selector + bob + one
    let nativeTransfer = nativeCode.metadata.messages.first { $0.label == "transfer" }!.selector + bob + one
    let native = run(token, nativeTransfer)
    let wasm = run(erc20, wasmTransfer)
    print("durable `transfer` commands, \(submitters) submitters, \(total) each kind (latency includes waiting for the group commit):")
    print(String(format: "  native token      %7.0f commands/s   p50 %6.2f ms   p99 %6.2f ms", native.perSecond, native.p50 / 1e6, native.p99 / 1e6))
    print(String(format: "  ink! erc20        %7.0f commands/s   p50 %6.2f ms   p99 %6.2f ms   (%.2f× native throughput)", wasm.perSecond, wasm.p50 / 1e6, wasm.p99 / 1e6, wasm.perSecond / native.perSecond))
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
    let native = try host.submit(Command.deploy(nativeUpload, input: nativeCode.metadata.constructors[0].selector, salt: [4], caller: deployerAccount)).contract
    let n: Int32 = 100_000
    let argument = withUnsafeBytes(of: n.littleEndian) { Array($0) }
    let clock = ContinuousClock()
    print("smart-bench `computation`, n = \(n), median of 21 queries:")
    for message in ["odd_product", "triangle_number"] {
        func time(_ contract: AccountId, _ selector: [UInt8]) throws -> Double {
            var samples: [Double] = []
            for _ in 0 ..< 21 {
                let start = clock.now
                let result = try host.query(contract, input: selector + argument)
                precondition(result.outcome == .success)
                samples.append(nanoseconds(clock.now - start))
            }
            return samples.sorted()[10]
        }
        let wasmTime = try time(wasm, code.metadata.messages.first { $0.label == message }!.selector)
        let nativeTime = try time(native, nativeCode.metadata.messages.first { $0.label == message }!.selector)
        print(String(format: "  %-16@ native %10.0f ns   ink! (WasmKit) %12.0f ns   ratio %.0f×", message as NSString, nativeTime, wasmTime, wasmTime / nativeTime))
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

switch mode {
case "query": try benchQuery()
case "commands": try benchCommands()
case "wasm": try benchWasm()
case "http": try benchHTTP()
case "crypto": try benchCrypto()
case "serve": try benchServe()
case "crash-writer": try crashWriter()
case "all":
    try benchQuery()
    try benchCommands()
    try benchWasm()
    try benchHTTP()
    try benchCrypto()
    try benchServe()
default:
    print("usage: fat-bench [query|commands|wasm|http|crypto|serve|all]")
    exit(2)
}
