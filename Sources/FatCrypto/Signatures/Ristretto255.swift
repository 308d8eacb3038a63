import CSodium

/// The ristretto255 group and its scalar field (RFC 9496) through libsodium: the arithmetic
/// sr25519 is made of. Scalars and points are 32-byte canonical encodings.
///
/// **Thread-safe**: libsodium is initialised once per process on first use, and these functions
/// keep no state.
enum Ristretto255 {
    /// The group order ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
    private static let order: [UInt8] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ]

    private static let initialised: Bool = sodium_init() >= 0

    private static func ensureInitialised() {
        precondition(initialised, "libsodium could not be initialised")
    }

    /// Whether `bytes` (32 of them) encode a scalar below ℓ, as `Scalar::from_canonical_bytes`
    /// accepts. Runs in time independent of the value, since it may be a secret key.
    static func isCanonicalScalar(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        var borrow = 0
        for index in 0 ..< 32 {
            let difference = Int(bytes[index]) - Int(order[index]) - borrow
            borrow = Int(UInt(bitPattern: difference) >> (UInt.bitWidth - 1))
        }
        return borrow == 1
    }

    /// 64 little-endian bytes reduced modulo ℓ (`Scalar::from_bytes_mod_order_wide`).
    static func reduce(wide bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count == 64)
        ensureInitialised()
        var scalar = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_reduce(&scalar, bytes)
        return scalar
    }

    /// `a · b + c` modulo ℓ.
    static func multiplyAdd(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8]) -> [UInt8] {
        ensureInitialised()
        var product = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_mul(&product, a, b)
        var sum = [UInt8](repeating: 0, count: 32)
        crypto_core_ristretto255_scalar_add(&sum, product, c)
        return sum
    }

    /// `scalar · B` for the ristretto255 base point; the identity encodes as 32 zero bytes.
    static func multiplyBase(_ scalar: [UInt8]) -> [UInt8] {
        ensureInitialised()
        var point = [UInt8](repeating: 0, count: 32)
        // libsodium fails only when the product is the identity, whose encoding it has written.
        _ = crypto_scalarmult_ristretto255_base(&point, scalar)
        return point
    }

    /// `scalar · point`, or nil when `point` is not a canonical ristretto255 encoding.
    static func multiply(_ scalar: [UInt8], _ point: [UInt8]) -> [UInt8]? {
        guard point.count == 32 else { return nil }
        ensureInitialised()
        var product = [UInt8](repeating: 0, count: 32)
        if crypto_scalarmult_ristretto255(&product, scalar, point) != 0 {
            // Either the point did not decode or the product is the identity (all zeros).
            guard crypto_core_ristretto255_is_valid_point(point) == 1 else { return nil }
            return [UInt8](repeating: 0, count: 32)
        }
        return product
    }

    /// `p − q`, or nil when either is not a canonical ristretto255 encoding.
    static func subtract(_ p: [UInt8], _ q: [UInt8]) -> [UInt8]? {
        guard p.count == 32, q.count == 32 else { return nil }
        ensureInitialised()
        var difference = [UInt8](repeating: 0, count: 32)
        guard crypto_core_ristretto255_sub(&difference, p, q) == 0 else { return nil }
        return difference
    }
}
