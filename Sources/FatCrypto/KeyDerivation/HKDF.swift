/// HKDF (RFC 5869), the extract-then-expand key derivation function, over HMAC-SHA-256.
///
/// Deterministic: the same inputs give the same output on every host, so it is safe inside
/// consensus-sensitive code. **Safe to call from any thread.**
public enum HKDF {
    /// The most output one derivation may produce: 255 blocks of the 32-byte hash.
    public static let maximumSHA256OutputLength = 255 * HMACSHA256.byteCount

    /// Derives `outputLength` bytes from `inputKey`.
    ///
    /// An empty `salt` means the RFC's default, a block of zero bytes, which gives the same result.
    /// `outputLength` must be in `0...maximumSHA256OutputLength`; anything else is a programming
    /// error and stops the process.
    public static func sha256(inputKey: [UInt8], salt: [UInt8], info: [UInt8], outputLength: Int) -> [UInt8] {
        precondition(
            (0 ... maximumSHA256OutputLength).contains(outputLength),
            "HKDF-SHA-256 output length must be 0...\(maximumSHA256OutputLength), got \(outputLength)")
        let pseudorandomKey = HMACSHA256.authenticate(key: salt, data: inputKey)
        var output = [UInt8]()
        output.reserveCapacity(outputLength + HMACSHA256.byteCount)
        var block = [UInt8]()
        var message = [UInt8]()
        message.reserveCapacity(HMACSHA256.byteCount + info.count + 1)
        var counter: UInt8 = 1
        while output.count < outputLength {
            message.removeAll(keepingCapacity: true)
            message += block
            message += info
            message.append(counter)
            block = HMACSHA256.authenticate(key: pseudorandomKey, data: message)
            output += block
            counter &+= 1
        }
        output.removeLast(output.count - outputLength)
        return output
    }
}
