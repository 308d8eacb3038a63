import FatCodec
import FatHTTPTesting
import FatRuntime
import FatTesting
import Foundation
import Testing

/// Phala's own pink test contracts, unmodified, from ../shared/fixtures: each message gives the
/// result its source intends (the contracts assert internally, so a wrong answer from the host
/// traps them).
@Suite(Fixtures.required) struct PinkFixtureTests {
    static let base = "ink/phala-blockchain/crates/pink/runtime/tests/fixtures/"

    /// signing: derives an sr25519 key, signs "hello world", verifies it, and checks that "Fake"
    /// does not verify.
    @Test func signing() throws {
        let path = try Fixtures.path(Self.base + "signing/signing.contract")
        try withHost { host in
            let (contract, deployed) = try host.deployWasm(path, constructor: "default")
            #expect(deployed.outcome == .success)
            _ = try host.read(contract, "test")
        }
    }

    /// use_cache: cache_set, cache_get sees the value, cache_remove returns it, then cache_get is None.
    @Test func useCache() throws {
        for relative in [Self.base + "use_cache/use_cache.contract", "ink/phala-blockchain/crates/pink/tests/fixtures/use_cache/use_cache.wasm"] {
            let path = try Fixtures.path(relative)
            try withHost { host in
                let (contract, deployed) = try host.deployWasm(
                    path, metadataPath: path.hasSuffix(".wasm") ? (path as NSString).deletingLastPathComponent + "/metadata.json" : nil,
                    constructor: "default")
                #expect(deployed.outcome == .success)
                _ = try host.read(contract, "test")
                // In a command the cache reads nothing, so the contract's own assertion traps it,
                // as it would in pink.
                let (receipt, _) = try host.send(contract, "test")
                #expect(!receipt.outcome.isSuccess)
            }
        }
    }

    /// logging: the constructor and the message log through pink's `log` (the fixture was built
    /// from a revision whose lines are "instantiated" and "a test message received"); the lines
    /// reach the receipt with their level and the contract's address.
    @Test func logging() throws {
        let path = try Fixtures.path(Self.base + "logging.wasm")
        let metadata = try Fixtures.path(Self.base + "signing/metadata.json")  // same messages: default() and test()
        try withHost { host in
            let (contract, deployed) = try host.deployWasm(path, metadataPath: metadata, constructor: "default")
            #expect(deployed.outcome == .success)
            let prefix = String(contract.address.hex.prefix(10))
            #expect(deployed.logs.contains { $0.hasPrefix(prefix) && $0.hasSuffix("] instantiated") }, "\(deployed.logs)")
            let (receipt, _) = try host.send(contract, "test")
            #expect(receipt.outcome == .success)
            #expect(receipt.logs.contains { $0.hasSuffix("] a test message received") }, "\(receipt.logs)")
            // In a query too.
            let result = try host.query(contract.address, input: try host.encode(contract, "test", "[]").1)
            #expect(result.logs.contains { $0.hasSuffix("] a test message received") })
        }
    }

    /// check_system: Phala's end-to-end checker. Its getters and the pink functions it wraps.
    @Test func checkSystem() throws {
        let path = try Fixtures.path(Self.base + "check_system/check_system.contract")
        let server = try LoopbackHTTPServer { request in
            LoopbackResponse(text: request.path == "/a" ? "alpha" : "beta")
        }
        defer { server.stop() }
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true)) { host in
            let (contract, deployed) = try host.deployWasm(path, constructor: "default")
            #expect(deployed.outcome == .success, "\(deployed.outcome) \(deployed.logs)")
            #expect(unwrapped(try host.read(contract, "runtime_version")) == .array([.number("1"), .number("2")]))
            #expect(try host.send(contract, "set_flag", #"["up"]"#).0.outcome == .success)
            #expect(unwrapped(try host.read(contract, "flag")) == .string("up"))
            #expect(unwrapped(try host.read(contract, "cache_set", #"["0x6b", "0x76"]"#)) == .bool(true))
            #expect(unwrapped(try host.read(contract, "cache_get", #"["0x6b"]"#)) == .string("0x76"))
            let page = unwrapped(try host.read(contract, "http_get", "[\"\(server.baseURL)/a\"]"))
            #expect(page == .array([.number("200"), .string("alpha")]))
            let batch = unwrapped(try host.read(contract, "batch_http_get", "[[\"\(server.baseURL)/a\", \"\(server.baseURL)/b\"], 5000]"))
            #expect(batch == .array([.array([.number("200"), .string("alpha")]), .array([.number("200"), .string("beta")])]))
            #expect(unwrapped(try host.read(contract, "direct_balance_of", "[\"alice\"]")) == .array([.number("0"), .number("0")]))
        }
    }
}
