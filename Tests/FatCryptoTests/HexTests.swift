import FatCrypto
import Testing

struct HexTests {
    @Test func decodesWithAndWithoutPrefixInEitherCase() {
        #expect([UInt8](hex: "00ff10Ab") == [0x00, 0xff, 0x10, 0xab])
        #expect([UInt8](hex: "0x00ff10Ab") == [0x00, 0xff, 0x10, 0xab])
        #expect([UInt8](hex: "0XDEAD") == [0xde, 0xad])
        #expect([UInt8](hex: "") == [])
        #expect([UInt8](hex: "0x") == [])
    }

    @Test func rejectsOddLengthAndNonHexCharacters() {
        #expect([UInt8](hex: "abc") == nil)
        #expect([UInt8](hex: "0xabc") == nil)
        #expect([UInt8](hex: "zz") == nil)
        #expect([UInt8](hex: "0x0g") == nil)
        #expect([UInt8](hex: "a b ") == nil)
        #expect([UInt8](hex: "ééé") == nil)
    }

    @Test func encodesLowercaseWithoutPrefixAndRoundTrips() {
        #expect([UInt8]([0x00, 0x0f, 0xa0, 0xff]).hexString == "000fa0ff")
        #expect([UInt8]().hexString == "")
        let bytes = countingBytes(256)
        #expect([UInt8](hex: bytes.hexString) == bytes)
    }
}

struct ConstantTimeEqualTests {
    @Test func comparesContentsAndLengths() {
        #expect(constantTimeEqual([], []))
        #expect(constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(!constantTimeEqual([0x80], [0x00]))
    }
}

struct SecureRandomTests {
    @Test func producesRequestedCountAndDistinctDraws() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(33).count == 33)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
