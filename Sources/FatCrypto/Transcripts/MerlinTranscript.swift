/// A Merlin transcript (merlin 3, "Merlin v1.0"): labelled messages and challenges over
/// STROBE-128, the Fiat–Shamir hash that schnorrkel's sr25519 signatures are built on.
///
/// Byte for byte as the `merlin` crate. A value type: a copy forks the transcript, as merlin's
/// `clone` does, and copies can be used from different threads independently.
public struct MerlinTranscript: Sendable {
    private var strobe: Strobe128

    /// A transcript for the application protocol `label` (merlin's `Transcript::new`).
    public init(label: StaticString) {
        strobe = Strobe128(protocolLabel: Array("Merlin v1.0".utf8))
        let name = label.withUTF8Buffer { Array($0) }
        append(name, label: "dom-sep")
    }

    /// Appends `message` under `label` (merlin's `append_message`).
    public mutating func append(_ message: [UInt8], label: StaticString) {
        label.withUTF8Buffer { strobe.metaAD($0, more: false) }
        strobe.metaAD(Self.length(message.count), more: true)
        strobe.ad(message, more: false)
    }

    /// `count` challenge bytes bound to everything appended so far (merlin's `challenge_bytes`).
    public mutating func challengeBytes(label: StaticString, count: Int) -> [UInt8] {
        label.withUTF8Buffer { strobe.metaAD($0, more: false) }
        strobe.metaAD(Self.length(count), more: true)
        return strobe.prf(count: count, more: false)
    }

    /// `count` bytes from merlin's transcript RNG:
    /// `build_rng().rekey_with_witness_bytes(label, witness).finalize(rng).fill_bytes(…)`, where
    /// `rng` yields the 32 bytes of `randomness`. The transcript itself is left unchanged.
    func witnessBytes(label: StaticString, witness: [UInt8], randomness: [UInt8], count: Int) -> [UInt8] {
        precondition(randomness.count == 32, "the transcript RNG is finalised with 32 random bytes")
        var rng = strobe
        label.withUTF8Buffer { rng.metaAD($0, more: false) }
        rng.metaAD(Self.length(witness.count), more: true)
        rng.key(witness, more: false)
        rng.metaAD(Array("rng".utf8), more: false)
        rng.key(randomness, more: false)
        rng.metaAD(Self.length(count), more: false)
        return rng.prf(count: count, more: false)
    }

    /// A length as merlin frames it: 32-bit little-endian.
    private static func length(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(UInt32.max), "merlin frames lengths as 32 bits, got \(count)")
        let value = UInt32(count)
        return [
            UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24),
        ]
    }
}
