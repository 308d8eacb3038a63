import FatCodec
import FatCrypto

/// The checks a command passes before it is logged. A command refused here never reaches the
/// log; one that passes may still revert or fail inside the contract, and is then logged with
/// that outcome.
extension FatHost {
    /// The checks `submit` makes before logging `command`, without logging it: for a server
    /// that runs the costly part (preparing the code a deploy or an upload brings) on a thread of
    /// its own before it submits. `submit` checks again, cheaply: the code is then prepared.
    public func check(_ command: Command) throws { try validate(command) }

    func validate(_ command: Command) throws {
        do { try validateOnce(command) } catch let error as FatError
            where error.code == .unknownContract || error.code == .unknownCode || (error.code == .replayedNonce && command.takesNextNonce)
        {
            // A cluster host may not have applied yet what another host just acknowledged (the
            // contract, the code, the last nonce): it catches up with etcd and checks again.
            guard let cluster = log as? ClusterLog else { throw error }
            try cluster.catchUp(within: .seconds(5))
            try validateOnce(command)
        }
    }

    private func validateOnce(_ command: Command) throws {
        try authority.check(command)
        if let signature = command.signature {
            guard command.nonce != nil else {
                throw FatError(.badArguments, "a signed command carries a nonce (above the caller's last logged nonce)")
            }
            if signature.scheme == .extrinsic {
                try ExtrinsicProof.check(command, chainGenesisHash: chainGenesisHash, gasCap: limits.maxCommandGas)
            } else {
                guard try Signer.verify(signature, payload: command.signingPayload(genesis: genesis), account: command.caller) else {
                    throw FatError(
                        .badSignature,
                        "the command's signature does not verify for caller \(command.caller) on this host (genesis 0x\(genesis.hexString))")
                }
            }
            guard command.expiresAtMs >= FatHost.nowMs else { throw Self.expired(command.expiresAtMs) }
        } else if command.expiresAtMs != 0, command.expiresAtMs < FatHost.nowMs {
            throw Self.expired(command.expiresAtMs)
        }
        guard command.gasLimit <= limits.maxCommandGas else {
            throw FatError(
                .badArguments, "the command asks for \(command.gasLimit) gas; this host allows at most \(limits.maxCommandGas) per command")
        }
        try read { world in
            if let nonce = command.nonce {
                try FatHost.checkNonce(nonce, of: command, last: world.nonce(command.caller))
            }
            switch command.action {
            case let .call(contract, input):
                guard world.contract(contract) != nil else { throw FatError(.unknownContract, "no contract at \(contract)") }
                guard input.count >= 4 else { throw FatError(.badArguments, "a message starts with a 4-byte selector") }
                guard command.code == nil else { throw FatError(.badArguments, "a call brings no code") }
            case let .upload(codeHash, metadataHash):
                guard let code = command.code else { throw FatError(.badArguments, "an upload carries its code") }
                _ = try describe(code, codeHash: codeHash, metadataHash: metadataHash, in: world)
            case let .deploy(codeHash, metadataHash, _, _):
                if let code = command.code {
                    _ = try describe(code, codeHash: codeHash, metadataHash: metadataHash, in: world)
                } else {
                    guard world.code(codeHash) != nil else {
                        throw FatError(.unknownCode, "no code with hash 0x\(codeHash.hexString) is stored; upload it first, or deploy with the code")
                    }
                    if let metadataHash, !world.hasMetadata(metadataHash) {
                        throw FatError(
                            .unknownCode, "no metadata document 0x\(metadataHash.hexString) is stored; deploy with the code and its metadata")
                    }
                }
            }
        }
    }

    /// Checks code a command brings against the hashes the command names, prepares it (Wasm is
    /// validated and compiled; native code is loaded) and parses its metadata.
    func describe(_ code: CodeUpload, codeHash: CodeHash, metadataHash: MetadataHash?, in world: WorldState) throws -> CodeDescription {
        guard code.codeHash == codeHash else {
            throw FatError(.badArtifact, "the code's hash is 0x\(code.codeHash.hexString), not the 0x\(codeHash.hexString) the command names")
        }
        guard code.metadataHash == metadataHash else {
            throw FatError(
                .badArtifact,
                "the command names metadata \(metadataHash.map { "0x" + $0.hexString } ?? "none") but brings \(code.metadataHash.map { "0x" + $0.hexString } ?? "none")"
            )
        }
        if let stored = world.code(codeHash), stored.kind != code.kind {
            throw FatError(.badArtifact, "code 0x\(codeHash.hexString) is stored as \(stored.kind.rawValue) code, not \(code.kind.rawValue)")
        }
        return try prepare(code)
    }

    /// Validates code and its metadata without storing either: the code is prepared (native
    /// code is loaded into this process, so only the operator's code may come here) and the
    /// metadata parsed. Answers what the code is and how it is described.
    public func prepare(_ upload: CodeUpload) throws -> CodeDescription {
        if upload.kind == .native, !upload.metadata.isEmpty {
            throw FatError(.badArtifact, "native code describes itself through its descriptor; it takes no metadata document")
        }
        let code = try codes.prepare(kind: upload.kind, hash: upload.codeHash, bytes: upload.bytes)
        let metadata: ContractMetadata
        if let intrinsic = code.intrinsicMetadata {
            metadata = intrinsic
        } else if let metadataHash = upload.metadataHash {
            metadata = try metadataCache.parse(upload.metadata, hash: metadataHash)
        } else {
            metadata = MetadataCache.anonymous(code.hash)
        }
        return CodeDescription(kind: upload.kind, codeHash: code.hash, metadataHash: upload.metadataHash, metadata: metadata)
    }

    static func expired(_ expiresAtMs: UInt64) -> FatError {
        FatError(.expired, "the command expired at \(expiresAtMs) ms; it is now \(FatHost.nowMs) ms")
    }

    /// A nonce must be above the caller's last logged one; a command that came as an extrinsic
    /// must take exactly the next one, as Substrate's accounts count their transactions.
    static func checkNonce(_ nonce: UInt64, of command: Command, last: UInt64) throws {
        guard nonce > last else { throw replayedNonce(command.caller, nonce: nonce, last: last) }
        if command.takesNextNonce, nonce != last &+ 1 {
            throw FatError(
                .replayedNonce,
                "the extrinsic's nonce is \(nonce - 1) but \(command.caller)'s next is \(last): it will be valid in the future, not now")
        }
    }

    static func replayedNonce(_ caller: AccountId, nonce: UInt64, last: UInt64) -> FatError {
        FatError(.replayedNonce, "nonce \(nonce) of \(caller) is not above its last logged nonce \(last): a replay, or a stale nonce")
    }
}

/// What a code is and how it is described: its kind, its hash, the metadata document chosen for
/// it (if any) and the message model.
public struct CodeDescription: Sendable {
    public let kind: CodeKind
    public let codeHash: CodeHash
    public let metadataHash: MetadataHash?
    public let metadata: ContractMetadata

    public init(kind: CodeKind, codeHash: CodeHash, metadataHash: MetadataHash?, metadata: ContractMetadata) {
        self.kind = kind
        self.codeHash = codeHash
        self.metadataHash = metadataHash
        self.metadata = metadata
    }
}
