import FatCLI
import FatCodec
import FatHTTPTesting
import FatTesting
import Foundation
import Testing

/// Capabilities from the command line: `--plugin`, `--allow-host`, `--allow-private-addresses`,
/// and the same settings read from `<data>/host.json`.
@Suite("Capabilities from the command line")
struct CapabilityCLITests {
    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { _ in LoopbackResponse(text: #"{"price": {"usd": 7.42}}"#) }
    }

    @Test func anOracleQueryWithFlags() throws {
        let server = try Self.server()
        defer { server.stop() }
        let cli = CLI()
        defer { cli.remove() }
        let flags = ["--plugin", try Products.library("json"), "--allow-host", "127.0.0.1", "--allow-private-addresses"]
        let oracle = try #require(try cli.run(["deploy", try Products.library("oracle")]).string("address"))
        let args = "[\"\(server.baseURL)/price.json\", \"/price/usd\"]"
        let answer = try cli.run(["query", oracle, "fetch", "--args", args] + flags)
        #expect(answer["output"] == .object([("Ok", .string("7.42"))]))
        let command = try cli.run(["call", oracle, "record", "--args", args] + flags)
        guard case let .object(fields)? = command["output"], case let .string(reason)? = fields.first?.1 else {
            Issue.record("no Err output: \(command)")
            return
        }
        #expect(fields.first?.0 == "Err")
        #expect(reason.contains("not allowed in a command"))
        // Without the allow-list the query is refused, and the contract says so.
        let refused = try cli.run(["query", oracle, "fetch", "--args", args, "--plugin", try Products.library("json")])
        #expect(refused["output"]?.serialized().contains("refused") == true)
    }

    @Test func theSameFromHostJSON() throws {
        let server = try Self.server()
        defer { server.stop() }
        let cli = CLI()
        defer { cli.remove() }
        let oracle = try #require(try cli.run(["deploy", try Products.library("oracle")]).string("address"))
        let config =
            #"{"plugins": ["\#(try Products.library("json"))"], "contractHosts": {"\#(oracle)": ["127.0.0.1"]}, "allowPrivateAddresses": true}"#
        try config.write(toFile: cli.data + "/host.json", atomically: true, encoding: .utf8)
        let answer = try cli.run(["query", oracle, "fetch", "--args", "[\"\(server.baseURL)/p\", \"/price/usd\"]"])
        #expect(answer["output"] == .object([("Ok", .string("7.42"))]))
        // A broken configuration names the file and the setting.
        try #"{"plugins": "json"}"#.write(toFile: cli.data + "/host.json", atomically: true, encoding: .utf8)
        let error = try cli.run(["query", oracle, "fetch", "--args", "[\"x\", \"\"]"], expectStatus: 1)
        #expect(error["error"]?.serialized().contains("host.json") == true)
        #expect(error["error"]?.serialized().contains("plugins") == true)
    }

    @Test func aBrokenPluginIsAClearError() throws {
        let cli = CLI()
        defer { cli.remove() }
        let error = try cli.run(
            ["deploy", try Products.library("counter"), "--args", "[1]", "--plugin", try Products.library("counter")], expectStatus: 1)
        #expect(error["error"]?.serialized().contains("fat_module_entry") == true)
    }
}
