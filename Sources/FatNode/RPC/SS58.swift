import FatCrypto

/// SS58 addresses (Substrate's base58 account format): a prefix, the 32-byte account and a
/// 2-byte checksum, BLAKE2b-512 of `"SS58PRE" ‖ prefix ‖ account`.
enum SS58 {
    private static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// The 32-byte account of an address with a one- or two-byte prefix; nil when malformed or
    /// when its checksum is wrong.
    static func decode(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var bytes: [UInt8] = []
        for character in text.utf8 {
            guard let digit = alphabet.firstIndex(of: character) else { return nil }
            var carry = digit
            for index in bytes.indices.reversed() {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.insert(UInt8(carry & 0xff), at: 0)
                carry >>= 8
            }
        }
        let zeros = text.utf8.prefix { $0 == alphabet[0] }.count
        bytes = [UInt8](repeating: 0, count: zeros) + bytes
        let prefixLength: Int
        switch bytes.count {
        case 35: prefixLength = 1
        case 36: prefixLength = 2
        default: return nil
        }
        let body = Array(bytes[0 ..< bytes.count - 2])
        let checksum = Blake2b.hash(Array("SS58PRE".utf8) + body, outputLength: 64)
        guard Array(checksum.prefix(2)) == Array(bytes.suffix(2)) else { return nil }
        return Array(body[prefixLength...])
    }
}
