/// Reads SCALE encodings from a byte array. Every read checks bounds and throws a `ScaleError`
/// naming what it was reading; compact integers must be in their canonical (shortest) form.
public struct ScaleDecoder: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readBytes(count: Int, what: String = "bytes") throws -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw ScaleError("expected \(count) bytes of \(what), found \(remaining)", offset: offset)
        }
        defer { offset += count }
        return Array(bytes[offset ..< offset + count])
    }

    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw ScaleError("expected a \(what) (\(size) bytes), found \(remaining) bytes", offset: offset) }
        var value: T = 0
        for index in 0 ..< size { value |= T(truncatingIfNeeded: bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    public mutating func readU8() throws -> UInt8 { try readInteger(UInt8.self, "u8") }
    public mutating func readU16() throws -> UInt16 { try readInteger(UInt16.self, "u16") }
    public mutating func readU32() throws -> UInt32 { try readInteger(UInt32.self, "u32") }
    public mutating func readU64() throws -> UInt64 { try readInteger(UInt64.self, "u64") }
    public mutating func readU128() throws -> UInt128 { try readInteger(UInt128.self, "u128") }
    public mutating func readI8() throws -> Int8 { try readInteger(Int8.self, "i8") }
    public mutating func readI16() throws -> Int16 { try readInteger(Int16.self, "i16") }
    public mutating func readI32() throws -> Int32 { try readInteger(Int32.self, "i32") }
    public mutating func readI64() throws -> Int64 { try readInteger(Int64.self, "i64") }
    public mutating func readI128() throws -> Int128 { try readInteger(Int128.self, "i128") }

    public mutating func readBool() throws -> Bool {
        let start = offset
        switch try readU8() {
        case 0: return false
        case 1: return true
        case let other: throw ScaleError("a bool must be 0 or 1, found \(other)", offset: start)
        }
    }

    public mutating func readCompact() throws -> UInt128 {
        let start = offset
        let first = try readU8()
        switch first & 0b11 {
        case 0b00:
            return UInt128(first >> 2)
        case 0b01:
            let value = UInt128((UInt16(first) | UInt16(try readU8()) << 8) >> 2)
            guard value >= 1 << 6 else { throw ScaleError("non-canonical compact integer \(value)", offset: start) }
            return value
        case 0b10:
            let rest = try readBytes(count: 3, what: "compact integer")
            let raw = UInt32(first) | UInt32(rest[0]) << 8 | UInt32(rest[1]) << 16 | UInt32(rest[2]) << 24
            let value = UInt128(raw >> 2)
            guard value >= 1 << 14 else { throw ScaleError("non-canonical compact integer \(value)", offset: start) }
            return value
        default:
            let count = Int(first >> 2) + 4
            guard count <= 16 else { throw ScaleError("compact integer of \(count) bytes is over 128 bits", offset: start) }
            let raw = try readBytes(count: count, what: "compact integer")
            guard raw.last != 0 else { throw ScaleError("non-canonical compact integer (trailing zero byte)", offset: start) }
            let value = raw.reversed().reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            guard value >= 1 << 30 else { throw ScaleError("non-canonical compact integer \(value)", offset: start) }
            return value
        }
    }

    /// A compact length, checked against the bytes that remain.
    public mutating func readLength(what: String = "sequence") throws -> Int {
        let start = offset
        let length = try readCompact()
        guard length <= UInt128(remaining) else {
            throw ScaleError("\(what) claims \(length) elements but only \(remaining) bytes remain", offset: start)
        }
        return Int(length)
    }

    public mutating func readByteVector() throws -> [UInt8] {
        try readBytes(count: try readLength(what: "byte vector"), what: "byte vector")
    }

    public mutating func readString() throws -> String {
        let start = offset
        let raw = try readBytes(count: try readLength(what: "string"), what: "string")
        guard let text = String(validating: raw, as: UTF8.self) else { throw ScaleError("string is not valid UTF-8", offset: start) }
        return text
    }
}
