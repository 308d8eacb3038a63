import FatCLI
import FatCodec
import Foundation
import Testing

@Suite("fat upload")
struct UploadCLITests {
    @Test func uploadStoresCodeAndTheLogShowsIt() throws {
        let cli = CLI()
        defer { cli.remove() }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let flipper = repository.appendingPathComponent("Contracts/wasm/flipper.wat").path
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
        let error = try cli.run(["upload", "/dev/null"], expectStatus: 1)
        #expect(error["error"] != nil)
        #expect(try cli.run(["verify"])["ok"] == .bool(true))
    }
}
