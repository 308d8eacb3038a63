import Testing

@testable import FatCrypto

struct Blake2bTests {
    @Test func blake2b512OfABCMatchesRFC7693AppendixA() {
        #expect(
            Blake2b.hash(Array("abc".utf8), outputLength: 64).hexString == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
    }

    @Test func blake2b256OfEmptyAndABCMatchKnownDigests() {
        #expect(Blake2b.hash256([]).hexString == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        #expect(
            Blake2b.hash256(Array("abc".utf8)).hexString
                == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        #expect(Blake2b.hash(Array("abc".utf8)) == Blake2b.hash256(Array("abc".utf8)))
    }

    @Test func blake2b128OfABCMatchesKnownDigest() {
        #expect(Blake2b.hash128(Array("abc".utf8)).hexString == "cf4ab791c62b8d2b2109c90275287816")
    }

    /// From the reference blake2b-kat.txt: key 00..3f, input 00..(n-1), 64-byte output.
    @Test(arguments: [
        (0, "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568"),
        (1, "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd"),
        (2, "da2cfbe2d8409a0f38026113884f84b50156371ae304c4430173d08a99d9fb1b983164a3770706d537f49e0c916d9f32b95cc37a95b99d857436f0232c88a965"),
        (127, "76d2d819c92bce55fa8e092ab1bf9b9eab237a25267986cacf2b8ee14d214d730dc9a5aa2d7b596e86a1fd8fa0804c77402d2fcd45083688b218b1cdfa0dcbcb"),
        (128, "72065ee4dd91c2d8509fa1fc28a37c7fc9fa7d5b3f8ad3d0d7a25626b57b1b44788d4caf806290425f9890a3a2a35a905ab4b37acfd0da6e4517b2525c9651e4"),
        (129, "64475dfe7600d7171bea0b394e27c9b00d8e74dd1e416a79473682ad3dfdbb706631558055cfc8a40e07bd015a4540dcdea15883cbbf31412df1de1cd4152b91"),
        (255, "142709d62e28fcccd0af97fad0f8465b971e82201dc51070faa0372aa43e92484be1c1e73ba10906d5d1853db6a4106e0a7bf9800d373d6dee2d46d62ef2a461"),
    ])
    func keyedDigestsMatchReferenceKAT(length: Int, expected: String) {
        #expect(Blake2b.hash(countingBytes(length), outputLength: 64, key: countingBytes(64)).hexString == expected)
    }

    @Test func oneMebibyteHashedAtOnceMatchesKnownDigestAndOddChunkStreaming() {
        let data = (0 ..< (1 << 20)).map { UInt8(($0 * 31 + 7) % 251) }
        let expected = "8a9daa22c784a06db246dbe7abe94b1958d2d94d5d6acc4ddae7bdffde8306fc"
        #expect(Blake2b.hash256(data).hexString == expected)

        var hasher = Blake2b.Hasher(outputLength: 32)
        var offset = 0
        let chunkSizes = [1, 127, 128, 129, 7, 1000, 3, 256, 4093]
        var step = 0
        while offset < data.count {
            let end = min(offset + chunkSizes[step % chunkSizes.count], data.count)
            hasher.update(Array(data[offset ..< end]))
            offset = end
            step += 1
        }
        #expect(hasher.finalize().hexString == expected)
    }

    @Test func keyedStreamingOverBlockBoundariesMatchesOneShot() {
        let data = (0 ..< (1 << 20)).map { UInt8(($0 * 31 + 7) % 251) }
        let key = Array("fat".utf8)
        let expected =
            "6e82fe694786143212f43c9c39494fbdc950dc8eeecd848f877be6950b8172de"
            + "984d274a8a86b4b393f04ce4777bb5bb805bcba47837e84f8385ae47f6de6715"
        #expect(Blake2b.hash(data, outputLength: 64, key: key).hexString == expected)
        var hasher = Blake2b.Hasher(outputLength: 64, key: key)
        for start in stride(from: 0, to: data.count, by: 128) {
            hasher.update(Array(data[start ..< min(start + 128, data.count)]))
        }
        #expect(hasher.finalize().hexString == expected)
    }

    @Test func everySplitOfAShortMessageGivesTheSameDigest() {
        let message = countingBytes(300)
        let whole = Blake2b.hash256(message)
        for split in [0, 1, 127, 128, 129, 255, 256, 257, 299, 300] {
            var hasher = Blake2b.Hasher()
            hasher.update(Array(message[..<split]))
            hasher.update([])
            hasher.update(Array(message[split...]))
            #expect(hasher.finalize() == whole, "split at \(split)")
        }
    }

    @Test func finalizeLeavesTheHasherUsableForALongerMessage() {
        var hasher = Blake2b.Hasher()
        hasher.update(Array("ab".utf8))
        #expect(hasher.finalize() == Blake2b.hash256(Array("ab".utf8)))
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == Blake2b.hash256(Array("abc".utf8)))
    }
}
