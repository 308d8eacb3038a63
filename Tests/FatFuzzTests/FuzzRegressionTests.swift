import FatFuzzTargets
import Foundation
import Testing

/// Every input that once crashed a fuzz target (`Fuzz/Regressions/TARGET/`) and every committed
/// seed (`Fuzz/Seeds/TARGET/`) runs through its target again: returning at all is the test, since
/// a violated property or a trap stops the process.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The inputs in `folder/TARGET` (a target may have no folder: the seeds of most come from
    /// ../shared/fixtures when fuzzing); a folder that exists but cannot be read is an error.
    static func inputs(_ folder: String, _ target: FuzzTarget) throws -> [URL] {
        let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyRegressionInputIsHandled(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs("Regressions", target) + Self.inputs("Seeds", target)
        #expect(!inputs.isEmpty, "no regression or seed input for \(target.rawValue): this test would check nothing")
        for input in inputs {
            target.run([UInt8](try Data(contentsOf: input)))
        }
    }

    @Test func theRegressionsAreThere() throws {
        #expect(try FuzzTarget.allCases.reduce(0) { $0 + (try Self.inputs("Regressions", $1)).count } >= 8)
    }

    /// The targets are not no-ops: each accepts a valid input of its kind.
    @Test func eachTargetAcceptsAValidInput() throws {
        #expect(FuzzTarget.json.run(Array(#"{"a": [1, "\u00e9", null]}"#.utf8)))
        #expect(FuzzTarget.scale.run([0, 7]))
        #expect(FuzzTarget.request.run([4] + Array("42".utf8)))
        let wasm: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        #expect(!FuzzTarget.wasm.run(wasm), "a module without exports is no contract")
        let metadata =
            #"{"version": "4", "types": [{"id": 0, "type": {"def": {"primitive": "bool"}}}], "spec": {"constructors": [], "messages": [{"label": "get", "selector": "0x2f865bd9", "args": [], "returnType": {"type": 0}}]}}"#
        #expect(FuzzTarget.metadata.run(Array(metadata.utf8)))
        let bundle = try [UInt8](Data(contentsOf: Self.fuzz.appendingPathComponent("Seeds/bundle/minimal.contract")))
        #expect(FuzzTarget.bundle.run(bundle), "the bundle seed is not a deployable bundle")
    }
}
