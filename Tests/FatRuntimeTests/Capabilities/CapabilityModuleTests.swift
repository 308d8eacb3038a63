import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Testing

/// Capability modules (ABI/include/fat_capability.h, Plugins/): loading, negotiation, the
/// command/query rule, and calls from ink! (call_chain_extension) and native contracts.
@Suite struct CapabilityModuleTests {
    @Test func loadsTheJSONAndEthereumModules() throws {
        let json = try CapabilityModule.load(path: try Plugins.path("json"))
        #expect(json.name == "json")
        #expect(json.extensionId == 1)
        let names = Set(json.functions.values.map { $0.name })
        let deterministic = json.functions.values.allSatisfy { $0.deterministic }
        #expect(names == ["get", "get_decimal", "is_valid"])
        #expect(deterministic)
        let ethereum = try CapabilityModule.load(path: try Plugins.path("ethereum"))
        #expect(ethereum.name == "ethereum")
        #expect(ethereum.extensionId == 2)
        #expect(ethereum.function(named: "sign_legacy")?.id == 2)
    }

    @Test func refusesWhatIsNotAModule() throws {
        #expect(throws: FatError.self) { try CapabilityModule.load(path: "/nonexistent/libnothing.so") }
        let error = try #require(throws: FatError.self) { try CapabilityModule.load(path: try Products.library("counter")) }
        #expect(error.code == .loadFailed)
        #expect(error.message.contains("fat_module_entry"))
    }

