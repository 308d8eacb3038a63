import FatCodec
import FatCrypto
import FatRuntime
import FatStore
import FatTesting
import Foundation
import Testing

/// Per-account nonces: a command with a nonce is logged only once, across restarts (a store from
/// before nonces had a table of their own: `LegacyStoreTests`).
@Suite("Command nonces")
struct NonceTests {
    func increment(_ host: FatHost, _ counter: AccountId, nonce: UInt64, as caller: TestAccount = .alice) throws -> Receipt {
        let spec = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
        return try host.submit(
            caller.signed(
                Command(
                    caller: caller.account, action: .call(contract: counter, input: spec.selector + le32(1)),
                    nonce: nonce, expiresAtMs: FatHost.nowMs + 60_000), for: host))
    }

    func expectReplay(_ host: FatHost, _ counter: AccountId, nonce: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try increment(host, counter, nonce: nonce)
        } throws: { ($0 as? FatError)?.code == .replayedNonce }
    }

    @Test func aNonceIsRefusedAgainAfterTheHostReopens() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var counter: AccountId
        do {
            let host = try FatHost(dataDirectory: dir.path)
            defer { host.close() }
            counter = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0)).0
            _ = try increment(host, counter, nonce: 10)
            _ = try increment(host, counter, nonce: 20, as: .bob)
            expectReplay(host, counter, nonce: 10)
        }
        let host = try FatHost(dataDirectory: dir.path)
        defer { host.close() }
        expectReplay(host, counter, nonce: 10)
        expectReplay(host, counter, nonce: 9)
        #expect(try host.lastNonce(of: TestAccount.alice.account) == 10)
        #expect(try host.lastNonce(of: TestAccount.bob.account) == 20)
        _ = try increment(host, counter, nonce: 11)
        #expect(try host.logEntries().count == 4)
    }

    @Test func theNoncesTableDoesNotShowAccountsInTheClear() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let host = try FatHost(dataDirectory: dir.path)
        let counter = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0)).0
        _ = try increment(host, counter, nonce: 1, as: .bob)
        host.close()
        let connection = try SQLiteConnection(path: dir.path + "/state.sqlite")
        let statement = try connection.statement("SELECT account, sealed FROM nonces")
        #expect(try statement.step())
        let bob = TestAccount.bob.account.bytes
        #expect(statement.blob(0) != bob)
        #expect(Data(statement.blob(1)).range(of: Data(bob[0 ..< 16])) == nil)
    }

    /// Two copies of one signed command reach the writer together and land in one batch: the
    /// nonce is checked in log order inside the batch, so the first is logged and the second is
    /// refused, and the counter moves once.
    @Test func twoCopiesOfANonceInOneBatchAreLoggedOnce() throws {
        try withHost { host in
            let (counter, _) = try host.deployNative(try Products.library("counter"), constructor: "new", args: le64(0))
            let spec = try #require(try host.metadata(of: counter).messages.first { $0.label == "increment" })
            let command = TestAccount.alice.signed(
                Command(
                    caller: TestAccount.alice.account, action: .call(contract: counter, input: spec.selector + le32(1)),
                    nonce: 50, expiresAtMs: FatHost.nowMs + 60_000), for: host)
            let other = TestAccount.bob.signed(
                Command(
                    caller: TestAccount.bob.account, action: .call(contract: counter, input: spec.selector + le32(100)),
                    nonce: 50, expiresAtMs: FatHost.nowMs + 60_000), for: host)
            let batchesBefore = host.batchesCommitted
            let results = try host.submitTogether([command, command, other])
            #expect(host.batchesCommitted == batchesBefore + 1, "the three commands were not committed in one batch")
            let first = try results[0].get()
            #expect(first.outcome == .success)
            #expect(throws: FatError.self) { try results[1].get() }
            if case let .failure(error as FatError) = results[1] { #expect(error.code == .replayedNonce) }
            // The same nonce from another account is that account's own.
            #expect(try results[2].get().outcome == .success)
            #expect(u64(try host.ask(counter, "get").output) == 101)
            #expect(try host.logEntries().count == 3)
        }
    }
}
