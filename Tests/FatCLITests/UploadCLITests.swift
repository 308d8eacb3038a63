import FatCLI
import FatCodec
import FatTesting
import Foundation
import Testing

@Suite("fat upload")
struct UploadCLITests {
    @Test func uploadStoresCodeAndTheLogShowsIt() throws {
        let cli = CLI()
        defer { cli.remove() }
        let flipper = Repository.path("Contracts/wasm/flipper.wat")
        let uploaded = try cli.run(["upload", flipper])
        let hash = try #require(uploaded.string("code_hash"))
        #expect(hash.count == 66)
        #expect(uploaded.string("kind") == "wasm")
        let log = try cli.run(["log"])
        guard case let .array(entries)? = log["entries"], case let .object(first)? = entries.first else {
            Issue.record("no log entries: \(log)")
            return
        }
        #expect(first["action"] == .string("upload"))
        #expect(first["code_hash"] == .string(hash))
        // Uploading what is not code is refused and not logged.
        let empty = try cli.run(["upload", "/dev/null"], expectStatus: 1)
        guard case let .object(error)? = empty["error"] else {
            Issue.record("no error: \(empty)")
            return
        }
        #expect(error.string("code") == "bad_artifact")
        #expect(error.string("message") == "/dev/null is empty: no code to deploy")
        let missing = try cli.run(["upload", "/nonexistent/contract.so"], expectStatus: 1)
        guard case let .object(missingError)? = missing["error"] else {
            Issue.record("no error: \(missing)")
            return
        }
        #expect(missingError.string("message")?.hasPrefix("cannot read /nonexistent/contract.so") == true)
        #expect(try cli.run(["verify"])["ok"] == .bool(true))
    }
}
