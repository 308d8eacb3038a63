/// Keccak-256 as Ethereum and Solidity use it: the original Keccak submission with padding
/// byte 0x01, which differs from standardised SHA3-256 (padding 0x06) in every output.
///
/// Pure Swift, no heap use beyond the result. **Safe to call from any thread.**
public enum Keccak256 {
    /// The digest length in bytes.
    public static let byteCount = 32
    /// Bytes absorbed per permutation: 1600 bits of state less twice the 256-bit capacity.
    static let rate = 136

    /// The 32-byte Keccak-256 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { KeccakSponge.hash($0, rate: rate, padding: 0x01, outputLength: byteCount) }
    }
}
