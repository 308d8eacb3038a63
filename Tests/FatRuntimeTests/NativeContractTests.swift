import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Testing

@Suite("Native contracts through the dispatcher")
struct NativeContractTests {
    @Test func typedCounterCountsThroughCommandsAndAnswersQueries() throws {
        try withHost { host in
            let (counter, deploy) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(10))
            #expect(deploy.outcome == .success)
            let receipt = try host.command(counter, "increment", le32(5))
            #expect(receipt.outcome == .success)
            #expect(u64(receipt.output) == 15)
            #expect(receipt.seq == deploy.seq + 1)
            let answer = try host.ask(counter, "get")
            #expect(answer.outcome == .success)
            #expect(u64(answer.output) == 15)
        }
    }

    @Test func theSameSharedObjectDeployedTwiceGivesTwoIndependentContracts() throws {
        try withHost { host in
            let path = try Products.library("counter")
            let (first, _) = try host.deployNative(path, constructor: "new", args: le64(0))
            let (second, _) = try host.deployNative(path, constructor: "new", args: le64(100))
            #expect(first != second)
            _ = try host.command(first, "increment", le32(1))
            #expect(u64(try host.ask(first, "get").output) == 1)
            #expect(u64(try host.ask(second, "get").output) == 100)
        }
    }

    @Test func queriesDiscardTheirWritesAndAreNeverLogged() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(1))
            let before = try host.logEntries().count
            let asQuery = try host.ask(counter, "increment", le32(41))
            #expect(u64(asQuery.output) == 42, "the query sees its own write while it runs")
            #expect(u64(try host.ask(counter, "get").output) == 1, "but the write is discarded")
            #expect(try host.logEntries().count == before)
        }
    }

    @Test func aRevertRollsBackTheCallsWritesAndIsLoggedWithItsReason() throws {
        try withHost { host in
            let (token, _) = try host.deployNative(try Products.library("token"), constructor: "new", args: le128(1000))
            let tooMuch = try host.command(token, "transfer", TestAccount.bob.account.bytes + le128(5000))
            #expect(tooMuch.outcome == .reverted)
            var decoder = ScaleDecoder(tooMuch.output)
            #expect(try decoder.readString().contains("insufficient"))
            #expect(tooMuch.events.isEmpty)
            #expect(u128(try host.ask(token, "balance_of", TestAccount.alice.account.bytes, as: TestAccount.alice.account).output) == 1000)
            let ok = try host.command(token, "transfer", TestAccount.bob.account.bytes + le128(300))
            #expect(ok.outcome == .success)
            #expect(ok.events.count == 1)
            #expect(ok.events.first?.topics.contains(TestAccount.bob.account.bytes) == true)
            #expect(u128(try host.ask(token, "balance_of", TestAccount.bob.account.bytes, as: TestAccount.bob.account).output) == 300)
        }
    }

    @Test func theTokenAnswersABalanceOnlyToItsOwner() throws {
        try withHost { host in
            let (token, _) = try host.deployNative(try Products.library("token"), constructor: "new", args: le128(1000))
            let byBob = try host.ask(token, "balance_of", TestAccount.alice.account.bytes, as: TestAccount.bob.account)
            #expect(byBob.outcome == .reverted)
            let unsigned = try host.ask(token, "balance_of", TestAccount.alice.account.bytes, as: nil)
            #expect(unsigned.outcome != .success)
            let byAlice = try host.ask(token, "balance_of", TestAccount.alice.account.bytes, as: TestAccount.alice.account)
            #expect(byAlice.outcome == .success)
        }
    }

    @Test func aContractCallsAnotherAndTheCalleesWritesJoinTheCommand() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(7))
            let (caller, _) = try host.deployNative(try Products.library("caller"))
            let receipt = try host.command(caller, "forward_increment", counter.bytes + le32(3))
            #expect(receipt.outcome == .success)
            #expect(u64(receipt.output) == 10)
            #expect(u64(try host.ask(counter, "get").output) == 10)
            #expect(u64(try host.ask(caller, "read", counter.bytes).output) == 10)
        }
    }

    @Test func unknownMessagesAndBadArgumentsAreErrorsNamingTheCause() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
            let unknown = try host.query(counter, input: [1, 2, 3, 4])
            guard case let .failed(error) = unknown.outcome else {
                Issue.record("expected failure")
                return
            }
            #expect(error.code == .unknownMessage)
            #expect(error.message.contains("increment") && error.message.contains("get"))
            let increment = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
            let short = try host.query(counter, input: increment.selector + [1])
            guard case let .failed(shortError) = short.outcome else {
                Issue.record("expected failure")
                return
            }
            #expect(shortError.code == .badArguments)
            #expect(shortError.message.contains("increment"))
            #expect(throws: FatError.self) { try host.query(AccountId(hex: "0x" + String(repeating: "ab", count: 32))!, input: increment.selector) }
        }
    }

    @Test func stateSurvivesReopeningTheHost() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var counter: AccountId
        do {
            let host = try FatHost(dataDirectory: dir.path)
            (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(5))
            _ = try host.command(counter, "increment", le32(2))
            host.close()
        }
        let reopened = try FatHost(dataDirectory: dir.path)
        defer { reopened.close() }
        #expect(u64(try reopened.ask(counter, "get").output) == 7)
        #expect(reopened.snapshot.seq == 2)
    }

    @Test func concurrentCommandsAreTotallyOrderedWithNoGaps() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
        let spec = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
        let seqs = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for _ in 0 ..< 200 {
                group.addTask {
                    try await host.submit(
                        Command(caller: TestAccount.alice.account, action: .call(contract: counter, input: spec.selector + le32(1)))
                    ).seq
                }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        #expect(seqs.sorted() == Array(2 ... 201))
        #expect(u64(try host.ask(counter, "get").output) == 200)
    }

    @Test func verifyReplaysTheLogToTheSameRoot() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(3))
            let (token, _) = try host.deployNative(try Products.library("token"), constructor: "new", args: le128(50))
            _ = try host.command(counter, "increment", le32(4))
            _ = try host.command(token, "transfer", TestAccount.bob.account.bytes + le128(80))
            _ = try host.command(token, "transfer", TestAccount.bob.account.bytes + le128(8))
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
            #expect(report.commandsReplayed == 5)
            #expect(report.liveRoot == host.snapshot.root)
        }
    }

    @Test func aContractThatFailsLeavesTheStoreUnchanged() throws {
        try withHost { host in
            let (token, _) = try host.deployNative(try Products.library("token"), constructor: "new", args: le128(1000))
            let root = host.snapshot.root
            let transfer = try #require(try host.metadata(of: token).messages.first { $0.label == "transfer" })
            let query = try host.query(token, input: transfer.selector + [1, 2, 3], origin: TestAccount.alice.account)
            guard case let .failed(error) = query.outcome else {
                Issue.record("expected a failure, got \(query.outcome)")
                return
            }
            #expect(error.code == .trapped)
            #expect(error.message.contains("FAT_ERR_DECODE"))
            let command = try host.submit(
                TestAccount.alice.signed(
                    Command(caller: TestAccount.alice.account, action: .call(contract: token, input: transfer.selector + [1, 2, 3])), for: host))
            #expect(command.outcome != .success)
            #expect(host.snapshot.root == root)
            #expect(try host.verify().ok)
        }
    }

    @Test func aSignatureThatDoesNotVerifyIsRefusedBeforeTheLog() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
            let spec = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
            var forged = TestAccount.bob.signed(
                Command(caller: TestAccount.bob.account, action: .call(contract: counter, input: spec.selector + le32(1))), for: host)
            forged.caller = TestAccount.alice.account
            #expect(throws: FatError.self) { try host.submit(forged) }
            #expect(try host.logEntries().count == 1)
        }
    }
}
