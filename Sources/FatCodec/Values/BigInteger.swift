/// A signed integer of any size, enough for JSON ⇄ SCALE conversion of u128/i256 values:
/// parsing, printing, comparison, shifts and two's-complement bytes. Sign and magnitude, the
/// magnitude in little-endian 32-bit limbs without trailing zero limbs.
struct BigInteger: Comparable, CustomStringConvertible, Sendable {
    private(set) var negative: Bool
    private(set) var limbs: [UInt32]

    init(_ value: Int) {
        negative = value < 0
        limbs = []
        var magnitude = value.magnitude
        while magnitude > 0 {
            limbs.append(UInt32(truncatingIfNeeded: magnitude))
            magnitude >>= 32
        }
    }

    init(_ value: UInt128) {
        negative = false
        limbs = []
        var rest = value
        while rest > 0 {
            limbs.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        }
    }

    private init(negative: Bool, limbs: [UInt32]) {
        var trimmed = limbs
        while trimmed.last == 0 { trimmed.removeLast() }
        self.limbs = trimmed
        self.negative = negative && !trimmed.isEmpty
    }

    /// Decimal with an optional sign, or `0x` hex.
    init?(_ text: String) {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        var radix: UInt32 = 10
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            radix = 16
            body = body.dropFirst(2)
        }
        guard !body.isEmpty, body.count <= 200 else { return nil }
        var limbs: [UInt32] = []
        for character in body {
            guard let digit = character.hexDigitValue, UInt32(digit) < radix else { return nil }
            var carry = UInt64(digit)
            for index in limbs.indices {
                let product = UInt64(limbs[index]) * UInt64(radix) + carry
                limbs[index] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        self.init(negative: negative, limbs: limbs)
    }

    /// From little-endian two's-complement (signed) or unsigned bytes.
    init(littleEndian bytes: [UInt8], signed: Bool) {
        var raw = bytes
        let isNegative = signed && (raw.last ?? 0) & 0x80 != 0
        if isNegative {
            // magnitude = ~raw + 1
            var carry = 1
            for index in raw.indices {
                let value = Int(~raw[index]) + carry
                raw[index] = UInt8(truncatingIfNeeded: value)
                carry = value >> 8
            }
        }
        var limbs = [UInt32](repeating: 0, count: (raw.count + 3) / 4)
        for (index, byte) in raw.enumerated() { limbs[index / 4] |= UInt32(byte) << (8 * (index % 4)) }
        self.init(negative: isNegative, limbs: limbs)
    }

    /// `bytes` little-endian bytes of the two's-complement form (the caller checks the range).
    func twosComplementLittleEndian(bytes count: Int) -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: count)
        for (index, limb) in limbs.enumerated() {
            for shift in 0 ..< 4 where index * 4 + shift < count {
                raw[index * 4 + shift] = UInt8(truncatingIfNeeded: limb >> (8 * shift))
            }
        }
        if negative {
            var carry = 1
            for index in raw.indices {
                let value = Int(~raw[index]) + carry
                raw[index] = UInt8(truncatingIfNeeded: value)
                carry = value >> 8
            }
        }
        return raw
    }

    static func << (lhs: BigInteger, rhs: Int) -> BigInteger {
        let whole = rhs / 32
        let part = UInt32(rhs % 32)
        var limbs = [UInt32](repeating: 0, count: whole) + lhs.limbs + [0]
        if part > 0 {
            var carry: UInt32 = 0
            for index in whole ..< limbs.count {
                let value = limbs[index]
                limbs[index] = value << part | carry
                carry = value >> (32 - part)
            }
        }
        return BigInteger(negative: lhs.negative, limbs: limbs)
    }

    /// The value as a UInt128, when it is non-negative and fits.
    var uint128: UInt128? {
        guard !negative, limbs.count <= 4 else { return nil }
        return limbs.enumerated().reduce(UInt128(0)) { $0 | UInt128($1.element) << (32 * $1.offset) }
    }

    static prefix func - (value: BigInteger) -> BigInteger { BigInteger(negative: !value.negative, limbs: value.limbs) }

    private static func compareMagnitude(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for index in a.indices.reversed() where a[index] != b[index] { return a[index] < b[index] ? -1 : 1 }
        return 0
    }

    static func < (lhs: BigInteger, rhs: BigInteger) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let order = compareMagnitude(lhs.limbs, rhs.limbs)
        return lhs.negative ? order > 0 : order < 0
    }

    var description: String {
        if limbs.isEmpty { return "0" }
        var rest = limbs
        var digits: [Character] = []
        while !rest.isEmpty {
            var remainder: UInt64 = 0
            for index in rest.indices.reversed() {
                let value = remainder << 32 | UInt64(rest[index])
                rest[index] = UInt32(value / 10)
                remainder = value % 10
            }
            digits.append(Character(String(remainder)))
            while rest.last == 0 { rest.removeLast() }
        }
        return (negative ? "-" : "") + String(digits.reversed())
    }
}
