import FatCLI
import FatCodec
import FatRuntime
import FatStore
import FatTesting
import Foundation
import Testing

/// Runs `fat` command lines against one data directory, as a user would, and reads the one JSON
/// object each prints.
struct CLI {
    let data: String

    init() {
        data = FileManager.default.temporaryDirectory.appendingPathComponent("fat-cli-\(UUID().uuidString)").path
    }

    func remove() { try? FileManager.default.removeItem(atPath: data) }

    @discardableResult
    func run(_ arguments: [String], expectStatus: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> [(String, JSONValue)] {
        let console = Console(capturing: true)
        let status = Console.$current.withValue(console) { Fat.run(arguments + ["--data", data, "--json"]) }
        let text = console.captured.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == expectStatus, "fat \(arguments.joined(separator: " ")) → \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("\n"), "more than one line: \(text)", sourceLocation: sourceLocation)
        guard case let .object(fields) = try JSONValue.parse(text) else {
            Issue.record("not a JSON object: \(text)", sourceLocation: sourceLocation)
            return []
        }
        return fields
    }

}

extension Array where Element == (String, JSONValue) {
    subscript(_ key: String) -> JSONValue? { first { $0.0 == key }?.1 }

    var string: (String) -> String? {
        { key in if case let .string(text)? = self[key] { return text } else { return nil } }
    }
}

func number(_ value: JSONValue?) -> String? {
    if case let .number(text)? = value { return text }
    return nil
}

@Suite("The fat command line")
struct CLITests {
    @Test func deployCallQueryLogAndVerifyAsTheREADMEShows() throws {
        let cli = CLI()
        defer { cli.remove() }
        try cli.run(["key", "new", "alice"])
        let deployed = try cli.run(["deploy", try Products.library("counter"), "--args", "[10]", "--as", "alice"])
        let address = try #require(deployed.string("address"))
        #expect(address.count == 66 && address.hasPrefix("0x"))
        let call = try cli.run(["call", address, "increment", "--args", "[5]", "--as", "alice"])
        #expect(call["ok"] == .bool(true))
        #expect(number(call["seq"]) == "2")
        #expect(number(call["output"]) == "15")
        #expect(call["events"] == .array([]))
        let query = try cli.run(["query", address, "get", "--as", "alice"])
        #expect(query["ok"] == .bool(true))
        #expect(number(query["output"]) == "15")
        let byName = try cli.run(["call", address, "increment", "--args", "{\"by\": 2}", "--as", "alice"])
        #expect(number(byName["output"]) == "17")
        let inspect = try cli.run(["inspect", address])
        guard case let .array(messages)? = inspect["messages"] else {
            Issue.record("no messages")
            return
        }
        #expect(messages.count == 3)
        let log = try cli.run(["log"])
        guard case let .array(entries)? = log["entries"] else {
            Issue.record("no entries")
            return
        }
        #expect(entries.count == 3)
        let verify = try cli.run(["verify"])
        #expect(verify["ok"] == .bool(true))
        #expect(number(verify["commands"]) == "3")
    }

    /// `--cache-size` bounds the state cache of the host the command opens (with units, or 0 for
    /// none); a size that is not one is refused, naming the option.
    @Test func theCacheSizeOptionTakesSizesAndRefusesOthers() throws {
        let cli = CLI()
        defer { cli.remove() }
        let address = try #require(try cli.run(["deploy", try Products.library("counter"), "--args", "[4]", "--cache-size", "0"]).string("address"))
        for size in ["16K", "1M", "2GiB", "65536", "0"] {
            #expect(number(try cli.run(["query", address, "get", "--cache-size", size])["output"]) == "4", "\(size)")
        }
        try cli.run(["call", address, "increment", "--args", "[1]", "--cache-size", "16k"])
        for size in ["lots", "12T", "", "1.5M", "99999999999999999999G"] {
            let refused = try cli.run(["query", address, "get", "--cache-size", size], expectStatus: 1)
            guard case let .object(error)? = refused["error"] else {
                Issue.record("no error for \(size): \(refused)")
                continue
            }
            #expect(error.string("code") == "bad_arguments")
            #expect(error.string("message")?.contains("--cache-size") == true)
        }
    }

