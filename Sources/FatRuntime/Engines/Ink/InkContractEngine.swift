import FatCodec
import FatInk

/// The engine for Wasm code: ink! contracts (and any module with the pallet-contracts host API),
/// validated and compiled once per code hash by FatInk, described by their ink! metadata.
public struct InkContractEngine: ContractEngine {
    public var kind: CodeKind { .wasm }

    public init() {}

    public func prepare(hash: CodeHash, bytes: [UInt8]) throws -> PreparedCode {
        let code: InkCode
        do { code = try InkCode.prepare(wasm: bytes) } catch {
            throw FatError(.badArtifact, "the Wasm code is not a valid contract: \(error)")
        }
        return InkPreparedCode(hash: hash, code: code, size: bytes.count)
    }
}

/// Wasm code ready to run. **Thread-safe**: FatInk keeps a pool of warm instances per code.
final class InkPreparedCode: PreparedCode, @unchecked Sendable {
    let kind = CodeKind.wasm
    let hash: CodeHash
    let code: InkCode
    let footprint: Int
    var intrinsicMetadata: ContractMetadata? { nil }
    var evictable: Bool { true }

    init(hash: CodeHash, code: InkCode, size: Int) {
        self.hash = hash
        self.code = code
        // The module and its translations, plus warm instances (each with its memory and the
        // image it is restored from).
        footprint = 8 * size + code.instanceFootprint
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
            throw FatError(trap.isOutOfGas ? .outOfGas : trap.isPastDeadline ? .deadlineExceeded : .trapped, trap.description)
        }
    }
}
