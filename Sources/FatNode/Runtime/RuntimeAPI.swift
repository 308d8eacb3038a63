import FatCodec
import FatCrypto
import FatRuntime

/// The runtime APIs `state_call` answers, with the layouts the V15 metadata declares:
/// `Core_version`, `Metadata_*`, `AccountNonceApi_account_nonce`, `ContractsApi_call` /
/// `_instantiate` / `_upload_code` / `_get_storage` (dry runs: queries, never logged) and
/// `TransactionPaymentApi_query_info` / `_query_fee_details` (no fees).
enum RuntimeAPI {
    /// `(name, version)` of each API, listed in the runtime version by `blake2_64(name)`.
    static let apis: [(String, UInt32)] = [("Core", 5), ("Metadata", 2), ("AccountNonceApi", 1), ("TransactionPaymentApi", 4), ("ContractsApi", 2)]

    static var versionJSON: JSONValue {
        .object([
            ("specName", .string(RuntimeMetadata.specName)), ("implName", .string(RuntimeMetadata.specName)),
            ("authoringVersion", .number("1")), ("specVersion", .number(String(ExtrinsicProof.specVersion))), ("implVersion", .number("1")),
            ("apis", .array(apis.map { .array([Hex.json(Blake2b.hash(Array($0.0.utf8), outputLength: 8)), .number(String($0.1))]) })),
            ("transactionVersion", .number(String(ExtrinsicProof.transactionVersion))), ("stateVersion", .number("1")),
        ])
    }

    static var versionSCALE: [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendString(RuntimeMetadata.specName)
        encoder.appendString(RuntimeMetadata.specName)
        encoder.append(UInt32(1))
        encoder.append(ExtrinsicProof.specVersion)
        encoder.append(UInt32(1))
        encoder.appendCompact(UInt128(apis.count))
        for (name, version) in apis {
            encoder.appendBytes(Blake2b.hash(Array(name.utf8), outputLength: 8))
            encoder.append(version)
        }
        encoder.append(ExtrinsicProof.transactionVersion)
        encoder.append(UInt8(1))
        return encoder.bytes
    }

    /// A dry run's outcome, as `ContractResult` encodes it.
    struct DryRun {
        var gasConsumed: UInt64
        var gasRequired: UInt64
        var debugMessage: [UInt8]
        /// `Ok` bytes (the return value's encoding) or a dispatch error.
        var result: Result<[UInt8], DispatchFailure>
    }

    struct DispatchFailure: Error {
        let bytes: [UInt8]
        static func contracts(_ name: String) -> DispatchFailure {
            DispatchFailure(bytes: [3, RuntimeCall.Pallet.contracts, RuntimeTypes.contractsError(name), 0, 0, 0])
        }
    }

    static func encode(_ run: DryRun) -> [UInt8] {
        var encoder = ScaleEncoder()
        Weight(refTime: run.gasConsumed, proofSize: 0).encode(into: &encoder)
        Weight(refTime: run.gasRequired, proofSize: 0).encode(into: &encoder)
        encoder.append(UInt8(1))
        encoder.append(UInt128(0))
        encoder.appendByteVector(run.debugMessage)
        switch run.result {
        case let .success(ok):
            encoder.append(UInt8(0))
            encoder.appendBytes(ok)
        case let .failure(failure):
            encoder.append(UInt8(1))
            encoder.appendBytes(failure.bytes)
        }
        encoder.append(UInt8(0))
        return encoder.bytes
    }

    /// `ExecReturnValue`: flags (1 = REVERT) and the returned bytes.
    static func returnValue(reverted: Bool, output: [UInt8]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(UInt32(reverted ? 1 : 0))
        encoder.appendByteVector(output)
        return encoder.bytes
    }
}

