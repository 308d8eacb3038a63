import FatCodec
import FatCrypto
import FatRuntime
import FatTesting
import Foundation
import Testing

/// Contracts/wasm/extension.wat: a Wasm contract that passes `(func_id, input)` to
/// `call_chain_extension` and answers `(return code, output)`, so tests reach pink and the capability
/// modules exactly as an ink! contract does.
struct ExtensionContract {
    let host: FatHost
    let contract: WasmContract

    static let selector: [UInt8] = [0x2A, 0x4B, 0x6C, 0x8D]

    init(_ host: FatHost) throws {
        self.host = host
        contract = try host.deployWasm(Repository.root.appendingPathComponent("Contracts/wasm/extension.wat").path, constructor: "new").0
    }

    struct Answer {
        let code: UInt32
        let output: [UInt8]
        let logs: [String]
    }

    private func input(_ funcId: UInt32, _ argument: [UInt8]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Self.selector)
        encoder.append(funcId)
        encoder.appendByteVector(argument)
        return encoder.bytes
    }

    private func decode(_ output: [UInt8], logs: [String]) throws -> Answer {
        var decoder = ScaleDecoder(output)
        #expect(try decoder.readU8() == 0)
        return Answer(code: try decoder.readU32(), output: try decoder.readByteVector(), logs: logs)
    }

    /// Calls the extension in a query; fails with the outcome when the contract did not succeed.
    func query(_ funcId: UInt32, _ argument: [UInt8] = []) throws -> Answer {
        let result = try host.query(contract.address, input: input(funcId, argument))
        guard result.outcome == .success else { throw FatError(.trapped, "\(result.outcome)") }
        return try decode(result.output, logs: result.logs)
    }

    /// Calls the extension in a command.
    func command(_ funcId: UInt32, _ argument: [UInt8] = []) throws -> Answer {
        let receipt = try host.submit(
            TestAccount.alice.signed(
                Command(
                    caller: TestAccount.alice.account, action: .call(contract: contract.address, input: input(funcId, argument))), for: host))
        guard receipt.outcome == .success else { throw FatError(.trapped, "\(receipt.outcome)") }
        return try decode(receipt.output, logs: receipt.logs)
    }
}

/// SCALE-encodes arguments written as a closure over an encoder.
func scale(_ build: (inout ScaleEncoder) -> Void) -> [UInt8] {
    var encoder = ScaleEncoder()
    build(&encoder)
    return encoder.bytes
}

/// The built capability modules.
enum Plugins {
    static func path(_ name: String) throws -> String { try Products.library(name) }
}
