import FatCodec
import FatCrypto

/// A signed Substrate extrinsic, format 4, as the node face receives it: how an ink! developer's
/// tools (polkadot.js, cargo-contract, py-substrate-interface) send a command.
///
///     Compact<len> ‖ 0x84 ‖ address: MultiAddress ‖ signature: MultiSignature
///       ‖ extra: (era: Era, nonce: Compact<u32>, tip: Compact<u128>) ‖ call
///
/// The signature covers `call ‖ extra ‖ additional` (BLAKE2b-256 of it past 256 bytes), where
/// `additional` is what the signer knows of the chain: spec version, transaction version, the
/// genesis hash and the hash of the era's birth block (`ExtrinsicRuntime.signedExtensions`).
/// Decoding never traps: every malformed extrinsic is an `ExtrinsicError` naming what is wrong.
public struct Extrinsic: Sendable {
    public enum MultiSignature: Sendable, Equatable {
        case ed25519([UInt8])
        case sr25519([UInt8])
        /// `r ‖ s ‖ v` over BLAKE2b-256 of the payload; the signer's account is BLAKE2b-256 of
        /// its compressed public key.
        case ecdsa([UInt8])
    }

    /// The whole extrinsic, with its length prefix: what is hashed into the extrinsic hash.
    public let bytes: [UInt8]
    public let signer: AccountId
    public let signature: MultiSignature
    public let era: Era
    public let nonce: UInt32
    public let tip: UInt128
    /// The extra fields as signed (era, nonce, tip).
    public let extra: [UInt8]
    /// The call as signed: pallet index, call index, arguments.
    public let call: [UInt8]

    /// BLAKE2b-256 of the whole extrinsic: its hash in blocks and in `author_*` answers.
    public var hash: [UInt8] { Blake2b.hash256(bytes) }

    /// Reads an extrinsic; `bytes` must hold exactly one, length prefix included.
    public static func decode(_ bytes: [UInt8]) throws(ExtrinsicError) -> Extrinsic {
        var decoder = ScaleDecoder(bytes)
        do {
            let length = try decoder.readLength(what: "extrinsic")
            guard length == decoder.remaining else {
                throw ExtrinsicError("the extrinsic declares \(length) bytes but carries \(decoder.remaining)")
            }
            let version = try decoder.readU8()
            guard version & 0x7f == 4 else { throw ExtrinsicError("extrinsic format \(version & 0x7f) is not supported (only 4)") }
            guard version & 0x80 != 0 else {
                throw ExtrinsicError("unsigned extrinsics are not accepted: every command is signed by its caller")
            }
            let addressKind = try decoder.readU8()
            guard addressKind == 0 else {
                throw ExtrinsicError("the signer's address is MultiAddress variant \(addressKind); only Id (0, a 32-byte account) is accepted")
            }
            let signer = AccountId(unchecked: try decoder.readBytes(count: 32, what: "signer"))
            let signature: MultiSignature
            switch try decoder.readU8() {
            case 0: signature = .ed25519(try decoder.readBytes(count: 64, what: "Ed25519 signature"))
            case 1: signature = .sr25519(try decoder.readBytes(count: 64, what: "sr25519 signature"))
            case 2: signature = .ecdsa(try decoder.readBytes(count: 65, what: "ECDSA signature"))
            case let tag: throw ExtrinsicError("unknown MultiSignature variant \(tag)")
            }
            let extraStart = decoder.offset
            let era = try Era.decode(from: &decoder)
            let nonce = try decoder.readCompact()
            guard let nonce = UInt32(exactly: nonce) else { throw ExtrinsicError("the nonce \(nonce) does not fit a u32") }
            let tip = try decoder.readCompact()
            let extra = Array(bytes[extraStart ..< decoder.offset])
            let call = try decoder.readBytes(count: decoder.remaining, what: "call")
            guard call.count >= 2 else { throw ExtrinsicError("the extrinsic carries no call") }
            return Extrinsic(bytes: bytes, signer: signer, signature: signature, era: era, nonce: nonce, tip: tip, extra: extra, call: call)
        } catch let error as ExtrinsicError {
            throw error
        } catch {
            throw ExtrinsicError("malformed extrinsic: \(error)")
        }
    }

