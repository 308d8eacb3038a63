/// The BLAKE2b chaining value and compression function F (RFC 7693 §3.2).
///
/// Eight words of state kept in stored properties, so the whole hash runs without heap
/// allocation; the twelve rounds are spelled out with their message schedule so the optimiser
/// keeps the working vector in registers.
struct Blake2bState {
    private static let iv: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (
        0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179
    )

    private var h0, h1, h2, h3, h4, h5, h6, h7: UInt64

    /// The initial state for a digest of `outputLength` bytes and a key of `keyLength` bytes
    /// (parameter block with fanout 1, depth 1, no salt or personalisation).
    init(outputLength: Int, keyLength: Int) {
        let iv = Self.iv
        h0 = iv.0 ^ 0x0101_0000 ^ UInt64(keyLength) << 8 ^ UInt64(outputLength)
        h1 = iv.1
        h2 = iv.2
        h3 = iv.3
        h4 = iv.4
        h5 = iv.5
        h6 = iv.6
        h7 = iv.7
    }

    /// Writes the first `count` bytes of the little-endian chaining value to `output`.
    func write(to output: UnsafeMutableRawBufferPointer, count: Int) {
        var words = (
            h0.littleEndian, h1.littleEndian, h2.littleEndian, h3.littleEndian,
            h4.littleEndian, h5.littleEndian, h6.littleEndian, h7.littleEndian
        )
        withUnsafeBytes(of: &words) { bytes in
            output.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0 ..< count]))
        }
    }

    /// Compresses one 128-byte block. `counterLow`/`counterHigh` hold the number of message bytes
    /// absorbed so far, including this block; `isLast` marks the final block.
    @inline(__always)
    mutating func compress(_ block: UnsafeRawPointer, counterLow: UInt64, counterHigh: UInt64, isLast: Bool) {
        @inline(__always) func word(_ index: Int) -> UInt64 {
            UInt64(littleEndian: block.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }
        let m0 = word(0)
        let m1 = word(1)
        let m2 = word(2)
        let m3 = word(3)
        let m4 = word(4)
        let m5 = word(5)
        let m6 = word(6)
        let m7 = word(7)
        let m8 = word(8)
        let m9 = word(9)
        let m10 = word(10)
        let m11 = word(11)
        let m12 = word(12)
        let m13 = word(13)
        let m14 = word(14)
        let m15 = word(15)

        let iv = Self.iv
        var v = WorkingVector(
            v0: h0, v1: h1, v2: h2, v3: h3, v4: h4, v5: h5, v6: h6, v7: h7,
            v8: iv.0, v9: iv.1, v10: iv.2, v11: iv.3,
            v12: iv.4 ^ counterLow, v13: iv.5 ^ counterHigh, v14: isLast ? ~iv.6 : iv.6, v15: iv.7)

        round(&v, m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15)
        round(&v, m14, m10, m4, m8, m9, m15, m13, m6, m1, m12, m0, m2, m11, m7, m5, m3)
        round(&v, m11, m8, m12, m0, m5, m2, m15, m13, m10, m14, m3, m6, m7, m1, m9, m4)
        round(&v, m7, m9, m3, m1, m13, m12, m11, m14, m2, m6, m5, m10, m4, m0, m15, m8)
        round(&v, m9, m0, m5, m7, m2, m4, m10, m15, m14, m1, m11, m12, m6, m8, m3, m13)
        round(&v, m2, m12, m6, m10, m0, m11, m8, m3, m4, m13, m7, m5, m15, m14, m1, m9)
        round(&v, m12, m5, m1, m15, m14, m13, m4, m10, m0, m7, m6, m3, m9, m2, m8, m11)
        round(&v, m13, m11, m7, m14, m12, m1, m3, m9, m5, m0, m15, m4, m8, m6, m2, m10)
        round(&v, m6, m15, m14, m9, m11, m3, m0, m8, m12, m2, m13, m7, m1, m4, m10, m5)
        round(&v, m10, m2, m8, m4, m7, m6, m1, m5, m15, m11, m9, m14, m3, m12, m13, m0)
        round(&v, m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15)
        round(&v, m14, m10, m4, m8, m9, m15, m13, m6, m1, m12, m0, m2, m11, m7, m5, m3)

        h0 ^= v.v0 ^ v.v8
        h1 ^= v.v1 ^ v.v9
        h2 ^= v.v2 ^ v.v10
        h3 ^= v.v3 ^ v.v11
        h4 ^= v.v4 ^ v.v12
        h5 ^= v.v5 ^ v.v13
        h6 ^= v.v6 ^ v.v14
        h7 ^= v.v7 ^ v.v15
    }
}

/// The sixteen-word local work vector of F.
private struct WorkingVector {
    var v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15: UInt64
}

/// One round: G on the four columns, then on the four diagonals. The sixteen message words
/// arrive already permuted by this round's row of SIGMA.
@inline(__always)
private func round(
    _ v: inout WorkingVector,
    _ x0: UInt64, _ x1: UInt64, _ x2: UInt64, _ x3: UInt64, _ x4: UInt64, _ x5: UInt64, _ x6: UInt64, _ x7: UInt64,
    _ x8: UInt64, _ x9: UInt64, _ x10: UInt64, _ x11: UInt64, _ x12: UInt64, _ x13: UInt64, _ x14: UInt64, _ x15: UInt64
) {
    mix(&v.v0, &v.v4, &v.v8, &v.v12, x0, x1)
    mix(&v.v1, &v.v5, &v.v9, &v.v13, x2, x3)
    mix(&v.v2, &v.v6, &v.v10, &v.v14, x4, x5)
    mix(&v.v3, &v.v7, &v.v11, &v.v15, x6, x7)
    mix(&v.v0, &v.v5, &v.v10, &v.v15, x8, x9)
    mix(&v.v1, &v.v6, &v.v11, &v.v12, x10, x11)
    mix(&v.v2, &v.v7, &v.v8, &v.v13, x12, x13)
    mix(&v.v3, &v.v4, &v.v9, &v.v14, x14, x15)
}

/// The mixing function G with rotation constants 32, 24, 16, 63.
@inline(__always)
private func mix(_ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64, _ x: UInt64, _ y: UInt64) {
    a = a &+ b &+ x
    d = rotateRight(d ^ a, 32)
    c = c &+ d
    b = rotateRight(b ^ c, 24)
    a = a &+ b &+ y
    d = rotateRight(d ^ a, 16)
    c = c &+ d
    b = rotateRight(b ^ c, 63)
}

@inline(__always)
private func rotateRight(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value >> count) | (value << (64 - count))
}
