import Testing

@testable import FatCrypto

/// The state digest: a multiset hash kept up to date one element at a time.
struct LatticeHashTests {
    static let elements = (0 ..< 50).map { Array("element \($0)".utf8) }

    @Test func theEmptyDigestIsZeroAndRoundTrips() {
        let empty = LatticeHash()
        #expect(empty.bytes == [UInt8](repeating: 0, count: LatticeHash.byteCount))
        #expect(LatticeHash(bytes: empty.bytes) == empty)
        #expect(LatticeHash(bytes: [1, 2, 3]) == nil)
    }

    @Test func theDigestOfASetDoesNotDependOnTheOrderItWasBuiltIn() {
        var forward = LatticeHash()
        for element in Self.elements { forward.insert(element) }
        var backward = LatticeHash()
        for element in Self.elements.reversed() { backward.insert(element) }
        #expect(forward == backward)
        #expect(LatticeHash(bytes: forward.bytes) == forward)
    }

    @Test func removingAnElementUndoesInsertingIt() {
        var digest = LatticeHash()
        for element in Self.elements { digest.insert(element) }
        let all = digest
        digest.insert(Array("extra".utf8))
        #expect(digest != all)
        digest.remove(Array("extra".utf8))
        #expect(digest == all)
        for element in Self.elements { digest.remove(element) }
        #expect(digest == LatticeHash())
    }

    @Test func differentSetsAndMultiplicitiesDiffer() {
        var one = LatticeHash()
        one.insert(Array("a".utf8))
        var other = LatticeHash()
        other.insert(Array("b".utf8))
        var twice = one
        twice.insert(Array("a".utf8))
        #expect(one != other)
        #expect(twice != one)
        // Digests add: the digest of a union is the sum of the parts'.
        var union = one
        union.add(other)
        var built = LatticeHash()
        built.insert(Array("b".utf8))
        built.insert(Array("a".utf8))
        #expect(union == built)
        union.subtract(other)
        #expect(union == one)
    }

    /// The expansion is pinned: a change would change every stored state root. The expected bytes
    /// are ChaCha20's keystream under BLAKE2b-256("fat/lattice-element/v1" ‖ "abc") with a zero
    /// nonce, computed apart from this code (Python's `cryptography` and `hashlib`).
    @Test func theExpansionOfAnElementIsFixed() {
        var digest = LatticeHash()
        digest.insert(Array("abc".utf8))
        #expect(Array(digest.bytes.prefix(8)).hexString == Self.pinnedPrefix)
    }

    static let pinnedPrefix = "f43f233cd0e0e709"
}
