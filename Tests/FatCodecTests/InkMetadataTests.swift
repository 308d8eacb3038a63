import FatCodec
import FatTesting
import Foundation
import Testing

@Suite("ink! metadata")
struct InkMetadataTests {
    @Test(Fixtures.required) func everyInkMetadataDocumentInTheFixturesParses() throws {
        let root = try Fixtures.folder()
        let files = FileManager.default.enumerator(at: root.appendingPathComponent("ink"), includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "contract" || $0.pathExtension == "json" }
        #expect(files.count > 50)
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            do {
                let metadata = try ContractMetadata.parse(json: bytes)
                #expect(!metadata.messages.isEmpty, "\(file.path) has no messages")
                for spec in metadata.constructors + metadata.messages {
                    #expect(spec.selector.count == 4)
                    for arg in spec.args {
                        #expect(metadata.registry.resolve(arg.type) != nil, "\(file.lastPathComponent): \(spec.label).\(arg.label)")
                    }
                }
            } catch {
                Issue.record("\(file.path): \(error)")
            }
        }
    }

    @Test(Fixtures.required) func theVersionsAreRecognised() throws {
        let root = try Fixtures.folder()
        func version(_ path: String) throws -> Int {
            try ContractMetadata.parse(json: [UInt8](Data(contentsOf: root.appendingPathComponent(path)))).metadataVersion
        }
        #expect(try version("ink/polkadot-js-api/ink/v1/flipper.contract.json") == 1)
        #expect(try version("ink/polkadot-js-api/ink/v3/flipper.contract.json") == 3)
        #expect(try version("ink/polkadot-js-api/ink/v4/flipper.json") == 4)
        #expect(try version("ink/polkadot-js-api/ink/v5/erc20.json") == 5)
        let erc20 = try ContractMetadata.parse(json: [UInt8](Data(contentsOf: root.appendingPathComponent("ink/polkadot-js-api/ink/v5/erc20.json"))))
        let transfer = try #require(erc20.message(named: "transfer"))
        #expect(transfer.args.map(\.label) == ["to", "value"])
        #expect(erc20.registry.typeName(transfer.args[0].type) == "AccountId")
        #expect(transfer.returnsLangResult)
        #expect(erc20.events.contains { $0.label == "Transfer" && $0.signatureTopic?.count == 32 })
    }

    @Test(Fixtures.required) func aContractBundleCarriesItsWasm() throws {
        let root = try Fixtures.folder()
        let flipper = try ContractMetadata.parse(json: [UInt8](Data(contentsOf: root.appendingPathComponent("ink/contracts-ui/flipper.contract"))))
        #expect(flipper.wasm?.starts(with: [0x00, 0x61, 0x73, 0x6d]) == true)
        #expect(flipper.message(named: "flip")?.selector == [0x63, 0x3a, 0xa5, 0x51])
    }

    @Test func malformedMetadataIsAClearError() {
        #expect(throws: MetadataError.self) { try ContractMetadata.parse(json: Array("{\"spec\": 1".utf8)) }
        #expect(throws: MetadataError.self) { try ContractMetadata.parse(json: Array("{\"types\": []}".utf8)) }
    }
}
