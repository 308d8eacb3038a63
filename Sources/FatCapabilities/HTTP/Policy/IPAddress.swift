#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An address a socket is about to connect to, and whether it lies outside the public internet.
enum IPAddress: Equatable {
    case v4(UInt32)
    case v6([UInt8])

    /// Reads an IPv4 or IPv6 socket address; `nil` for other families.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let raw = UnsafeRawPointer(address).load(as: sockaddr_in.self).sin_addr.s_addr
            self = .v4(UInt32(bigEndian: raw))
        case AF_INET6:
            let raw = UnsafeRawPointer(address).load(as: sockaddr_in6.self).sin6_addr
            self = .v6(withUnsafeBytes(of: raw) { Array($0) })
        default:
            return nil
        }
    }

    /// The range that makes the address non-public, or `nil` for a public address.
    ///
    /// Covers unspecified, loopback, RFC 1918 private, shared (CGNAT), link-local, multicast and
    /// broadcast addresses for IPv4; unspecified, loopback, unique-local, link-local and multicast
    /// for IPv6; and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64 well-known
    /// prefix, 6to4) by the embedded address.
    var restrictedRange: String? {
        switch self {
        case let .v4(value):
            return Self.restrictedRange(v4: value)
        case let .v6(bytes):
            if let embedded = Self.embeddedV4(bytes) {
                return Self.restrictedRange(v4: embedded)
            }
            if bytes.allSatisfy({ $0 == 0 }) { return "::/128 unspecified" }
            if bytes.dropLast().allSatisfy({ $0 == 0 }), bytes[15] == 1 { return "::1/128 loopback" }
            if bytes[0] & 0xFE == 0xFC { return "fc00::/7 unique local" }
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return "fe80::/10 link-local" }
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0xC0 { return "fec0::/10 site-local" }
            if bytes[0] == 0xFF { return "ff00::/8 multicast" }
            return nil
        }
    }

    private static func restrictedRange(v4 value: UInt32) -> String? {
        func within(_ network: UInt32, _ prefix: UInt32) -> Bool {
            value >> (32 - prefix) == network >> (32 - prefix)
        }
        if within(0x0000_0000, 8) { return "0.0.0.0/8 unspecified" }
        if within(0x7F00_0000, 8) { return "127.0.0.0/8 loopback" }
        if within(0x0A00_0000, 8) { return "10.0.0.0/8 private" }
        if within(0xAC10_0000, 12) { return "172.16.0.0/12 private" }
        if within(0xC0A8_0000, 16) { return "192.168.0.0/16 private" }
        if within(0x6440_0000, 10) { return "100.64.0.0/10 shared" }
        if within(0xA9FE_0000, 16) { return "169.254.0.0/16 link-local" }
        if within(0xE000_0000, 4) { return "224.0.0.0/4 multicast" }
        if within(0xF000_0000, 4) { return "240.0.0.0/4 reserved" }
        return nil
    }

    /// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
    /// NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::) IPv6 address.
    private static func embeddedV4(_ bytes: [UInt8]) -> UInt32? {
        func word(_ offset: Int) -> UInt32 {
            (offset ..< offset + 4).reduce(0) { $0 << 8 | UInt32(bytes[$1]) }
        }
        let leadingZeros = bytes[0 ..< 10].allSatisfy { $0 == 0 }
        if leadingZeros, bytes[10] == 0xFF, bytes[11] == 0xFF { return word(12) }
        if leadingZeros, bytes[10] == 0, bytes[11] == 0, word(12) > 1 { return word(12) }
        if bytes[0 ..< 12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return word(12) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return word(2) }
        return nil
    }

    /// The address in its usual text form ("127.0.0.1", "::1").
    var text: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case let .v4(value):
            var address = in_addr(s_addr: value.bigEndian)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case let .v6(bytes):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
