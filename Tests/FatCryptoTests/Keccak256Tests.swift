import CLibCrypto
import Testing

@testable import FatCrypto

struct Keccak256Tests {
    @Test func emptyAndABCMatchEthereumKeccak() {
        #expect(Keccak256.hash([]).hexString == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(
            Keccak256.hash(Array("abc".utf8)).hexString
                == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
    }

    @Test func quickBrownFoxMatchesKnownDigest() {
        #expect(
            Keccak256.hash(Array("The quick brown fox jumps over the lazy dog".utf8)).hexString
                == "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")
    }

    /// Inputs around and beyond the 136-byte rate, checked against an independent reference model.
    @Test(arguments: [
        (135, "cbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62"),
        (136, "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"),
        (137, "ac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db"),
        (272, "fdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e"),
        (1000, "aca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82"),
    ])
    func inputsAcrossTheRateBoundaryMatchReference(length: Int, expected: String) {
        #expect(Keccak256.hash(countingBytes(length)).hexString == expected)
    }

    /// The same sponge with SHA-3's padding must agree with OpenSSL's SHA3-256, which pins the
    /// permutation and absorption independently of any hand-copied vector.
    @Test func spongeWithSHA3PaddingAgreesWithOpenSSLSHA3() throws {
        let sha3 = try #require(EVP_MD_fetch(nil, "SHA3-256", nil))
        defer { EVP_MD_free(sha3) }
        for length in [0, 1, 135, 136, 137, 271, 272, 273, 5000] {
            let message = countingBytes(length)
            let ours = message.withUnsafeBytes {
                KeccakSponge.hash($0, rate: Keccak256.rate, padding: 0x06, outputLength: 32)
            }
            var theirs = [UInt8](repeating: 0, count: 32)
            var size: UInt32 = 0
            message.withNonNullBytes { _ = EVP_Digest($0, $1, &theirs, &size, sha3, nil) }
            #expect(ours == theirs, "length \(length)")
        }
    }
}