extension SubstrateNode {
    /// `state_call(method, data)`: the runtime API's answer, SCALE-encoded.
    func runtimeCall(_ method: String, _ data: [UInt8]) async throws -> [UInt8] {
        var decoder = ScaleDecoder(data)
        func finish() throws {
            guard decoder.isAtEnd else { throw RPCError.params("state_call \(method): \(decoder.remaining) bytes past the arguments") }
        }
        do {
            switch method {
            case "Core_version":
                return RuntimeAPI.versionSCALE
            case "Metadata_metadata":
                var encoder = ScaleEncoder()
                encoder.appendByteVector(metadata.v14)
                return encoder.bytes
            case "Metadata_metadata_versions":
                return [8] + le(UInt32(14)) + le(UInt32(15))
            case "Metadata_metadata_at_version":
                let version = try decoder.readU32()
                try finish()
                var encoder = ScaleEncoder()
                switch version {
                case 14:
                    encoder.append(UInt8(1))
                    encoder.appendByteVector(metadata.v14)
                case 15:
                    encoder.append(UInt8(1))
                    encoder.appendByteVector(metadata.v15)
                default: encoder.append(UInt8(0))
                }
                return encoder.bytes
            case "AccountNonceApi_account_nonce":
                let account = AccountId(try decoder.readBytes(count: 32, what: "account"))!
                try finish()
                return le(UInt32(clamping: try host.lastNonce(of: account)))
            case "ContractsApi_call":
                let origin = AccountId(try decoder.readBytes(count: 32, what: "origin"))!
                let dest = AccountId(try decoder.readBytes(count: 32, what: "dest"))!
                let value = try decoder.readU128()
                let gas = try Self.readOptionalWeight(&decoder)
                _ = try Self.readOptionalU128(&decoder)
                let input = try decoder.readByteVector()
                try finish()
                return RuntimeAPI.encode(try await dryRunCall(origin: origin, dest: dest, value: value, gas: gas, input: input))
            case "ContractsApi_instantiate":
                let origin = AccountId(try decoder.readBytes(count: 32, what: "origin"))!
                let value = try decoder.readU128()
                let gas = try Self.readOptionalWeight(&decoder)
                _ = try Self.readOptionalU128(&decoder)
                let code: CodeSource
                switch try decoder.readU8() {
                case 0: code = .upload(try decoder.readByteVector())
                case 1: code = .existing(try decoder.readBytes(count: 32, what: "code hash"))
                case let tag: throw RPCError.params("ContractsApi_instantiate: unknown Code variant \(tag)")
                }
                let input = try decoder.readByteVector()
                let salt = try decoder.readByteVector()
                try finish()
                return RuntimeAPI.encode(try await dryRunInstantiate(origin: origin, value: value, gas: gas, code: code, input: input, salt: salt))
            case "ContractsApi_upload_code":
                _ = try decoder.readBytes(count: 32, what: "origin")
                let code = try decoder.readByteVector()
                _ = try Self.readOptionalU128(&decoder)
                if !decoder.isAtEnd { _ = try decoder.readU8() }
                try finish()
                return try await dryRunUpload(code)
            case "ContractsApi_get_storage":
                let address = AccountId(try decoder.readBytes(count: 32, what: "address"))!
                let key = try decoder.readByteVector()
                try finish()
                guard dev else {
                    throw RPCError(
                        RPCError.invalidParams, "Contract storage is sealed",
                        data:
                            "this host serves a contract's storage only to an operator running fat serve --dev; read it through the contract's messages"
                    )
                }
                guard let value = try host.read({ world in world.contract(address).map { _ in world.storage(address, key) } }) else {
                    return [1, 0]
                }
                var encoder = ScaleEncoder()
                encoder.append(UInt8(0))
                if let value {
                    encoder.append(UInt8(1))
                    encoder.appendByteVector(value)
                } else {
                    encoder.append(UInt8(0))
                }
                return encoder.bytes
            case "TransactionPaymentApi_query_info":
                var encoder = ScaleEncoder()
                Weight(refTime: 0, proofSize: 0).encode(into: &encoder)
                encoder.append(UInt8(0))
                encoder.append(UInt128(0))
                return encoder.bytes
            case "TransactionPaymentApi_query_fee_details":
                return [0] + [UInt8](repeating: 0, count: 16)
            default:
                throw RPCError(
                    RPCError.invalidParams, "Runtime API not found",
                    data:
                        "`\(method.prefix(80))` is not a runtime API of this node (Core, Metadata, AccountNonceApi, ContractsApi, TransactionPaymentApi)"
                )
            }
        } catch let error as RPCError {
            throw error
        } catch let error as ScaleError {
            throw RPCError.params("state_call \(method): the arguments do not decode: \(error)")
        }
    }

    /// `pallet_contracts::Code`: code brought by the dry run, or the hash of stored code.
    enum CodeSource: Sendable {
        case upload([UInt8])
        case existing([UInt8])
    }

    static func readOptionalWeight(_ decoder: inout ScaleDecoder) throws -> Weight? {
        guard try decoder.readU8() == 1 else { return nil }
        let refTime = try decoder.readCompact()
        let proofSize = try decoder.readCompact()
        return Weight(refTime: UInt64(clamping: refTime), proofSize: UInt64(clamping: proofSize))
    }

    static func readOptionalU128(_ decoder: inout ScaleDecoder) throws -> UInt128? {
        guard try decoder.readU8() == 1 else { return nil }
        return try decoder.readU128()
    }

    /// The caller a dry run runs as: the claimed origin under `--dev`, else nobody (the anonymous
    /// caller of an unsigned query). Nobody signed the claim, so it carries no authority.
    func dryRunCaller(_ origin: AccountId) -> AccountId? { dev ? origin : nil }

