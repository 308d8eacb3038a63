import FatCodec

/// The calls the node face's runtime declares (its metadata describes them with these indices),
/// and how a Contracts call becomes a command. Nothing else dispatches: System's `remark` is
/// declared because every runtime has it, and refused.
public enum RuntimeCall: Sendable, Equatable {
    case remark([UInt8])
    /// `Contracts::upload_code(code, storage_deposit_limit, determinism)`
    case uploadCode(code: [UInt8], storageDepositLimit: UInt128?, determinism: UInt8)
    /// `Contracts::call(dest, value, gas_limit, storage_deposit_limit, data)`
    case call(dest: AccountId, value: UInt128, gasLimit: Weight, storageDepositLimit: UInt128?, data: [UInt8])
    /// `Contracts::instantiate_with_code(value, gas_limit, storage_deposit_limit, code, data, salt)`
    case instantiateWithCode(value: UInt128, gasLimit: Weight, storageDepositLimit: UInt128?, code: [UInt8], data: [UInt8], salt: [UInt8])
    /// `Contracts::instantiate(value, gas_limit, storage_deposit_limit, code_hash, data, salt)`
    case instantiate(value: UInt128, gasLimit: Weight, storageDepositLimit: UInt128?, codeHash: [UInt8], data: [UInt8], salt: [UInt8])

    /// Pallet indices, as the metadata declares them.
    public enum Pallet {
        public static let system: UInt8 = 0
        public static let contracts: UInt8 = 8
    }

    /// Call indices within their pallets (pallet-contracts' own numbering).
    public enum Index {
        public static let remark: UInt8 = 0
        public static let uploadCode: UInt8 = 3
        public static let call: UInt8 = 6
        public static let instantiateWithCode: UInt8 = 7
        public static let instantiate: UInt8 = 8
    }

    /// Reads a call; a call the runtime does not declare, or one with malformed or trailing
    /// arguments, is an error naming it.
    public static func decode(_ bytes: [UInt8]) throws(ExtrinsicError) -> RuntimeCall {
        var decoder = ScaleDecoder(bytes)
        do {
            let pallet = try decoder.readU8()
            let index = try decoder.readU8()
            let call: RuntimeCall
            switch (pallet, index) {
            case (Pallet.system, Index.remark):
                call = .remark(try decoder.readByteVector())
            case (Pallet.contracts, Index.uploadCode):
                let code = try decoder.readByteVector()
                let limit = try readLimit(&decoder)
                // The metadata declares no `determinism`; clients that send pallet-contracts' later
                // shape add one byte, which is accepted.
                call = .uploadCode(code: code, storageDepositLimit: limit, determinism: decoder.isAtEnd ? 0 : try decoder.readU8())
            case (Pallet.contracts, Index.call):
                guard try decoder.readU8() == 0 else { throw ExtrinsicError("Contracts.call: `dest` must be MultiAddress::Id (a 32-byte account)") }
                call = .call(
                    dest: AccountId(unchecked: try decoder.readBytes(count: 32, what: "dest")), value: try decoder.readCompact(),
                    gasLimit: try Weight.decode(from: &decoder), storageDepositLimit: try readLimit(&decoder), data: try decoder.readByteVector())
            case (Pallet.contracts, Index.instantiateWithCode):
                call = .instantiateWithCode(
                    value: try decoder.readCompact(), gasLimit: try Weight.decode(from: &decoder), storageDepositLimit: try readLimit(&decoder),
                    code: try decoder.readByteVector(), data: try decoder.readByteVector(), salt: try decoder.readByteVector())
            case (Pallet.contracts, Index.instantiate):
                call = .instantiate(
                    value: try decoder.readCompact(), gasLimit: try Weight.decode(from: &decoder), storageDepositLimit: try readLimit(&decoder),
                    codeHash: try decoder.readBytes(count: 32, what: "code_hash"), data: try decoder.readByteVector(),
                    salt: try decoder.readByteVector())
            default:
                throw ExtrinsicError(
                    "this runtime has no call \(index) in pallet \(pallet); it runs Contracts.upload_code, instantiate_with_code, instantiate and call"
                )
            }
            guard decoder.isAtEnd else { throw ExtrinsicError("the call has \(decoder.remaining) bytes past its arguments") }
            return call
        } catch let error as ExtrinsicError {
            throw error
        } catch {
            throw ExtrinsicError("malformed call: \(error)")
        }
    }

