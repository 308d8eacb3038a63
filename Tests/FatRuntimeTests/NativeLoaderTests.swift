import FatRuntime
import FatTesting
import Foundation
import Testing

@Suite("Loading native contracts")
struct NativeLoaderTests {
    func expectLoadError(_ path: String, mentions fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try NativeEngine.inspect(path: path)
            Issue.record("\(path) loaded but should not have", sourceLocation: sourceLocation)
        } catch let error as FatError {
            #expect(error.code == .loadFailed, sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFileThatIsNotASharedObjectIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/broken.so"
        try Data("this is not ELF".utf8).write(to: URL(fileURLWithPath: path))
        expectLoadError(path, mentions: ["not a loadable shared object"])
    }

    @Test func aSharedObjectWithoutTheEntrySymbolIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject("int something_else(void) { return 1; }\n", name: "noentry", in: dir.path)
        expectLoadError(path, mentions: ["fat_contract_entry", "fat_contract.h"])
    }

    @Test func aContractForAnotherMajorVersionIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_contract.h"
            FAT_EXPORT fat_status fat_contract_entry(const fat_negotiation *offer, const fat_contract_descriptor **out) {
                (void)out;
                if (offer->max_major < 2) return FAT_ERR_VERSION_MISMATCH;
                return FAT_OK;
            }
            """, name: "future", in: dir.path)
        expectLoadError(path, mentions: ["ABI version", "rebuild"])
    }

    @Test func aDescriptorClaimingAnotherMajorIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_contract.h"
            static const fat_message messages[] = { FAT_RAW_QUERY(NULL, "get() -> u64") };
            static fat_contract_descriptor descriptor = FAT_DESCRIPTOR("liar", "1.0.0", messages);
            FAT_EXPORT fat_status fat_contract_entry(const fat_negotiation *offer, const fat_contract_descriptor **out) {
                (void)offer; descriptor.abi_major = 2; *out = &descriptor; return FAT_OK;
            }
            """, name: "liar", in: dir.path)
        expectLoadError(path, mentions: ["major version 2"])
    }

    @Test func aContractWhoseInitFailsIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_contract.h"
            static uint64_t get(fat_ctx *ctx) { (void)ctx; return 1; }
            static fat_status refuse(const fat_host_api *host) { (void)host; return FAT_ERR_INIT_FAILED; }
            static const fat_message messages[] = { FAT_QUERY(get, "get() -> u64") };
            static fat_contract_descriptor descriptor = FAT_DESCRIPTOR("refuser", "1.0.0", messages);
            FAT_EXPORT fat_status fat_contract_entry(const fat_negotiation *offer, const fat_contract_descriptor **out) {
                (void)offer; descriptor.init = refuse; *out = &descriptor; return FAT_OK;
            }
            """, name: "refuser", in: dir.path)
        expectLoadError(path, mentions: ["init hook failed", "FAT_ERR_INIT_FAILED"])
    }

    @Test func aTypedMessageWithAnUnsupportedTypeIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = try compileSharedObject(
            """
            #include "fat_contract.h"
            static void put(fat_ctx *ctx) { (void)ctx; }
            FAT_CONTRACT("odd", "1.0.0", FAT_COMMAND(put, "put(values: Vec<u64>)"));
            """, name: "odd", in: dir.path)
        expectLoadError(path, mentions: ["put", "values"])
    }

    @Test func theExampleContractsLoadWithTheirMessages() throws {
        let counter = try NativeEngine.inspect(path: try Products.library("counter"))
        let metadata = try #require(counter.intrinsicMetadata)
        #expect(metadata.name == "counter")
        #expect(Set(metadata.messages.map(\.label)).isSuperset(of: ["get", "increment"]))
        let swiftCounter = try #require(try NativeEngine.inspect(path: try Products.library("swift_counter")).intrinsicMetadata)
        #expect(Set(swiftCounter.messages.map(\.label)) == Set(metadata.messages.map(\.label)))
    }
}
