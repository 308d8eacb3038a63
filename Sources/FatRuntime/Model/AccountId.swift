import FatCrypto

/// A 32-byte account or contract address (SCALE `AccountId`).
public struct AccountId: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// The all-zero account, which ink! contracts see as the caller of an unsigned query.
    public static let zero = AccountId(unchecked: [UInt8](repeating: 0, count: 32))

    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Parses `0x` followed by 64 hex digits (the prefix is optional).
    public init?(hex: String) {
        guard let bytes = [UInt8](hex: hex), bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    public var hex: String { "0x" + bytes.hexString }

    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
    public var description: String { hex }

    public static func < (lhs: AccountId, rhs: AccountId) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

/// A 32-byte code hash: BLAKE2b-256 of a contract's code bytes.
public typealias CodeHash = [UInt8]
/// A 32-byte metadata hash: BLAKE2b-256 of a contract's metadata document.
public typealias MetadataHash = [UInt8]