    func dryRunCall(origin: AccountId, dest: AccountId, value: UInt128, gas: Weight?, input: [UInt8]) async throws -> RuntimeAPI.DryRun {
        let required = host.limits.maxCommandGas
        guard value == 0 else {
            return RuntimeAPI.DryRun(
                gasConsumed: 0, gasRequired: required, debugMessage: Array("this host has no currency: value must be 0".utf8),
                result: .failure(.contracts("TransferFailed")))
        }
        guard try host.contract(dest) != nil else {
            return RuntimeAPI.DryRun(gasConsumed: 0, gasRequired: required, debugMessage: [], result: .failure(.contracts("ContractNotFound")))
        }
        let caller = dryRunCaller(origin)
        let gasLimit = min(gas?.refTime ?? FatHost.defaultQueryGas, host.limits.maxQueryGas)
        let result = try await run { try self.host.query(dest, input: input, origin: caller, gasLimit: gasLimit) }
        let message = Array(result.logs.joined(separator: "\n").utf8)
        switch result.outcome {
        case .success, .reverted:
            return RuntimeAPI.DryRun(
                gasConsumed: result.gasUsed, gasRequired: required, debugMessage: message,
                result: .success(RuntimeAPI.returnValue(reverted: result.outcome == .reverted, output: result.output)))
        case let .failed(error):
            return RuntimeAPI.DryRun(
                gasConsumed: result.gasUsed, gasRequired: required,
                debugMessage: message + Array((message.isEmpty ? "" : "\n").utf8) + Array(error.message.utf8),
                result: .failure(.contracts(BlockEvents.contractsErrorName(result.outcome))))
        }
    }

    func dryRunInstantiate(origin: AccountId, value: UInt128, gas: Weight?, code: CodeSource, input: [UInt8], salt: [UInt8]) async throws
        -> RuntimeAPI.DryRun
    {
        let required = host.limits.maxCommandGas
        guard value == 0 else {
            return RuntimeAPI.DryRun(
                gasConsumed: 0, gasRequired: required, debugMessage: Array("this host has no currency: value must be 0".utf8),
                result: .failure(.contracts("TransferFailed")))
        }
        let deployer = dryRunCaller(origin) ?? .zero
        var command: Command
        switch code {
        case let .upload(bytes):
            guard CodeKind(sniffing: bytes) == .wasm else {
                return RuntimeAPI.DryRun(
                    gasConsumed: 0, gasRequired: required, debugMessage: Array("a dry run takes Wasm code only".utf8),
                    result: .failure(.contracts("CodeRejected")))
            }
            let upload = CodeUpload(kind: .wasm, bytes: bytes, metadata: [])
            command = Command(caller: deployer, action: .deploy(codeHash: upload.codeHash, metadataHash: nil, input: input, salt: salt), code: upload)
        case let .existing(hash):
            command = Command(caller: deployer, action: .deploy(codeHash: hash, metadataHash: nil, input: input, salt: salt))
        }
        command.gasLimit = min(gas?.refTime ?? required, required)
        let dryCommand = command
        let receipt: Receipt
        do { receipt = try await executor.run { try self.host.dryRun(dryCommand) } } catch {
            let fat = FatError(wrapping: error)
            return RuntimeAPI.DryRun(
                gasConsumed: 0, gasRequired: required, debugMessage: Array(fat.message.utf8),
                result: .failure(.contracts(BlockEvents.contractsErrorName(.failed(fat)))))
        }
        let message = Array(receipt.logs.joined(separator: "\n").utf8)
        switch receipt.outcome {
        case .success, .reverted:
            return RuntimeAPI.DryRun(
                gasConsumed: receipt.gasUsed, gasRequired: required, debugMessage: message,
                result: .success(RuntimeAPI.returnValue(reverted: receipt.outcome == .reverted, output: receipt.output) + receipt.contract.bytes))
        case let .failed(error):
            return RuntimeAPI.DryRun(
                gasConsumed: receipt.gasUsed, gasRequired: required, debugMessage: message + Array(error.message.utf8),
                result: .failure(.contracts(BlockEvents.contractsErrorName(receipt.outcome))))
        }
    }

    /// `ContractsApi_upload_code`: checks the code as an upload would (Wasm only) and answers its hash.
    func dryRunUpload(_ code: [UInt8]) async throws -> [UInt8] {
        guard CodeKind(sniffing: code) == .wasm else { return [1] + RuntimeAPI.DispatchFailure.contracts("CodeRejected").bytes }
        let upload = CodeUpload(kind: .wasm, bytes: code, metadata: [])
        do { _ = try await executor.run { try self.host.prepare(upload) } } catch {
            return [1] + RuntimeAPI.DispatchFailure.contracts("CodeRejected").bytes
        }
        return [0] + upload.codeHash + [UInt8](repeating: 0, count: 16)
    }
}
