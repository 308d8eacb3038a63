import FatClient
import FatCodec
import FatCrypto
import FatRuntime
import Foundation
import Glibc

/// How the cost of reading and opening a host grows with the size of its state: the `kv`
/// contract's storage filled with N entries (8-byte keys, 32-byte values), then
///
/// - `FatHost.query` of one key, again and again (cached), and of keys read once each by a host
///   opened afresh (uncached: the state cache is empty; the database pages are wherever the OS
///   keeps them after the fill);
/// - the `fat` CLI of this build: one `fat query` and one `fat call`, each a process that opens
///   the data directory;
/// - `fat serve`: from its start until `/health` answers, and its resident memory after enough
///   queries of distinct keys to fill the default state cache.
///
/// The sizes are the arguments after `state` (default 1000 and 1000000); the first is the
/// baseline the others are compared with.
func benchState() throws {
    let requested = arguments.dropFirst().compactMap { Int($0) }
    let sizes = requested.isEmpty ? [1_000, 1_000_000] : requested
    var rows: [StateFigures] = []
    for size in sizes {
        rows.append(try measureState(size: size))
    }
    let base = rows[0]
    print("state size (kv contract, 8-byte keys, 32-byte values, default state cache of \(HostLimits.defaultStateCacheBytes >> 20) MiB):")
    print("  entries      fill/s   cached p50  uncached p50  uncached p99   fat query   fat call   serve start   serve RSS")
    for row in rows {
        print(
            String(
                format: "  %9d  %9.0f  %8.2f µs  %9.2f µs  %9.2f µs  %8.1f ms  %7.1f ms  %9.1f ms  %7.1f MiB", row.size, row.fillRate,
                row.cachedP50 / 1000, row.uncachedP50 / 1000, row.uncachedP99 / 1000, row.cliQuery * 1000, row.cliCall * 1000,
                row.serveStart * 1000, row.serveRSS))
    }
    for row in rows.dropFirst() {
        let n = "\(row.size)"
        Report.row("state.query.cached.\(n)", baseline: base.cachedP50, subject: row.cachedP50, unit: "ns (baseline: cached at \(base.size))")
        Report.row("state.query.uncached.\(n)", baseline: 30_000, subject: row.uncachedP50, unit: "ns (baseline: the 30 µs target)")
        Report.row("state.cli.query.\(n)", baseline: base.cliQuery * 1000, subject: row.cliQuery * 1000, unit: "ms (baseline: \(base.size) entries)")
        Report.row("state.cli.call.\(n)", baseline: base.cliCall * 1000, subject: row.cliCall * 1000, unit: "ms (baseline: \(base.size) entries)")
        Report.row(
            "state.serve.start.\(n)", baseline: base.serveStart * 1000, subject: row.serveStart * 1000, unit: "ms (baseline: \(base.size) entries)")
        Report.row("state.serve.rss.\(n)", baseline: base.serveRSS, subject: row.serveRSS, unit: "MiB (baseline: \(base.size) entries)")
    }
}

private struct StateFigures {
    let size: Int
    let fillRate: Double
    let cachedP50: Double
    let uncachedP50: Double
    let uncachedP99: Double
    let cliQuery: Double
    let cliCall: Double
    let serveStart: Double
    let serveRSS: Double
}

private func kvKey(_ index: UInt64) -> [UInt8] { Array("kv:".utf8) + withUnsafeBytes(of: index.littleEndian) { Array($0) } }
private func kvValue(_ index: UInt64) -> [UInt8] { Blake2b.hash256(withUnsafeBytes(of: index.littleEndian) { Array($0) }) }

