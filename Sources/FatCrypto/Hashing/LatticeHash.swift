import CSodium

/// A homomorphic hash of a multiset (LtHash: Bellare and Micciancio's construction, as used for
/// large state digests that change a little at a time): 1024 lanes of 16 bits, added and
/// subtracted modulo 2¹⁶. An element is expanded to 2048 pseudo-random bytes and added to the
/// lanes; removing it subtracts them. So the digest of a set is maintained in O(1) per change,
/// whatever the size of the set, and two sets hash alike whatever the order they were built in.
///
/// Finding two multisets with the same digest is as hard as a short-vector problem on a lattice
/// (about 200 bits of security at this size), unlike a plain sum or XOR of element hashes, which
/// fall to Wagner's generalized birthday attack. The expansion is ChaCha20's keystream under the
/// BLAKE2b-256 digest of the element (with a domain tag), a PRG keyed by a hash.
public struct LatticeHash: Sendable, Equatable {
    public static let laneCount = 1024
    public static let byteCount = laneCount * 2
    private var lanes: [UInt16]

    /// The digest of the empty multiset.
    public init() { lanes = [UInt16](repeating: 0, count: Self.laneCount) }

    /// A digest from its 2048-byte form (`bytes`); nil for another length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        lanes = (0 ..< Self.laneCount).map { UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8 }
    }

    /// The lanes, little-endian.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.byteCount)
        for (index, lane) in lanes.enumerated() {
            out[2 * index] = UInt8(truncatingIfNeeded: lane)
            out[2 * index + 1] = UInt8(truncatingIfNeeded: lane >> 8)
        }
        return out
    }

    public mutating func insert(_ element: [UInt8]) { combine(Self.expand(element), subtracting: false) }

    public mutating func remove(_ element: [UInt8]) { combine(Self.expand(element), subtracting: true) }

    public mutating func add(_ other: LatticeHash) { combine(other.lanes, subtracting: false) }

    public mutating func subtract(_ other: LatticeHash) { combine(other.lanes, subtracting: true) }

    private mutating func combine(_ other: [UInt16], subtracting: Bool) {
        lanes.withUnsafeMutableBufferPointer { mine in
            other.withUnsafeBufferPointer { theirs in
                if subtracting {
                    for index in 0 ..< Self.laneCount { mine[index] &-= theirs[index] }
                } else {
                    for index in 0 ..< Self.laneCount { mine[index] &+= theirs[index] }
                }
            }
        }
    }

    private static let domain = Array("fat/lattice-element/v1".utf8)

    /// 1024 pseudo-random lanes for `element`.
    static func expand(_ element: [UInt8]) -> [UInt16] {
        var key = Blake2b.Hasher(outputLength: 32)
        key.update(domain)
        key.update(element)
        let seed = key.finalize()
        let nonce = [UInt8](repeating: 0, count: Int(crypto_stream_chacha20_NONCEBYTES))
        var lanes = [UInt16](repeating: 0, count: laneCount)
        lanes.withUnsafeMutableBytes { out in
            _ = crypto_stream_chacha20(out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(byteCount), nonce, seed)
        }
        // The keystream is read as little-endian lanes on every platform.
        return lanes.map { UInt16(littleEndian: $0) }
    }
}
