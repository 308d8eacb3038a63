/// A byte string used as a dictionary key, hashed as one buffer rather than byte by byte (the
/// standard `[UInt8]` hash feeds the hasher one element at a time, which dominated lookups).
public struct ByteKey: Hashable, Sendable, Comparable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public static func < (lhs: ByteKey, rhs: ByteKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
