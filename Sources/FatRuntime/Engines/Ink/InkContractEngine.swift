import FatCodec
import FatInk

/// The engine for Wasm code: ink! contracts (and any module with the pallet-contracts host API),
/// validated and compiled once per code hash by FatInk, described by their ink! metadata.
public struct InkContractEngine: ContractEngine {
    public var kind: CodeKind { .wasm }

    public init() {}

    public func prepare(hash: CodeHash, bytes: [UInt8], metadata: [UInt8]) throws -> PreparedCode {
        let code: InkCode
        do { code = try InkCode.prepare(wasm: bytes) } catch {
            throw FatError(.badArtifact, "the Wasm code is not a valid contract: \(error)")
        }
        let model: ContractMetadata
        if metadata.isEmpty {
            model = ContractMetadata(name: "wasm-\(hash.hexString.prefix(8))", version: "0.0.0")
        } else {
            do { model = try ContractMetadata.parse(json: metadata) } catch {
                throw FatError(.badArtifact, "the contract's metadata does not parse: \(error)")
            }
        }
        return InkPreparedCode(hash: hash, code: code, metadata: model)
    }
}

/// Wasm code ready to run. **Thread-safe**: FatInk keeps a pool of warm instances per code.
final class InkPreparedCode: PreparedCode, @unchecked Sendable {
    let kind = CodeKind.wasm
    let hash: CodeHash
    let metadata: ContractMetadata
    let code: InkCode

    init(hash: CodeHash, code: InkCode, metadata: ContractMetadata) {
        self.hash = hash
        self.code = code
        self.metadata = metadata
    }

    func execute(_ entry: Entry, input: [UInt8], frame: CallFrame) throws -> ExecutionResult {
        let environment = InkFrameEnvironment(frame: frame)
        let gasLimit = frame.transaction.gasLeft
        do {
            let execution = try code.execute(entry == .constructor ? .deploy : .call, input: input, environment: environment, gasLimit: gasLimit)
            try frame.charge(execution.gasUsed)
            return ExecutionResult(output: execution.output, reverted: execution.reverted)
        } catch let trap as InkTrap {
            try? frame.charge(trap.gasUsed)
            throw FatError(trap.isOutOfGas ? .outOfGas : .trapped, trap.description)
        }
    }
}
