import FatCodec
import Foundation
import Testing

/// The third-party fixtures, read in place from ../shared/fixtures.
enum Fixtures {
    static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["FAT_FIXTURES"] { return URL(fileURLWithPath: path) }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }()

    /// The fixtures folder, or nil after recording why: a skip message normally, a failure in CI.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let root { return root }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("../shared/fixtures is missing (CI=true makes that a failure)", sourceLocation: sourceLocation)
        } else {
            print("SKIPPED: ../shared/fixtures is not present; set FAT_FIXTURES to run the fixture tests")
        }
        return nil
    }
}

@Suite("ink! metadata")
struct InkMetadataTests {
    @Test func everyInkMetadataDocumentInTheFixturesParses() throws {
        guard let root = Fixtures.require() else { return }
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
                    for arg in spec.args { #expect(metadata.registry.resolve(arg.type) != nil, "\(file.lastPathComponent): \(spec.label).\(arg.label)") }
                }
            } catch {
                Issue.record("\(file.path): \(error)")
            }
        }
    }

    @Test func theVersionsAreRecognised() throws {
        guard let root = Fixtures.require() else { return }
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

    @Test func aContractBundleCarriesItsWasm() throws {
        guard let root = Fixtures.require() else { return }
        let flipper = try ContractMetadata.parse(json: [UInt8](Data(contentsOf: root.appendingPathComponent("ink/contracts-ui/flipper.contract"))))
        #expect(flipper.wasm?.starts(with: [0x00, 0x61, 0x73, 0x6d]) == true)
        #expect(flipper.message(named: "flip")?.selector == [0x63, 0x3a, 0xa5, 0x51])
    }

    @Test func malformedMetadataIsAClearError() {
        #expect(throws: MetadataError.self) { try ContractMetadata.parse(json: Array("{\"spec\": 1".utf8)) }
        #expect(throws: MetadataError.self) { try ContractMetadata.parse(json: Array("{\"types\": []}".utf8)) }
    }
}