    /// Builds a signed extrinsic (for clients and tests): `sign` gets the payload to sign.
    public static func signed(
        signer: AccountId, era: Era, nonce: UInt32, tip: UInt128 = 0, call: [UInt8], additional: [UInt8],
        sign: ([UInt8]) throws -> MultiSignature
    ) rethrows -> [UInt8] {
        var extraEncoder = ScaleEncoder()
        era.encode(into: &extraEncoder)
        extraEncoder.appendCompact(UInt128(nonce))
        extraEncoder.appendCompact(tip)
        let extra = extraEncoder.bytes
        let signature = try sign(payload(call: call, extra: extra, additional: additional))
        var body = ScaleEncoder()
        body.append(UInt8(0x84))
        body.append(UInt8(0))
        body.appendBytes(signer.bytes)
        switch signature {
        case let .ed25519(bytes):
            body.append(UInt8(0))
            body.appendBytes(bytes)
        case let .sr25519(bytes):
            body.append(UInt8(1))
            body.appendBytes(bytes)
        case let .ecdsa(bytes):
            body.append(UInt8(2))
            body.appendBytes(bytes)
        }
        body.appendBytes(extra)
        body.appendBytes(call)
        var whole = ScaleEncoder()
        whole.appendByteVector(body.bytes)
        return whole.bytes
    }

    /// What a signer signs: `call ‖ extra ‖ additional`, or its BLAKE2b-256 when longer than 256 bytes.
    public static func payload(call: [UInt8], extra: [UInt8], additional: [UInt8]) -> [UInt8] {
        let raw = call + extra + additional
        return raw.count > 256 ? Blake2b.hash256(raw) : raw
    }

    /// Whether the signature signs this extrinsic for its signer, given the chain's `additional`.
    public func verifies(additional: [UInt8]) -> Bool {
        let message = Self.payload(call: call, extra: extra, additional: additional)
        switch signature {
        case let .ed25519(bytes): return Ed25519.verify(signature: bytes, message: message, publicKey: signer.bytes)
        case let .sr25519(bytes): return Sr25519.verify(signature: bytes, message: message, publicKey: signer.bytes)
        case let .ecdsa(bytes):
            guard let key = Secp256k1.recover(signature: bytes, messageHash: Blake2b.hash256(message)) else { return false }
            return Blake2b.hash256(key) == signer.bytes
        }
    }
}

/// Why an extrinsic cannot be read or accepted.
public struct ExtrinsicError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An extrinsic's mortality: immortal, or valid for `period` blocks from the block whose number
/// is `phase` modulo `period` (Substrate's `generic::Era`).
public enum Era: Sendable, Equatable {
    case immortal
    case mortal(period: UInt64, phase: UInt64)

    /// A mortal era of (about) `period` blocks starting at block `current`, as clients build it.
    public static func mortal(period: UInt64, current: UInt64) -> Era {
        let period = min(max(Self.nextPowerOfTwo(period), 4), 1 << 16)
        let phase = current % period
        let quantize = max(period >> 12, 1)
        return .mortal(period: period, phase: phase / quantize * quantize)
    }

    static func decode(from decoder: inout ScaleDecoder) throws -> Era {
        let first = try decoder.readU8()
        guard first != 0 else { return .immortal }
        let encoded = UInt64(first) | UInt64(try decoder.readU8()) << 8
        let period = UInt64(2) << (encoded % (1 << 4))
        let quantize = max(period >> 12, 1)
        let phase = (encoded >> 4) * quantize
        guard period >= 4, phase < period else { throw ExtrinsicError("invalid mortal era (period \(period), phase \(phase))") }
        return .mortal(period: period, phase: phase)
    }

    func encode(into encoder: inout ScaleEncoder) {
        switch self {
        case .immortal:
            encoder.append(UInt8(0))
        case let .mortal(period, phase):
            let quantize = max(period >> 12, 1)
            let low = UInt64(min(max(period.trailingZeroBitCount - 1, 1), 15))
            let encoded = UInt16(truncatingIfNeeded: low | (phase / quantize) << 4)
            encoder.append(encoded)
        }
    }

    /// The block the era started at, seen from block `current`.
    public func birth(current: UInt64) -> UInt64 {
        switch self {
        case .immortal: 0
        case let .mortal(period, phase): (max(current, phase) - phase) / period * period + phase
        }
    }

    /// The first block at which the extrinsic is no longer valid, seen from block `current`.
    public func death(current: UInt64) -> UInt64 {
        switch self {
        case .immortal: .max
        case let .mortal(period, _): birth(current: current) &+ period
        }
    }

    private static func nextPowerOfTwo(_ value: UInt64) -> UInt64 {
        value <= 1 ? 1 : (value - 1).leadingZeroBitCount == 0 ? 1 << 63 : 1 << (64 - (value - 1).leadingZeroBitCount)
    }
}
