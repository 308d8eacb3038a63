/// The bytes a caller signs, in one place for the host that verifies them and the clients that
/// sign them. Integers are little-endian, tags raw UTF-8 (no length), `Vec<u8>` a SCALE compact
/// length followed by the bytes.
///
///     "fat/command/v1" ‖ caller[32] ‖ action ‖ value:u128 ‖ gas_limit:u64
///     "fat/command/v2" ‖ caller[32] ‖ action ‖ value:u128 ‖ gas_limit:u64 ‖ nonce:u64 ‖ expires_at_ms:u64
///     "fat/query/v1"   ‖ contract[32] ‖ input
///     "fat/query/v2"   ‖ contract[32] ‖ input:Vec<u8> ‖ expires_at_ms:u64
///
/// A command signs `v2` when it has a nonce, a query when it has an expiry.
public enum SigningPayload {
    /// What a command does, as it is signed and logged.
    public enum Action: Sendable, Equatable {
        /// `0x00 ‖ code_hash[32] ‖ input:Vec<u8> ‖ salt:Vec<u8>`
        case deploy(codeHash: [UInt8], input: [UInt8], salt: [UInt8])
        /// `0x01 ‖ contract[32] ‖ input:Vec<u8>`
        case call(contract: [UInt8], input: [UInt8])
        /// `0x02 ‖ code_hash[32]`
        case upload(codeHash: [UInt8])

        public func encode(into encoder: inout ScaleEncoder) {
            switch self {
            case let .deploy(codeHash, input, salt):
                encoder.append(UInt8(0))
                encoder.appendBytes(codeHash)
                encoder.appendByteVector(input)
                encoder.appendByteVector(salt)
            case let .call(contract, input):
                encoder.append(UInt8(1))
                encoder.appendBytes(contract)
                encoder.appendByteVector(input)
            case let .upload(codeHash):
                encoder.append(UInt8(2))
                encoder.appendBytes(codeHash)
            }
        }
    }

    public static func command(caller: [UInt8], action: Action, value: UInt128, gasLimit: UInt64, nonce: UInt64?,
                               expiresAtMs: UInt64) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array((nonce == nil ? "fat/command/v1" : "fat/command/v2").utf8))
        encoder.appendBytes(caller)
        action.encode(into: &encoder)
        encoder.append(value)
        encoder.append(gasLimit)
        if let nonce {
            encoder.append(nonce)
            encoder.append(expiresAtMs)
        }
        return encoder.bytes
    }

    public static func query(contract: [UInt8], input: [UInt8], expiresAtMs: UInt64?) -> [UInt8] {
        guard let expiresAtMs else { return Array("fat/query/v1".utf8) + contract + input }
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("fat/query/v2".utf8))
        encoder.appendBytes(contract)
        encoder.appendByteVector(input)
        encoder.append(expiresAtMs)
        return encoder.bytes
    }
}