    private static func readLimit(_ decoder: inout ScaleDecoder) throws -> UInt128? {
        switch try decoder.readU8() {
        case 0: return nil
        case 1: return try decoder.readCompact()
        case let tag: throw ExtrinsicError("storage_deposit_limit: invalid Option tag \(tag)")
        }
    }

    /// The command this call asks for, from `caller`. Values are refused (the host has no
    /// currency); code is recognised by its content (Wasm or a shared object).
    public func command(caller: AccountId) throws(ExtrinsicError) -> Command {
        switch self {
        case .remark:
            throw ExtrinsicError("System.remark is not dispatched: this runtime runs contract calls only")
        case let .uploadCode(code, _, _):
            let upload = try Self.upload(code)
            return Command(caller: caller, action: .upload(codeHash: upload.codeHash, metadataHash: nil), gasLimit: 0, code: upload)
        case let .call(dest, value, gasLimit, _, data):
            try Self.refuse(value: value)
            return Command(caller: caller, action: .call(contract: dest, input: data), gasLimit: gasLimit.refTime)
        case let .instantiateWithCode(value, gasLimit, _, code, data, salt):
            try Self.refuse(value: value)
            let upload = try Self.upload(code)
            return Command(
                caller: caller, action: .deploy(codeHash: upload.codeHash, metadataHash: nil, input: data, salt: salt), gasLimit: gasLimit.refTime,
                code: upload)
        case let .instantiate(value, gasLimit, _, codeHash, data, salt):
            try Self.refuse(value: value)
            return Command(
                caller: caller, action: .deploy(codeHash: codeHash, metadataHash: nil, input: data, salt: salt), gasLimit: gasLimit.refTime)
        }
    }

    static func refuse(value: UInt128) throws(ExtrinsicError) {
        guard value == 0 else {
            throw ExtrinsicError("the call transfers a value of \(value); this host has no currency, so value must be 0")
        }
    }

    static func upload(_ code: [UInt8]) throws(ExtrinsicError) -> CodeUpload {
        guard let kind = CodeKind(sniffing: code) else {
            throw ExtrinsicError("the code is neither Wasm (\\0asm) nor a shared object (ELF)")
        }
        return CodeUpload(kind: kind, bytes: code, metadata: [])
    }
}

/// `sp_weights::Weight`: computation (`ref_time`, the host's gas) and proof size (unused here).
public struct Weight: Sendable, Equatable {
    public var refTime: UInt64
    public var proofSize: UInt64

    public init(refTime: UInt64, proofSize: UInt64) {
        self.refTime = refTime
        self.proofSize = proofSize
    }

    static func decode(from decoder: inout ScaleDecoder) throws -> Weight {
        let refTime = try decoder.readCompact()
        let proofSize = try decoder.readCompact()
        guard let refTime = UInt64(exactly: refTime), let proofSize = UInt64(exactly: proofSize) else {
            throw ExtrinsicError("a weight's parts are u64")
        }
        return Weight(refTime: refTime, proofSize: proofSize)
    }

    public func encode(into encoder: inout ScaleEncoder) {
        encoder.appendCompact(UInt128(refTime))
        encoder.appendCompact(UInt128(proofSize))
    }
}

extension CodeKind {
    /// The kind of code `bytes` hold, by their first bytes: Wasm's `\0asm`, ELF's `\x7fELF`.
    public init?(sniffing bytes: [UInt8]) {
        if bytes.starts(with: [0x00, 0x61, 0x73, 0x6d]) {
            self = .wasm
        } else if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            self = .native
        } else {
            return nil
        }
    }
}
