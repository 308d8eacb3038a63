import FatRuntime
import FatTesting
import Foundation
import Testing

@Suite("Durability when the process is killed")
struct CrashRecoveryTests {
    /// Starts a writer process that acknowledges commands as fast as it can, kills it with SIGKILL
    /// midway, reopens the store, and checks that every acknowledged command is in the log with
    /// its effect applied, and that the log has no gaps.
    @Test func everyAcknowledgedCommandSurvivesSIGKILL() throws {
        let writer = try Products.executable("fat-bench")
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = ["crash-writer", "--data", dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()

        var acknowledged: Set<UInt64> = []
        var pending = ""
        let deadline = Date().addingTimeInterval(60)
        while acknowledged.count < 3000, Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending += String(decoding: chunk, as: UTF8.self)
            let lines = pending.split(separator: "\n", omittingEmptySubsequences: false)
            pending = String(lines.last ?? "")
            for line in lines.dropLast() where line.hasPrefix("ack ") {
                if let seq = UInt64(line.dropFirst(4)) { acknowledged.insert(seq) }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(acknowledged.count >= 100, "the writer acknowledged only \(acknowledged.count) commands")

        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let log = try host.logEntries()
        let logged = Set(log.map(\.entry.seq))
        #expect(acknowledged.isSubset(of: logged), "\(acknowledged.subtracting(logged).count) acknowledged commands were lost")
        #expect(log.map(\.entry.seq) == Array(1 ... UInt64(log.count)), "the log has gaps")
        #expect(log.allSatisfy { $0.receipt != nil }, "a logged command has no receipt")
        // Every logged increment was applied exactly once: the counter equals their number.
        let counterHex = try String(contentsOfFile: dir.path + "/counter-address", encoding: .utf8)
        let counter = try #require(AccountId(hex: counterHex))
        #expect(u64(try host.ask(counter, "get").output) == UInt64(log.count - 1))
        #expect(try host.verify().ok)
    }
}
