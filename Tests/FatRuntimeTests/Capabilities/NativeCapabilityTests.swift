import FatCodec
import FatCrypto
import FatHTTPTesting
import FatRuntime
import FatTesting
import Foundation
import Testing

/// The capabilities as native contracts see them: "fat.http", "fat.crypto" and modules through
/// fat_host_api.capability, with the command/query rule enforced by the host.
@Suite struct NativeCapabilityTests {
    func text(_ tag: UInt8, _ text: String) -> [UInt8] { [tag] + scale { $0.appendString(text) } }
    func args(_ url: String, _ pointer: String) -> [UInt8] {
        scale {
            $0.appendString(url)
            $0.appendString(pointer)
        }
    }

    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            switch request.path {
            case "/weather": LoopbackResponse(text: #"{"city": "Zürich", "now": {"temp": 21.5, "sky": "clear"}}"#)
            case "/broken": LoopbackResponse(text: "{not json")
            default: LoopbackResponse(status: 503, reason: "Service Unavailable", text: "")
            }
        }
    }

    /// In process and in a worker process alike: HTTP, its headers and the json module are
    /// forwarded to the host from a worker.
    @Test(arguments: [NativeIsolation.inProcess, .process])
    func theOracleAnswersAQueryFromHTTP(isolation: NativeIsolation) throws {
        let server = try Self.server()
        defer { server.stop() }
        let configuration = CapabilityConfiguration(
            allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true,
            modulePaths: [try Plugins.path("json")])
        try withHost(capabilities: configuration, isolation: isolation) { host in
            let (oracle, deployed) = try host.deployNative(try Products.library("oracle"), constructor: "new")
            #expect(deployed.outcome == .success)
            let url = server.baseURL + "/weather"
            #expect(try host.ask(oracle, "fetch", args(url, "/now/sky")).output == text(0, "clear"))
            #expect(try host.ask(oracle, "fetch", args(url, "/now/temp")).output == text(0, "21.5"))
            #expect(try host.ask(oracle, "fetch", args(url, "/city")).output == text(0, "Zürich"))
            #expect(try host.ask(oracle, "fetch", args(url, "/nope")).output == text(1, "the document has no value at that pointer"))
            #expect(
                try host.ask(oracle, "fetch", args(server.baseURL + "/broken", "")).output
                    == text(1, "the response is not valid JSON, or the pointer is malformed"))
            #expect(try host.ask(oracle, "fetch", args(server.baseURL + "/down", "")).output == text(1, "the server answered HTTP 503"))

            // The same request in a command: refused without I/O, nothing stored.
            let before = server.connectionCount
            let receipt = try host.command(oracle, "record", args(url, "/now/sky"))
            #expect(receipt.outcome == .success)
            #expect(receipt.output == text(1, "HTTP requests are not allowed in a command: commands are replayed; send this as a query"))
            #expect(receipt.logs.contains { $0.contains("not allowed in a command") })
            #expect(server.connectionCount == before)
        }
    }

    @Test func theOracleNamesWhatIsMissing() throws {
        let server = try Self.server()
        defer { server.stop() }
        // No json module loaded.
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true)) { host in
            let (oracle, _) = try host.deployNative(try Products.library("oracle"), constructor: "new")
            let answer = try host.ask(oracle, "fetch", args(server.baseURL + "/weather", "/city")).output
            #expect(String(decoding: answer.dropFirst(2), as: UTF8.self).contains("json capability module is not loaded"))
        }
        // The host is not allow-listed: refused before any connection.
        try withHost(capabilities: CapabilityConfiguration(allowPrivateAddresses: true, modulePaths: [try Plugins.path("json")])) { host in
            let (oracle, _) = try host.deployNative(try Products.library("oracle"), constructor: "new")
            let answer = try host.ask(oracle, "fetch", args(server.baseURL + "/weather", "/city"))
            #expect(answer.output.first == 1)
            #expect(answer.logs.contains { $0.contains("127.0.0.1") })
        }
        #expect(server.connectionCount == 0)
    }

    /// A query's deadline bounds its HTTP requests: the endpoint holds the request far longer
    /// than the query may take, and the query ends first with a timeout.
    @Test func aQuerysDeadlineEndsItsHTTPRequest() throws {
        let release = DispatchSemaphore(value: 0)
        let server = try LoopbackHTTPServer { _ in
            _ = release.wait(timeout: .now() + 30)
            return LoopbackResponse(text: #"{"city": "late"}"#)
        }
        defer {
            release.signal()
            server.stop()
        }
        let configuration = CapabilityConfiguration(
            allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true,
            modulePaths: [try Plugins.path("json")])
        try withHost(capabilities: configuration) { host in
            let (oracle, _) = try host.deployNative(try Products.library("oracle"), constructor: "new")
            let spec = try #require(try host.metadata(of: oracle).messages.first { $0.label == "fetch" })
            let answer = try host.query(oracle, input: spec.selector + args(server.baseURL + "/held", "/city"), timeout: .milliseconds(300))
            #expect(answer.output == text(1, "the request timed out"))
        }
    }

    /// A native contract using fat.crypto: derive a key, sign, verify, hash, random.
    static let cryptoContract = """
        #include <string.h>
        #include "fat_contract.h"
        static const fat_crypto_api *crypto(fat_ctx *ctx) { return ctx->host->capability(ctx, FAT_CAP_CRYPTO, 1); }
        /* roundtrip(scheme: u32) -> u32: 0 when sign/verify behave, else the step that failed */
        static uint32_t roundtrip(fat_ctx *ctx, uint32_t scheme) {
            const fat_crypto_api *c = crypto(ctx);
            if (!c) return 1;
            uint8_t secret[64], again[64], pub[33], sig[65];
            size_t secret_len = sizeof secret, again_len = sizeof again, pub_len = sizeof pub, sig_len = sizeof sig;
            if (c->derive_key(ctx, scheme, (const uint8_t *)"salt", 4, secret, &secret_len) != FAT_OK) return 2;
            if (c->derive_key(ctx, scheme, (const uint8_t *)"salt", 4, again, &again_len) != FAT_OK) return 3;
            if (again_len != secret_len || memcmp(secret, again, secret_len) != 0) return 4;
            if (c->public_key(scheme, secret, secret_len, pub, &pub_len) != FAT_OK) return 5;
            if (c->sign(ctx, scheme, secret, secret_len, (const uint8_t *)"msg", 3, sig, &sig_len) != FAT_OK) return 6;
            if (c->verify(scheme, pub, pub_len, (const uint8_t *)"msg", 3, sig, sig_len) != FAT_OK) return 7;
            if (c->verify(scheme, pub, pub_len, (const uint8_t *)"msh", 3, sig, sig_len) != FAT_ERR_BAD_SIGNATURE) return 8;
            if (c->verify(scheme, pub, 3, (const uint8_t *)"msg", 3, sig, sig_len) != FAT_ERR_INVALID_ARGUMENT) return 9;
            size_t tiny = 4;
            if (c->sign(ctx, scheme, secret, secret_len, (const uint8_t *)"msg", 3, sig, &tiny) != FAT_ERR_BUFFER_TOO_SMALL || tiny != sig_len) return 10;
            return 0;
        }
        /* sha256(data: Vec<u8>) -> [u8; 32] as a byte-level message */
        static fat_status sha256(fat_ctx *ctx, const uint8_t *input, size_t len) {
            uint8_t out[32]; size_t out_len = sizeof out;
            if (len < 1) return FAT_ERR_DECODE;
            if (crypto(ctx)->hash(FAT_HASH_SHA256, input + 1, len - 1, out, &out_len) != FAT_OK) return FAT_ERR_INVALID_ARGUMENT;
            return fat_output(ctx, out, out_len);
        }
        /* noise() -> [u8; 16] */
        static fat_status noise(fat_ctx *ctx, const uint8_t *input, size_t len) {
            uint8_t out[16]; (void)input; (void)len;
            if (crypto(ctx)->random(ctx, out, sizeof out) != FAT_OK) return FAT_ERR_INVALID_ARGUMENT;
            return fat_output(ctx, out, sizeof out);
        }
        static uint32_t has_http(fat_ctx *ctx) { return ctx->host->capability(ctx, FAT_CAP_HTTP, 1) != NULL
            && ctx->host->capability(ctx, FAT_CAP_HTTP, 2) == NULL && ctx->host->capability(ctx, "nothing", 1) == NULL; }
        FAT_CONTRACT("crypto", "1",
            FAT_QUERY(roundtrip, "roundtrip(scheme: u32) -> u32"),
            FAT_RAW_QUERY(sha256, "sha256(data: Vec<u8>) -> [u8; 32]"),
            FAT_RAW_COMMAND(noise, "noise() -> [u8; 16]"),
            FAT_QUERY(has_http, "has_http() -> bool"));
        """

    @Test(arguments: [NativeIsolation.inProcess, .process])
    func aNativeContractUsesFatCrypto(isolation: NativeIsolation) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(Self.cryptoContract, name: "crypto", in: dir.path)
        try withHost(isolation: isolation) { host in
            let (contract, _) = try host.deployNative(path)
            for scheme: UInt32 in [0, 1, 2] {
                #expect(try host.ask(contract, "roundtrip", le32(scheme)).output == le32(0), "scheme \(scheme)")
            }
            let data = Array("abc".utf8)
            #expect(try host.ask(contract, "sha256", scale { $0.appendByteVector(data) }).output == SHA256.hash(data))
            #expect(try host.ask(contract, "has_http").output == [1])
            // Randomness in a query is fresh.
            let first = try host.ask(contract, "noise").output
            #expect(first.count == 16)
            #expect(try host.ask(contract, "noise").output != first)
            // In a command it is derived from the host's secret and the command's place in the log:
            // two commands get different bytes, and a replay of the log gets the same ones again
            // (verify compares each replayed output with its receipt).
            let one = try host.command(contract, "noise")
            let two = try host.command(contract, "noise")
            #expect(one.output.count == 16 && two.output.count == 16)
            #expect(one.output != two.output)
            #expect(one.output != first)
            let report = try host.verify()
            #expect(report.ok, "\(report.mismatches)")
        }
    }
}
