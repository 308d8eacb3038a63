/// Compares two byte strings in time that depends only on their lengths, not on where they differ.
///
/// Use it for MACs, tags and other secrets an attacker may probe byte by byte. Lengths are not
/// treated as secret: arrays of different lengths compare unequal at once.
@inline(never)
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices {
        difference |= a[index] ^ b[index]
    }
    return difference == 0
}
