private let lowercaseHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

extension Array where Element == UInt8 {
    /// Decodes hexadecimal text, upper or lower case, with an optional `0x` or `0X` prefix.
    ///
    /// Returns `nil` when the text has an odd number of digits or a character that is not a
    /// hexadecimal digit. The empty string (and a bare `0x`) decode to an empty array.
    public init?(hex: String) {
        var utf8 = Substring(hex).utf8[...]
        if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
            let x = utf8.dropFirst().first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X")
        {
            utf8 = utf8.dropFirst(2)
        }
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8? = nil
        for character in utf8 {
            guard let nibble = Self.hexNibble(character) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self = bytes
    }

    /// The bytes as lowercase hexadecimal, two digits per byte, without a prefix.
    public var hexString: String {
        String(unsafeUninitializedCapacity: count * 2) { out in
            for (index, byte) in enumerated() {
                out[2 * index] = lowercaseHexDigits[Int(byte >> 4)]
                out[2 * index + 1] = lowercaseHexDigits[Int(byte & 0x0f)]
            }
            return count * 2
        }
    }

    private static func hexNibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
