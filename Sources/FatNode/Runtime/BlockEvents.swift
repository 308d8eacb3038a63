import FatCodec
import FatCrypto
import FatRuntime

/// The `System.Events` of a block, as the runtime's types encode them (`frame_system::EventRecord`).
///
/// What a block shows depends on who reads it (`Disclosure`), as the `/v1` log does:
/// - **everyone** sees the events contracts chose to publish (`Contracts.ContractEmitted`, with
///   their topics), in phase `Initialization`, and nothing of who sent the command or what it asked;
/// - **the command's sender** (the session that submitted its extrinsic) and an operator under
///   `--dev` see the block as a node shows it: its extrinsic, and in phase `ApplyExtrinsic(0)`
///   `CodeStored`, `Instantiated` or `Called`, the contract's events, `TransactionFeePaid` (zero:
///   no fees) and `ExtrinsicSuccess` or `ExtrinsicFailed`.
enum BlockEvents {
    static func encode(_ block: Block, disclosure: Disclosure) -> [UInt8] {
        var records: [[UInt8]] = []
        guard let entry = block.entry, let receipt = block.receipt else { return [0] }
        let extrinsic = disclosure == .full ? block.extrinsic : nil
        let phase: [UInt8] = extrinsic != nil ? [0, 0, 0, 0, 0] : [2]
        func record(pallet: UInt8, event: UInt8, _ fields: [UInt8], topics: [[UInt8]] = []) {
            var encoder = ScaleEncoder()
            encoder.appendBytes(phase)
            encoder.append(pallet)
            encoder.append(event)
            encoder.appendBytes(fields)
            encoder.appendCompact(UInt128(topics.count))
            for topic in topics { encoder.appendBytes(topic) }
            records.append(encoder.bytes)
        }
        let contracts = RuntimeCall.Pallet.contracts
        let success = receipt.outcome.isSuccess
        if disclosure == .full, success, entry.command.code != nil, let codeHash = entry.command.action.codeHash {
            record(pallet: contracts, event: 2, codeHash + [UInt8](repeating: 0, count: 16) + entry.command.caller.bytes)
        }
        if success {
            for event in receipt.events {
                var data = ScaleEncoder()
                data.appendBytes(event.contract.bytes)
                data.appendByteVector(event.data)
                record(pallet: contracts, event: 3, data.bytes, topics: event.topics.map { $0.count == 32 ? $0 : Blake2b.hash256($0) })
            }
        }
        if disclosure == .full, success {
            switch entry.command.action {
            case .deploy: record(pallet: contracts, event: 0, entry.command.caller.bytes + receipt.contract.bytes)
            case .call: record(pallet: contracts, event: 6, [1] + entry.command.caller.bytes + receipt.contract.bytes)
            case .upload: break
            }
        }
        if extrinsic != nil {
            record(pallet: 6, event: 0, entry.command.caller.bytes + [UInt8](repeating: 0, count: 32))
            var info = ScaleEncoder()
            Weight(refTime: receipt.gasUsed, proofSize: 0).encode(into: &info)
            info.appendBytes([0, 0])
            if success {
                record(pallet: RuntimeCall.Pallet.system, event: 0, info.bytes)
            } else {
                record(pallet: RuntimeCall.Pallet.system, event: 1, dispatchError(receipt.outcome) + info.bytes)
            }
        }
        var encoder = ScaleEncoder()
        encoder.appendCompact(UInt128(records.count))
        for bytes in records { encoder.appendBytes(bytes) }
        return encoder.bytes
    }

    /// `DispatchError::Module` naming the Contracts error an outcome corresponds to.
    static func dispatchError(_ outcome: Outcome) -> [UInt8] {
        [3, RuntimeCall.Pallet.contracts, RuntimeTypes.contractsError(contractsErrorName(outcome)), 0, 0, 0]
    }

    static func contractsErrorName(_ outcome: Outcome) -> String {
        switch outcome {
        case .success, .reverted: return "ContractReverted"
        case let .failed(error):
            switch error.code {
            case .outOfGas: return "OutOfGas"
            case .unknownContract: return "ContractNotFound"
            case .unknownCode: return "CodeNotFound"
            case .badArtifact, .loadFailed: return "CodeRejected"
            case .depthExceeded: return "MaxCallDepthReached"
            case .alreadyExists: return "DuplicateContract"
            case .reverted: return "ContractReverted"
            default: return "ContractTrapped"
            }
        }
    }
}