private func measureState(size: Int) throws -> StateFigures {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let kv: AccountId
    let getSelector: [UInt8]
    let fillSeconds: Double
    let clock = ContinuousClock()
    do {
        let host = try FatHost(dataDirectory: dir)
        defer { host.close() }
        let bytes = [UInt8](FileManager.default.contents(atPath: productPath("kv"))!)
        let upload = CodeUpload(kind: .native, bytes: bytes, metadata: [])
        let code = try host.prepare(upload)
        kv = try host.submit(Command.deploy(upload, input: code.metadata.constructors[0].selector, salt: [9], caller: deployerAccount)).contract
        getSelector = code.metadata.messages.first { $0.label == "get" }!.selector
        let started = clock.now
        try host.fillStorage(of: kv, count: size) { index in (kvKey(UInt64(index)), kvValue(UInt64(index))) }
        fillSeconds = nanoseconds(clock.now - started) / 1e9
    }
    func input(_ index: UInt64) -> [UInt8] { getSelector + withUnsafeBytes(of: index.littleEndian) { Array($0) } }
    var random = SystemRandomNumberGenerator()

    // Uncached: a host opened afresh reads keys it has not read yet, once each.
    let samples = min(size, 20_000)
    var uncached: [Double] = []
    do {
        let host = try FatHost(dataDirectory: dir)
        defer { host.close() }
        var seen = Set<UInt64>()
        while seen.count < samples {
            let index = UInt64.random(in: 0 ..< UInt64(size), using: &random)
            guard seen.insert(index).inserted else { continue }
            let started = clock.now
            let result = try host.query(kv, input: input(index))
            uncached.append(nanoseconds(clock.now - started))
            precondition(result.output == [1] + kvValue(index), "kv: a filled key read back wrong")
        }
        // Cached: one key, again and again.
        let key = input(UInt64(size / 2))
        for _ in 0 ..< 20_000 { _ = try host.query(kv, input: key) }
        var cached: [Double] = []
        for _ in 0 ..< 200 {
            let started = clock.now
            for _ in 0 ..< 1000 { _ = try host.query(kv, input: key) }
            cached.append(nanoseconds(clock.now - started) / 1000)
        }
        cached.sort()
        uncached.sort()

        // The CLI: each invocation opens the data directory.
        let index = UInt64(size / 3)
        let hexValue = "0x" + kvValue(index).hexString
        var queries: [Double] = []
        var calls: [Double] = []
        host.close()
        for _ in 0 ..< 5 {
            queries.append(try runFat(["query", kv.hex, "get", "--args", "[\(index)]", "--data", dir, "--json"], expect: hexValue.dropFirst(2)))
            calls.append(
                try runFat(["call", kv.hex, "set", "--args", "[\(index), \"\(hexValue)\"]", "--data", dir, "--json"], expect: "\"ok\":true"))
        }
        queries.sort()
        calls.sort()

        // The server: start until /health, then resident memory after queries of distinct keys.
        let started = clock.now
        let server = try ServeProcess(["--native-isolation", "in-process"], data: dir)
        defer { server.kill() }
        let transport = try SocketTransport(url: server.listening)
        let connection = try HTTPConnection(host: transport.host, port: transport.port)
        while (try? connection.send(HTTPRequest(method: "GET", path: "/health")))?.status != 200 { usleep(1000) }
        let serveStart = nanoseconds(clock.now - started) / 1e9
        let fillQueries = min(size, 400_000)
        let perConnection = 8
        let requests = (0 ..< perConnection).map { connectionIndex in
            stride(from: connectionIndex, to: fillQueries, by: perConnection).map { index in
                HTTPRequest(
                    method: "POST", path: "/v1/queries", headers: [("Content-Type", "application/json")],
                    body: Array("{\"contract\":\"\(kv.hex)\",\"input\":\"0x\(input(UInt64(index)).hexString)\"}".utf8))
            }
        }
        let load = try connectionLoad(targets: [server.listening], requests: requests)
        guard load.failures.isEmpty else { throw BenchError("state: \(load.failures.count) queries failed, e.g. \(load.failures[0])") }
        let rss = try residentMiB(server.process.processIdentifier)
        return StateFigures(
            size: size, fillRate: Double(size) / fillSeconds, cachedP50: percentile(cached, 0.5), uncachedP50: percentile(uncached, 0.5),
            uncachedP99: percentile(uncached, 0.99), cliQuery: queries[2], cliCall: calls[2], serveStart: serveStart, serveRSS: rss)
    }
}

/// Runs this build's `fat` with `arguments` and answers the seconds from its spawn to its exit,
/// after checking it succeeded and printed `expect`. Spawned and reaped directly (`posix_spawn`,
/// `waitpid`): Foundation's `Process.waitUntilExit` polls a run loop every 50 ms, which would add
/// up to 50 ms to every figure.
private func runFat(_ arguments: [String], expect: some StringProtocol) throws -> Double {
    let fat = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("fat").path
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw BenchError("state: pipe: errno \(errno)") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
    posix_spawn_file_actions_addclose(&actions, ends[0])
    posix_spawn_file_actions_addclose(&actions, ends[1])
    let argv: [UnsafeMutablePointer<CChar>?] = ([fat] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let clock = ContinuousClock()
    let started = clock.now
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, fat, &actions, nil, argv, environ)
    close(ends[1])
    defer { close(ends[0]) }
    guard spawned == 0 else { throw BenchError("state: cannot start \(fat): error \(spawned)") }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = read(ends[0], &buffer, buffer.count)
        if count > 0 {
            output += buffer[..<count]
        } else if count == 0 || errno != EINTR {
            break
        }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = nanoseconds(clock.now - started) / 1e9
    let text = String(decoding: output, as: UTF8.self)
    guard status == 0, text.contains(expect) else {  // 0: exited normally with status 0
        throw BenchError("state: `fat \(arguments.joined(separator: " "))` (wait status \(status)) answered \(text)")
    }
    return seconds
}

/// The resident set of process `pid`, in MiB (from /proc).
private func residentMiB(_ pid: Int32) throws -> Double {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { throw BenchError("state: no VmRSS for process \(pid)") }
    return kb / 1024
}
