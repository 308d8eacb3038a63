/// Ethereum's recursive length prefix, enough to take a signed transaction apart in a test and
/// rebuild the payload its signature covers.
indirect enum RLP: Equatable, CustomStringConvertible {
    case bytes([UInt8])
    case list([RLP])

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// A scalar as RLP holds it: big-endian, with no leading zero bytes (zero is empty).
    static func scalar(_ value: UInt128) -> RLP {
        var bytes: [UInt8] = []
        var rest = value
        while rest > 0 {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        }
        return .bytes(bytes)
    }

    static func decode(_ data: [UInt8]) throws -> RLP {
        var index = 0
        let item = try item(data, &index)
        guard index == data.count else { throw Malformed(description: "\(data.count - index) bytes after the item") }
        return item
    }

    var encoded: [UInt8] {
        switch self {
        case let .bytes(bytes):
            if bytes.count == 1, bytes[0] < 0x80 { return bytes }
            return Self.header(0x80, bytes.count) + bytes
        case let .list(items):
            let payload = items.flatMap(\.encoded)
            return Self.header(0xC0, payload.count) + payload
        }
    }

    var description: String {
        switch self {
        case let .bytes(bytes): "0x" + bytes.map { String(format: "%02x", $0) }.joined()
        case let .list(items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    private static func header(_ offset: UInt8, _ count: Int) -> [UInt8] {
        if count < 56 { return [offset + UInt8(count)] }
        var length: [UInt8] = []
        var rest = count
        while rest > 0 {
            length.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        }
        return [offset + 55 + UInt8(length.count)] + length
    }

    private static func item(_ data: [UInt8], _ index: inout Int) throws -> RLP {
        guard index < data.count else { throw Malformed(description: "truncated at \(index)") }
        let prefix = data[index]
        index += 1
        switch prefix {
        case 0x00 ... 0x7F:
            return .bytes([prefix])
        case 0x80 ... 0xB7:
            return .bytes(try take(Int(prefix - 0x80), data, &index))
        case 0xB8 ... 0xBF:
            let count = try length(Int(prefix - 0xB7), data, &index)
            return .bytes(try take(count, data, &index))
        default:
            let count = prefix <= 0xF7 ? Int(prefix - 0xC0) : try length(Int(prefix - 0xF7), data, &index)
            let payload = try take(count, data, &index)
            var items: [RLP] = []
            var inner = 0
            while inner < payload.count { items.append(try item(payload, &inner)) }
            return .list(items)
        }
    }

    private static func length(_ width: Int, _ data: [UInt8], _ index: inout Int) throws -> Int {
        try take(width, data, &index).reduce(0) { ($0 << 8) | Int($1) }
    }

    private static func take(_ count: Int, _ data: [UInt8], _ index: inout Int) throws -> [UInt8] {
        guard count <= data.count - index else { throw Malformed(description: "an item of \(count) bytes at \(index) runs past the end") }
        defer { index += count }
        return Array(data[index ..< index + count])
    }
}
