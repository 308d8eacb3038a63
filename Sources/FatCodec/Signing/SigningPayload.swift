/// The bytes a caller signs, in one place for the host that verifies them and the clients that
/// sign them. Integers are little-endian, tags raw UTF-8 (no length), `Vec<u8>` a SCALE compact
/// length followed by the bytes, `Option<[u8; 32]>` a 0 byte or a 1 byte and the 32 bytes.
///
///     "fat/command/v3" ‖ genesis[32] ‖ caller[32] ‖ action ‖ value:u128 ‖ gas_limit:u64 ‖ nonce:u64 ‖ expires_at_ms:u64
///     "fat/query/v3"   ‖ genesis[32] ‖ contract[32] ‖ input:Vec<u8> ‖ expires_at_ms:u64
///     "fat/stage/v1"   ‖ genesis[32] ‖ kind:u8 ‖ code_hash[32] ‖ metadata_hash:Option<[u8; 32]> ‖ expires_at_ms:u64
///     "fat/read/v1"    ‖ genesis[32] ‖ target:Vec<u8> ‖ expires_at_ms:u64
///
/// `genesis` is the host's (or cluster's) genesis id (`GET /v1/info`), so a request signed for
/// one host cannot be replayed on another. `kind` is 0 for native code, 1 for Wasm; `target` is
/// the request line's method, a space and the path with its query (`GET /v1/log?from=1`).
///
/// Logs written before version 3 hold commands signed as `"fat/command/v1" ‖ caller ‖ action(v1) ‖
/// value ‖ gas_limit` and `"fat/command/v2" ‖ … ‖ nonce ‖ expires_at_ms`, without the genesis id
/// and with the version-1 actions; they are replayed, never verified again.
public enum SigningPayload {
    /// What a command does, as it is signed and logged.
    public enum Action: Sendable, Equatable {
        /// `0x00 ‖ code_hash[32] ‖ metadata_hash:Option<[u8; 32]> ‖ input:Vec<u8> ‖ salt:Vec<u8>`
        case deploy(codeHash: [UInt8], metadataHash: [UInt8]?, input: [UInt8], salt: [UInt8])
        /// `0x01 ‖ contract[32] ‖ input:Vec<u8>`
        case call(contract: [UInt8], input: [UInt8])
        /// `0x02 ‖ code_hash[32] ‖ metadata_hash:Option<[u8; 32]>`
        case upload(codeHash: [UInt8], metadataHash: [UInt8]?)

        public func encode(into encoder: inout ScaleEncoder) {
            switch self {
            case let .deploy(codeHash, metadataHash, input, salt):
                encoder.append(UInt8(0))
                encoder.appendBytes(codeHash)
                encoder.appendOptionalHash(metadataHash)
                encoder.appendByteVector(input)
                encoder.appendByteVector(salt)
            case let .call(contract, input):
                encoder.append(UInt8(1))
                encoder.appendBytes(contract)
                encoder.appendByteVector(input)
            case let .upload(codeHash, metadataHash):
                encoder.append(UInt8(2))
                encoder.appendBytes(codeHash)
                encoder.appendOptionalHash(metadataHash)
            }
        }
    }

    public static func command(
        genesis: [UInt8], caller: [UInt8], action: Action, value: UInt128, gasLimit: UInt64, nonce: UInt64,
        expiresAtMs: UInt64
    ) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("fat/command/v3".utf8))
        encoder.appendBytes(genesis)
        encoder.appendBytes(caller)
        action.encode(into: &encoder)
        encoder.append(value)
        encoder.append(gasLimit)
        encoder.append(nonce)
        encoder.append(expiresAtMs)
        return encoder.bytes
    }

    public static func query(genesis: [UInt8], contract: [UInt8], input: [UInt8], expiresAtMs: UInt64) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("fat/query/v3".utf8))
        encoder.appendBytes(genesis)
        encoder.appendBytes(contract)
        encoder.appendByteVector(input)
        encoder.append(expiresAtMs)
        return encoder.bytes
    }

    /// Staging code for a later upload or deploy (`POST /v1/code`); native code must be staged
    /// with an operator's signature.
    public static func stage(genesis: [UInt8], native: Bool, codeHash: [UInt8], metadataHash: [UInt8]?, expiresAtMs: UInt64) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("fat/stage/v1".utf8))
        encoder.appendBytes(genesis)
        encoder.append(UInt8(native ? 0 : 1))
        encoder.appendBytes(codeHash)
        encoder.appendOptionalHash(metadataHash)
        encoder.append(expiresAtMs)
        return encoder.bytes
    }

    /// A signed read (`GET /v1/log` as the account that signs): `target` is `METHOD path?query`.
    public static func read(genesis: [UInt8], target: String, expiresAtMs: UInt64) -> [UInt8] {
        var encoder = ScaleEncoder()
        encoder.appendBytes(Array("fat/read/v1".utf8))
        encoder.appendBytes(genesis)
        encoder.appendByteVector(Array(target.utf8))
        encoder.append(expiresAtMs)
        return encoder.bytes
    }
}

extension ScaleEncoder {
    /// `Option<[u8; 32]>`.
    public mutating func appendOptionalHash(_ hash: [UInt8]?) {
        if let hash {
            append(UInt8(1))
            appendBytes(hash)
        } else {
            append(UInt8(0))
        }
    }
}

extension ScaleDecoder {
    /// `Option<[u8; 32]>`.
    public mutating func readOptionalHash(what: String) throws -> [UInt8]? {
        let start = offset
        switch try readU8() {
        case 0: return nil
        case 1: return try readBytes(count: 32, what: what)
        case let tag: throw ScaleError("\(what): an Option tag must be 0 or 1, found \(tag)", offset: start)
        }
    }
}
