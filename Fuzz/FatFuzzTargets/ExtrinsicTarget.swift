import FatRuntime

/// A Substrate extrinsic as the node face receives it: the envelope, the era, the call and the
/// command it asks for. Whatever decodes has a call that either decodes exactly or is refused
/// with a reason; nothing traps. (Signatures are checked by the host, not here: verifying one is
/// the same code for every input.)
enum ExtrinsicTarget {
    static func run(_ bytes: [UInt8]) -> Bool {
        guard let extrinsic = try? Extrinsic.decode(bytes) else { return false }
        require(extrinsic.bytes == bytes, "a decoded extrinsic keeps its bytes")
        require(extrinsic.call.count >= 2, "a decoded extrinsic carries a call")
        let proof = ExtrinsicProof(extrinsic: extrinsic, additional: [UInt8](repeating: 0, count: 72))
        guard let command = try? proof.command(gasCap: 1_000_000) else { return false }
        require(command.caller == extrinsic.signer, "the command's caller is the extrinsic's signer")
        require(command.nonce == UInt64(extrinsic.nonce) + 1, "the command takes the extrinsic's nonce plus one")
        require(command.gasLimit <= 1_000_000, "the gas limit is capped")
        return true
    }
}
