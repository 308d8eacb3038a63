import FatCrypto
import Testing

struct HMACSHA256Tests {
    @Test func rfc4231TestCase1() {
        #expect(
            HMACSHA256.authenticate(key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231TestCase2() {
        #expect(
            HMACSHA256.authenticate(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231TestCase6KeyLongerThanABlockIsHashedFirst() {
        let data = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(
            HMACSHA256.authenticate(key: [UInt8](repeating: 0xaa, count: 131), data: data).hexString
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func emptyKeyAndEmptyMessageAreAccepted() {
        #expect(
            HMACSHA256.authenticate(key: [], data: []).hexString
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func concurrentCallersGetConsistentTags() async {
        let key = Array("mac key".utf8)
        let expected = HMACSHA256.authenticate(key: key, data: [1, 2, 3])
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0 ..< 8 {
                group.addTask { (0 ..< 500).allSatisfy { _ in HMACSHA256.authenticate(key: key, data: [1, 2, 3]) == expected } }
            }
            for await consistent in group { #expect(consistent) }
        }
    }
}