    /// Someone with the database file deletes the last command from the log and leaves its effect:
    /// the replay no longer reaches the stored state, and `fat verify` says where.
    @Test func verifyReportsAStoreWhoseLogWasTamperedWith() throws {
        let cli = CLI()
        defer { cli.remove() }
        let address = try #require(try cli.run(["deploy", try Products.library("counter"), "--args", "[1]"]).string("address"))
        try cli.run(["call", address, "increment", "--args", "[5]"])
        try cli.run(["call", address, "increment", "--args", "[7]"])
        #expect(try cli.run(["verify"])["ok"] == .bool(true))

        // Raw SQL on the database file, as anyone with the file (and not the key) could run it.
        try SQLiteConnection(path: cli.data + "/state.sqlite").execute("DELETE FROM log WHERE seq = 3; DELETE FROM receipts WHERE seq = 3")

        let tampered = try cli.run(["verify"], expectStatus: 1)
        guard case let .object(error)? = tampered["error"] else {
            Issue.record("no error: \(tampered)")
            return
        }
        #expect(error.string("code") == "verify_failed")
        let message = try #require(error.string("message"))
        #expect(message.contains("replaying 2 commands"), "\(message)")
        #expect(message.contains("contract \(address): live digest 0x"), "\(message)")
        // The stored state itself is untouched: the counter still answers 13.
        #expect(number(try cli.run(["query", address, "get"])["output"]) == "13")
    }

