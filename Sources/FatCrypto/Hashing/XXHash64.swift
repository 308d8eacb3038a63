/// XXH64, and the `twox` hashes Substrate builds storage keys with: `twox_64` is XXH64 with seed 0
/// (little-endian), `twox_128` the concatenation of the seed-0 and seed-1 digests. Not a
/// cryptographic hash: Substrate uses it for keys chosen by the runtime, never by users.
public enum XXHash64 {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The XXH64 digest of `data` with `seed`.
    public static func hash(_ data: [UInt8], seed: UInt64 = 0) -> UInt64 {
        let count = data.count
        var index = 0
        var hash: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while index + 32 <= count {
                v1 = round(v1, word(data, index))
                v2 = round(v2, word(data, index + 8))
                v3 = round(v3, word(data, index + 16))
                v4 = round(v4, word(data, index + 24))
                index += 32
            }
            hash = rotate(v1, 1) &+ rotate(v2, 7) &+ rotate(v3, 12) &+ rotate(v4, 18)
            for v in [v1, v2, v3, v4] { hash = (hash ^ round(0, v)) &* prime1 &+ prime4 }
        } else {
            hash = seed &+ prime5
        }
        hash = hash &+ UInt64(count)
        while index + 8 <= count {
            hash ^= round(0, word(data, index))
            hash = rotate(hash, 27) &* prime1 &+ prime4
            index += 8
        }
        if index + 4 <= count {
            let half = (0 ..< 4).reduce(UInt64(0)) { $0 | UInt64(data[index + $1]) << (8 * UInt64($1)) }
            hash ^= half &* prime1
            hash = rotate(hash, 23) &* prime2 &+ prime3
            index += 4
        }
        while index < count {
            hash ^= UInt64(data[index]) &* prime5
            hash = rotate(hash, 11) &* prime1
            index += 1
        }
        hash ^= hash >> 33
        hash = hash &* prime2
        hash ^= hash >> 29
        hash = hash &* prime3
        hash ^= hash >> 32
        return hash
    }

    /// Substrate's `twox_64`: the seed-0 digest, little-endian.
    public static func twox64(_ data: [UInt8]) -> [UInt8] { littleEndian(hash(data, seed: 0)) }

    /// Substrate's `twox_128`: the seed-0 and seed-1 digests, each little-endian.
    public static func twox128(_ data: [UInt8]) -> [UInt8] { littleEndian(hash(data, seed: 0)) + littleEndian(hash(data, seed: 1)) }

    private static func littleEndian(_ value: UInt64) -> [UInt8] { (0 ..< 8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

    private static func word(_ data: [UInt8], _ index: Int) -> UInt64 {
        (0 ..< 8).reduce(UInt64(0)) { $0 | UInt64(data[index + $1]) << (8 * UInt64($1)) }
    }

    private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { value << bits | value >> (64 - bits) }

    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }
}