    @Test func refusesAModuleOfAnotherMajorVersion() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_capability.h"
            FAT_EXPORT fat_status fat_module_entry(const fat_module_negotiation *offer, const fat_module_descriptor **out) {
                (void)out;
                return offer->max_major >= 2 ? FAT_OK : FAT_ERR_VERSION_MISMATCH;
            }
            """, name: "future", in: dir.path)
        let error = try #require(throws: FatError.self) { try CapabilityModule.load(path: path) }
        #expect(error.message.contains("speaks no module ABI version"))
    }

    @Test func refusesAModuleWithUnmarkedOrDuplicateFunctions() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        for (name, rows) in [
            ("unmarked", #"{ "f", 1, 0, f, 0 }"#),
            ("both", #"{ "f", 1, FAT_FN_DETERMINISTIC | FAT_FN_QUERY_ONLY, f, 0 }"#),
            ("twice", #"{ "f", 1, FAT_FN_DETERMINISTIC, f, 0 }, { "g", 1, FAT_FN_DETERMINISTIC, f, 0 }"#),
        ] {
            let path = try compileSharedObject(
                """
                #include "fat_capability.h"
                static fat_status f(fat_module_call *c, const uint8_t *i, size_t n) { (void)c; (void)i; (void)n; return FAT_OK; }
                static const fat_module_function fns[] = { \(rows) };
                static const fat_module_descriptor d = { sizeof d, 1, 0, "\(name)", "1", 9, 0, fns, sizeof fns / sizeof fns[0], 0, 0 };
                FAT_DEFINE_MODULE(d);
                """, name: name, in: dir.path)
            let error = try #require(throws: FatError.self) { try CapabilityModule.load(path: path) }
            #expect(error.code == .loadFailed, "\(name)")
        }
    }

    @Test func twoModulesMayNotShareAnExtensionId() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_capability.h"
            static const fat_module_descriptor d = { sizeof d, 1, 0, "impostor", "1", 1, 0, 0, 0, 0, 0 };
            FAT_DEFINE_MODULE(d);
            """, name: "impostor", in: dir.path)
        let error = try #require(throws: FatError.self) { try ModuleRegistry(paths: [try Plugins.path("json"), path]) }
        #expect(error.message.contains("both use chain extension id 1"))
    }

    /// A module with a query-only function (it reads the clock) and a deterministic one.
    private func clockModule(in dir: TemporaryDirectory) throws -> String {
        try compileSharedObject(
            """
            #include <time.h>
            #include "fat_capability.h"
            static fat_status now(fat_module_call *c, const uint8_t *i, size_t n) {
                (void)i; (void)n;
                uint64_t t = (uint64_t)time(NULL);
                return c->set_output(c, (const uint8_t *)&t, 8);
            }
            static fat_status twice(fat_module_call *c, const uint8_t *i, size_t n) {
                uint8_t out[64];
                if (n > 32) return FAT_ERR_INVALID_ARGUMENT;
                for (size_t k = 0; k < n; k++) { out[k] = i[k]; out[n + k] = i[k]; }
                return c->set_output(c, out, 2 * n);
            }
            static const fat_module_function fns[] = {
                { "now", 1, FAT_FN_QUERY_ONLY, now, 0 },
                { "twice", 2, FAT_FN_DETERMINISTIC, twice, 0 },
            };
            static const fat_module_descriptor d = { sizeof d, 1, 0, "clock", "1", 7, 0, fns, 2, 0, 0 };
            FAT_DEFINE_MODULE(d);
            """, name: "clock", in: dir.path)
    }

    @Test func aQueryOnlyFunctionIsRefusedInACommandWithoutRunning() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let module = try clockModule(in: dir)
        try withHost(capabilities: CapabilityConfiguration(modulePaths: [module])) { host in
            let ext = try ExtensionContract(host)
            let now = try ext.query(7 << 16 | 1)
            #expect(now.code == 0)
            #expect(abs(Int64(u64(now.output)) - Int64(Date().timeIntervalSince1970)) < 60)
            let refused = try #require(throws: FatError.self) { try ext.command(7 << 16 | 1) }
            #expect(refused.message.contains("not allowed in a command"))
            #expect(refused.message.contains("clock.now"))
            // The deterministic function runs in both.
            #expect(try ext.command(7 << 16 | 2, [1, 2]).output == [1, 2, 1, 2])
            #expect(try ext.query(7 << 16 | 2, [3]).output == [3, 3])
            // Its error status comes back as the return code, with no output.
            let failed = try ext.query(7 << 16 | 2, [UInt8](repeating: 0, count: 33))
            #expect(failed.code == 3)  // -FAT_ERR_INVALID_ARGUMENT
            // An unknown function or extension traps the contract, naming it.
            #expect(throws: FatError.self) { try ext.query(7 << 16 | 9) }
            let unknown = try #require(throws: FatError.self) { try ext.query(42 << 16 | 1) }
            #expect(unknown.message.contains("no chain extension with id 42"))
        }
    }

    @Test func anInkContractSignsAnEthereumTransaction() throws {
        try withHost(capabilities: CapabilityConfiguration(modulePaths: [try Plugins.path("ethereum")])) { host in
            let ext = try ExtensionContract(host)
            // The example of EIP-155: key 0x46…46, nonce 9, 20 gwei, 21000 gas, to 0x35…35, 1 ether.
            let secret = [UInt8](repeating: 0x46, count: 32)
            let args = scale { e in
                e.appendBytes(secret)
                e.append(UInt64(1))
                e.append(UInt64(9))
                e.append(UInt128(20_000_000_000))
                e.append(UInt64(21000))
                e.append(UInt8(1))
                e.appendBytes([UInt8](repeating: 0x35, count: 20))
                e.append(UInt128(1_000_000_000_000_000_000))
                e.appendByteVector([])
            }
            let signed = try ext.command(2 << 16 | 2, args)
            var decoder = ScaleDecoder(signed.output)
            #expect(
                try decoder.readByteVector().hexString
                    == "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
            )
            #expect(try ext.query(2 << 16 | 1, secret).output.hexString == "9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f")

            // EIP-1559 and personal_sign: the signer recovers to the key's address.
            let address = try ext.query(2 << 16 | 1, secret).output
            let message = Array("hello".utf8)
            let signature = try ext.query(
                2 << 16 | 4,
                scale {
                    $0.appendBytes(secret)
                    $0.appendByteVector(message)
                }
            ).output
            let digest = Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n5".utf8) + message)
            let recovered = try #require(Secp256k1.recover(signature: signature, messageHash: digest))
            #expect(Secp256k1.ethereumAddress(compressedPublicKey: recovered) == address)

            let typed = try ext.query(
                2 << 16 | 3,
                scale { e in
                    e.appendBytes(secret)
                    e.append(UInt64(1))
                    e.append(UInt64(0))
                    e.append(UInt128(1_000_000_000))
                    e.append(UInt128(30_000_000_000))
                    e.append(UInt64(21000))
                    e.append(UInt8(0))
                    e.append(UInt128(0))
                    e.appendByteVector([0x60, 0x00])
                })
            var typedDecoder = ScaleDecoder(typed.output)
            let raw = try typedDecoder.readByteVector()
            // 0x02 ‖ rlp([chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList, yParity, r, s])
            try #require(raw.first == 0x02)
            guard case let .list(fields) = try RLP.decode(Array(raw.dropFirst())) else {
                Issue.record("not an RLP list")
                return
            }
            try #require(fields.count == 12, "\(fields)")
            #expect(
                Array(fields.prefix(9)) == [
                    .scalar(1), .scalar(0), .scalar(1_000_000_000), .scalar(30_000_000_000), .scalar(21000),
                    .bytes([]), .scalar(0), .bytes([0x60, 0x00]), .list([]),
                ])
            guard case let .bytes(parity) = fields[9], case let .bytes(r) = fields[10], case let .bytes(s) = fields[11],
                parity.count <= 1, r.count <= 32, s.count <= 32
            else {
                Issue.record("bad signature fields \(fields.suffix(3))")
                return
            }
            let pad = { (bytes: [UInt8]) in [UInt8](repeating: 0, count: 32 - bytes.count) + bytes }
            let signingHash = Keccak256.hash([0x02] + RLP.list(Array(fields.prefix(9))).encoded)
            let signer = try #require(Secp256k1.recover(signature: pad(r) + pad(s) + [parity.first ?? 0], messageHash: signingHash))
            #expect(Secp256k1.ethereumAddress(compressedPublicKey: signer) == address)
            // A malformed key is an error code, not a crash.
            #expect(try ext.query(2 << 16 | 1, [UInt8](repeating: 0, count: 32)).code == 3)
            #expect(try ext.query(2 << 16 | 1, [1, 2, 3]).code == 10)  // FAT_ERR_DECODE
        }
    }

    @Test func theJSONModuleReadsNumbersAsFixedPoint() throws {
        try withHost(capabilities: CapabilityConfiguration(modulePaths: [try Plugins.path("json")])) { host in
            let ext = try ExtensionContract(host)
            let document = Array(#"{"bitcoin": {"usd": 67123.456}, "name": "B\u00e9t", "list": [1, 2]}"#.utf8)
            func decimal(_ pointer: String, _ decimals: UInt8) throws -> [UInt8] {
                try ext.command(
                    1 << 16 | 2,
                    scale {
                        $0.appendByteVector(document)
                        $0.appendString(pointer)
                        $0.append(decimals)
                    }
                ).output
            }
            #expect(try decimal("/bitcoin/usd", 2) == [1] + le128(6_712_345))
            #expect(try decimal("/list/1", 0) == [1] + le128(2))
            #expect(try decimal("/name", 0) == [0])
            #expect(try decimal("/missing", 0) == [0])
            let name = try ext.query(
                1 << 16 | 1,
                scale {
                    $0.appendByteVector(document)
                    $0.appendString("/name")
                }
            ).output
            #expect(name == [1] + scale { $0.appendString("Bét") })
            // Not JSON: FAT_ERR_INVALID_ARGUMENT (3) as the return code.
            #expect(
                try ext.query(
                    1 << 16 | 1,
                    scale {
                        $0.appendByteVector(Array("{oops".utf8))
                        $0.appendString("")
                    }
                ).code == 3)
            #expect(try ext.query(1 << 16 | 3, scale { $0.appendByteVector(Array("[1, 2".utf8)) }).output == [0])
        }
    }
}
