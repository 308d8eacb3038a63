import FatCrypto
import Testing

struct HKDFTests {
    @Test func rfc5869TestCase1() {
        let okm = HKDF.sha256(
            inputKey: [UInt8](repeating: 0x0b, count: 22), salt: hex("000102030405060708090a0b0c"),
            info: hex("f0f1f2f3f4f5f6f7f8f9"), outputLength: 42)
        #expect(okm.hexString == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func rfc5869TestCase3EmptySaltAndInfo() {
        let okm = HKDF.sha256(inputKey: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], outputLength: 42)
        #expect(okm.hexString == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func shorterOutputIsAPrefixOfLongerOutput() {
        let long = HKDF.sha256(inputKey: [1, 2, 3], salt: [4], info: [5], outputLength: 100)
        let short = HKDF.sha256(inputKey: [1, 2, 3], salt: [4], info: [5], outputLength: 33)
        #expect(long.count == 100)
        #expect(Array(long.prefix(33)) == short)
        #expect(HKDF.sha256(inputKey: [1], salt: [], info: [], outputLength: 0).isEmpty)
    }
}
