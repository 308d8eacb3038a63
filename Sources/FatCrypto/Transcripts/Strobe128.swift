/// The part of STROBE v1.0.2 at the 128-bit security level that Merlin transcripts use:
/// meta-AD, AD, PRF and KEY over Keccak-f[1600] with a 166-byte rate.
///
/// Operation for operation as merlin's `strobe.rs` (STROBE without the transport flag). A value
/// type: a copy forks the protocol state.
struct Strobe128 {
    private static let rate = 166
    private static let flagI: UInt8 = 1 << 0
    private static let flagA: UInt8 = 1 << 1
    private static let flagC: UInt8 = 1 << 2
    private static let flagM: UInt8 = 1 << 4
    private static let flagK: UInt8 = 1 << 5

    private var state = KeccakLanes()
    private var position = 0
    private var positionBegin: UInt8 = 0
    private var currentFlags: UInt8 = 0

    /// A fresh state for `protocolLabel`, as STROBE's `init` followed by meta-AD of the label.
    init<Label: Sequence<UInt8>>(protocolLabel: Label) {
        let header: [UInt8] = [1, UInt8(Self.rate + 2), 1, 0, 1, 96] + Array("STROBEv1.0.2".utf8)
        withUnsafeMutableBytes(of: &state) { raw in
            for (index, byte) in header.enumerated() { raw[index] = byte }
        }
        KeccakSponge.permute(&state)
        metaAD(protocolLabel, more: false)
    }

    /// Absorbs framing data (meta-AD); `more` continues the previous meta-AD operation.
    mutating func metaAD<Bytes: Sequence<UInt8>>(_ data: Bytes, more: Bool) {
        beginOperation(Self.flagM | Self.flagA, more: more)
        absorb(data)
    }

    /// Absorbs associated data (AD).
    mutating func ad<Bytes: Sequence<UInt8>>(_ data: Bytes, more: Bool) {
        beginOperation(Self.flagA, more: more)
        absorb(data)
    }

    /// Squeezes `count` pseudorandom bytes (PRF), zeroing the state bytes it reads.
    mutating func prf(count: Int, more: Bool) -> [UInt8] {
        beginOperation(Self.flagI | Self.flagA | Self.flagC, more: more)
        var output = [UInt8](repeating: 0, count: count)
        for index in 0 ..< count {
            let at = position
            withUnsafeMutableBytes(of: &state) { raw in
                output[index] = raw[at]
                raw[at] = 0
            }
            advance()
        }
        return output
    }

    /// Overwrites the state with key material (KEY), which ratchets what follows on it.
    mutating func key<Bytes: Sequence<UInt8>>(_ data: Bytes, more: Bool) {
        beginOperation(Self.flagA | Self.flagC, more: more)
        for byte in data {
            let at = position
            withUnsafeMutableBytes(of: &state) { $0[at] = byte }
            advance()
        }
    }

    private mutating func absorb<Bytes: Sequence<UInt8>>(_ data: Bytes) {
        for byte in data {
            let at = position
            withUnsafeMutableBytes(of: &state) { $0[at] ^= byte }
            advance()
        }
    }

    @inline(__always)
    private mutating func advance() {
        position += 1
        if position == Self.rate { runF() }
    }

    /// Pads the current block (position marker, 0x04, and the rate's final bit) and permutes.
    private mutating func runF() {
        let at = position
        let begin = positionBegin
        withUnsafeMutableBytes(of: &state) { raw in
            raw[at] ^= begin
            raw[at + 1] ^= 0x04
            raw[Self.rate + 1] ^= 0x80
        }
        KeccakSponge.permute(&state)
        position = 0
        positionBegin = 0
    }

    private mutating func beginOperation(_ flags: UInt8, more: Bool) {
        if more {
            precondition(currentFlags == flags, "a STROBE operation can only be continued with the same flags")
            return
        }
        let previousBegin = positionBegin
        positionBegin = UInt8(position + 1)
        currentFlags = flags
        absorb([previousBegin, flags])
        // Operations that read or overwrite the state start on a fresh block.
        if flags & (Self.flagC | Self.flagK) != 0 && position != 0 { runF() }
    }
}
