/// Builds SCALE (parity-scale-codec) encodings: little-endian fixed-width integers, compact
/// integers, length-prefixed byte vectors and strings. A value type; not shared across threads.
public struct ScaleEncoder: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func appendBool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Compact (variable-length) encoding of an unsigned integer up to 2^128 - 1.
    public mutating func appendCompact(_ value: UInt128) {
        switch value {
        case 0 ..< (1 << 6):
            bytes.append(UInt8(value) << 2)
        case (1 << 6) ..< (1 << 14):
            append(UInt16(value) << 2 | 0b01)
        case (1 << 14) ..< (1 << 30):
            append(UInt32(value) << 2 | 0b10)
        default:
            var raw: [UInt8] = []
            var rest = value
            while rest > 0 {
                raw.append(UInt8(truncatingIfNeeded: rest))
                rest >>= 8
            }
            bytes.append(UInt8(raw.count - 4) << 2 | 0b11)
            bytes += raw
        }
    }

    /// Raw bytes, with no length prefix.
    public mutating func appendBytes(_ raw: [UInt8]) { bytes += raw }

    /// A `Vec<u8>`: compact length, then the bytes.
    public mutating func appendByteVector(_ raw: [UInt8]) {
        appendCompact(UInt128(raw.count))
        bytes += raw
    }

    /// A `String`: compact length of its UTF-8, then the UTF-8.
    public mutating func appendString(_ text: String) { appendByteVector(Array(text.utf8)) }
}