    @Test func wrongArgumentsNameTheMessageAndTheArgument() throws {
        let cli = CLI()
        defer { cli.remove() }
        let address = try #require(try cli.run(["deploy", try Products.library("counter"), "--args", "[0]"]).string("address"))
        let tooMany = try cli.run(["call", address, "increment", "--args", "[1, 2]"], expectStatus: 1)
        #expect(tooMany["ok"] == .bool(false))
        guard case let .object(error)? = tooMany["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("code") == "bad_arguments")
        #expect(error.string("message")?.contains("increment") == true)
        let wrongType = try cli.run(["call", address, "increment", "--args", "[\"many\"]"], expectStatus: 1)
        guard case let .object(typeError)? = wrongType["error"] else {
            Issue.record("no error")
            return
        }
        #expect(typeError.string("message")?.contains("by") == true)
        let negative = try cli.run(["call", address, "increment", "--args", "[-1]"], expectStatus: 1)
        #expect(negative["ok"] == .bool(false))
        let unknown = try cli.run(["query", address, "decrement"], expectStatus: 1)
        guard case let .object(unknownError)? = unknown["error"] else {
            Issue.record("no error")
            return
        }
        #expect(unknownError.string("code") == "unknown_message")
        #expect(unknownError.string("message")?.contains("increment") == true)
        let nowhere = try cli.run(["query", "0x" + String(repeating: "00", count: 32), "get"], expectStatus: 1)
        guard case let .object(nowhereError)? = nowhere["error"] else {
            Issue.record("no error")
            return
        }
        #expect(nowhereError.string("code") == "unknown_contract")
        // None of the refused commands reached the log.
        let log = try cli.run(["log"])
        guard case let .array(entries)? = log["entries"] else {
            Issue.record("no entries")
            return
        }
        #expect(entries.count == 1)
    }

    @Test func aRevertedCommandFailsWithTheContractsReasonAndChangesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        try cli.run(["key", "new", "alice"])
        try cli.run(["key", "new", "bob"])
        let token = try #require(try cli.run(["deploy", try Products.library("token"), "--args", "[1000]", "--as", "alice"]).string("address"))
        let moved = try cli.run(["call", token, "transfer", "--args", "[\"bob\", 10]", "--as", "alice"])
        #expect(moved["ok"] == .bool(true))
        guard case let .array(events)? = moved["events"] else {
            Issue.record("no events")
            return
        }
        #expect(events.count == 1)
        let refused = try cli.run(["call", token, "transfer", "--args", "[\"bob\", 5000]", "--as", "alice"], expectStatus: 1)
        guard case let .object(error)? = refused["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("code") == "contract_reverted")
        #expect(error.string("message")?.contains("insufficient balance") == true)
        #expect(number(try cli.run(["query", token, "balance_of", "--args", "[\"bob\"]", "--as", "bob"])["output"]) == "10")
        #expect(number(try cli.run(["query", token, "my_balance", "--as", "alice"])["output"]) == "990")
        let snooping = try cli.run(["query", token, "balance_of", "--args", "[\"alice\"]", "--as", "bob"], expectStatus: 1)
        guard case let .object(snoopError)? = snooping["error"] else {
            Issue.record("no error")
            return
        }
        #expect(snoopError.string("message")?.contains("only the owner") == true)
    }

    @Test func aWasmContractDeploysFromWebAssemblyTextAndAnswersThroughTheCLI() throws {
        let cli = CLI()
        defer { cli.remove() }
        let flipper = Repository.path("Contracts/wasm/flipper.wat")
        let deployed = try cli.run(["deploy", flipper, "--constructor", "new", "--args", "[false]"])
        #expect(deployed.string("kind") == "wasm")
        let address = try #require(deployed.string("address"))
        try cli.run(["call", address, "flip"])
        #expect(try cli.run(["query", address, "get"])["output"] == .object([("Ok", .bool(true))]))
        let wrong = try cli.run(["deploy", flipper, "--constructor", "new", "--args", "[2]"], expectStatus: 1)
        guard case let .object(error)? = wrong["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("message")?.contains("init_value") == true)
    }

    /// A native contract described as an ink! metadata document: the same messages, selectors
    /// and types, in a document ink! tools (and this host's own parser) read.
    @Test func aNativeContractIsDescribedAsInkMetadata() throws {
        let cli = CLI()
        defer { cli.remove() }
        let library = try Products.library("counter")
        let document = try cli.run(["inspect", library, "--ink-metadata"])
        #expect(number(document["version"]) == "5")
        let parsed = try ContractMetadata.parse(json: Array(JSONValue.object(document).serialized().utf8))
        let native = try FatHost(dataDirectory: cli.data).prepare(
            CodeUpload(kind: .native, bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: library))), metadata: [])
        ).metadata
        #expect(parsed.messages.map(\.label) == native.messages.map(\.label))
        #expect(parsed.messages.map(\.selector) == native.messages.map(\.selector))
        #expect(parsed.constructors.map(\.selector) == native.constructors.map(\.selector))
        for (ours, theirs) in zip(parsed.messages, native.messages) {
            #expect(ours.args.map { parsed.registry.typeName($0.type) } == theirs.args.map { native.registry.typeName($0.type) })
            #expect(
                (ours.returnType.map { parsed.registry.typeName($0) } ?? "()") == (theirs.returnType.map { native.registry.typeName($0) } ?? "()"))
        }
        // A deployed contract's document, by address, says the same.
        let deployed = try cli.run(["deploy", library, "--args", "[4]"])
        let address = try #require(deployed.string("address"))
        let byAddress = try cli.run(["inspect", address, "--ink-metadata"])
        #expect(JSONValue.object(byAddress)["spec"]?["messages"] == JSONValue.object(document)["spec"]?["messages"])
    }

    /// Several projects ship cargo-contract bundles under a `.json` name: artifacts are told
    /// apart by their content, not their extension.
    @Test(Fixtures.required) func aBundleNamedJSONDeploysAsABundle() throws {
        let cli = CLI()
        defer { cli.remove() }
        let named = cli.data + "-flipper.json"
        defer { try? FileManager.default.removeItem(atPath: named) }
        // A link, so that the fixture is read in place.
        try FileManager.default.createSymbolicLink(atPath: named, withDestinationPath: try Fixtures.path("ink/contracts-ui/flipper.contract"))
        let deployed = try cli.run(["deploy", named, "--constructor", "new", "--args", "[true]"])
        #expect(deployed.string("kind") == "wasm")
        #expect(deployed.string("name") == "flipper")
        let address = try #require(deployed.string("address"))
        #expect(try cli.run(["query", address, "get"])["output"] == .object([("Ok", .bool(true))]))
        // A metadata document without code is named as such, whatever it is called.
        let metadataOnly = cli.data + "-metadata.contract"
        defer { try? FileManager.default.removeItem(atPath: metadataOnly) }
        try Data(contentsOf: Repository.root.appendingPathComponent("Contracts/wasm/flipper.json")).write(to: URL(fileURLWithPath: metadataOnly))
        let refused = try cli.run(["deploy", metadataOnly], expectStatus: 1)
        guard case let .object(error)? = refused["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("code") == "bad_artifact")
        #expect(error.string("message")?.contains("a metadata document without code") == true, "\(error)")
    }

    @Test func aBrokenArtifactIsAClearErrorAndNothingIsStored() throws {
        let cli = CLI()
        defer { cli.remove() }
        let broken = cli.data + "-broken.so"
        defer { try? FileManager.default.removeItem(atPath: broken) }
        try Data([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]).write(to: URL(fileURLWithPath: broken))
        let result = try cli.run(["deploy", broken], expectStatus: 1)
        guard case let .object(error)? = result["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("code") == "load_failed")
        #expect(error.string("message")?.contains("not a loadable shared object") == true)
        let log = try cli.run(["log"])
        #expect(log["entries"] == .array([]))
    }

    @Test func aWrongMasterKeyIsRefused() throws {
        let cli = CLI()
        defer { cli.remove() }
        try cli.run(["deploy", try Products.library("counter"), "--args", "[1]"])
        let other = cli.data + "-other.key"
        defer { try? FileManager.default.removeItem(atPath: other) }
        let key = (0 ..< 32).map { _ in UInt8.random(in: 0 ... 255) }
        try #require(FileManager.default.createFile(atPath: other, contents: Data(key), attributes: [.posixPermissions: 0o600]))
        let result = try cli.run(["log", "--master-key", other], expectStatus: 1)
        guard case let .object(error)? = result["error"] else {
            Issue.record("no error")
            return
        }
        #expect(error.string("code") == "wrong_master_key")
    }
}
