import FatCodec

/// How a command that came as a Substrate extrinsic proves its caller: the extrinsic itself, and
/// the chain values (`additional`) it was signed with, logged as the command's signature (scheme
/// `extrinsic`). Anyone holding the log entry can check the signature again and see that the
/// command is exactly the extrinsic's call.
///
///     bytes = extrinsic: Vec<u8> ‖ additional: Vec<u8>
public struct ExtrinsicProof: Sendable {
    public let extrinsic: Extrinsic
    public let additional: [UInt8]

    /// Spec and transaction versions of the runtime the node face declares.
    public static let specVersion: UInt32 = 100
    public static let transactionVersion: UInt32 = 1

    public init(extrinsic: Extrinsic, additional: [UInt8]) {
        self.extrinsic = extrinsic
        self.additional = additional
    }

    /// What the signed extensions add to the payload: spec version, transaction version, genesis
    /// hash, the hash of the era's birth block (the genesis hash for an immortal era).
    public static func additional(genesisHash: [UInt8], birthHash: [UInt8]) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.append(specVersion)
        encoder.append(transactionVersion)
        encoder.appendBytes(genesisHash)
        encoder.appendBytes(birthHash)
        return encoder.bytes
    }

    public var signature: Signature {
        var encoder = ScaleEncoder()
        encoder.appendByteVector(extrinsic.bytes)
        encoder.appendByteVector(additional)
        return Signature(scheme: .extrinsic, bytes: encoder.bytes)
    }

    /// The command the extrinsic asks for, signed by this proof. Its nonce is the extrinsic's
    /// plus one: Substrate counts an account's transactions from 0, the host's nonces start above
    /// the last one logged (0 when none). Its gas limit is the weight's `ref_time`, capped at
    /// `gasCap` (clients ask for a block's worth; a command never gets more than the host allows).
    public func command(gasCap: UInt64) throws(ExtrinsicError) -> Command {
        var command = try RuntimeCall.decode(extrinsic.call).command(caller: extrinsic.signer)
        command.gasLimit = min(command.gasLimit, gasCap)
        command.signature = signature
        command.nonce = UInt64(extrinsic.nonce) + 1
        command.expiresAtMs = .max
        return command
    }

    /// Checks a logged or submitted command's proof: the extrinsic's signature verifies with its
    /// `additional`, which names this host's chain, and the command is exactly what the
    /// extrinsic asks for.
    static func check(_ command: Command, chainGenesisHash: [UInt8], gasCap: UInt64) throws {
        guard let signature = command.signature, signature.scheme == .extrinsic else { return }
        var decoder = ScaleDecoder(signature.bytes)
        let proof: ExtrinsicProof
        do {
            let bytes = try decoder.readByteVector()
            let additional = try decoder.readByteVector()
            guard decoder.isAtEnd else { throw ExtrinsicError("the proof has bytes past its end") }
            proof = ExtrinsicProof(extrinsic: try Extrinsic.decode(bytes), additional: additional)
        } catch {
            throw FatError(.badSignature, "the command's extrinsic proof is malformed: \(error)")
        }
        guard proof.additional.count == 72, Array(proof.additional[8 ..< 40]) == chainGenesisHash else {
            throw FatError(.badSignature, "the extrinsic was signed for another chain than this host's")
        }
        guard proof.extrinsic.verifies(additional: proof.additional) else {
            throw FatError(
                .badSignature,
                "Transaction has a bad signature: it does not verify for \(proof.extrinsic.signer) with this chain's genesis hash, spec version \(specVersion) and transaction version \(transactionVersion)"
            )
        }
        let expected: Command
        do { expected = try proof.command(gasCap: gasCap) } catch { throw FatError(.badArguments, error.description) }
        guard expected.caller == command.caller, expected.action == command.action, expected.value == command.value,
            expected.gasLimit == command.gasLimit, expected.nonce == command.nonce, expected.code?.bytes == command.code?.bytes
        else {
            throw FatError(.badSignature, "the command is not what its extrinsic asks for")
        }
    }
}
