import FatCrypto
import Testing

struct AES256GCMTests {
    /// "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, test case 16 (AES-256, 96-bit IV).
    @Test func gcmSpecTestCase16SealsAndOpens() throws {
        let cipher = try AES256GCM(key: hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        let plaintext = hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let nonce = hex("cafebabefacedbaddecaf888")
        let sealed = cipher.seal(plaintext, nonce: nonce, authenticating: aad)
        #expect(
            sealed.hexString == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try cipher.open(sealed, nonce: nonce, authenticating: aad) == plaintext)
    }

    /// GCM spec test cases 13 and 14: zero key, zero IV, empty and one-block zero plaintext.
    @Test func gcmSpecTestCases13And14() throws {
        let cipher = try AES256GCM(key: [UInt8](repeating: 0, count: 32))
        let nonce = [UInt8](repeating: 0, count: 12)
        #expect(cipher.seal([], nonce: nonce, authenticating: []).hexString == "530f8afbc74536b9a963b4f1c4cb738b")
        #expect(
            cipher.seal([UInt8](repeating: 0, count: 16), nonce: nonce, authenticating: []).hexString
                == "cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919")
        #expect(try cipher.open(hex("530f8afbc74536b9a963b4f1c4cb738b"), nonce: nonce, authenticating: []) == [])
    }

    private let key = [UInt8](repeating: 7, count: 32)
    private let nonce = [UInt8](repeating: 9, count: 12)
    private let aad = Array("contract/key".utf8)

    @Test func flippedCiphertextBitFailsAuthentication() throws {
        let cipher = try AES256GCM(key: key)
        var sealed = cipher.seal(Array("balance=100".utf8), nonce: nonce, authenticating: aad)
        sealed[3] ^= 0x01
        #expect(throws: CryptoError.authenticationFailed) { try cipher.open(sealed, nonce: nonce, authenticating: aad) }
    }

    @Test func flippedTagBitFailsAuthentication() throws {
        let cipher = try AES256GCM(key: key)
        var sealed = cipher.seal(Array("balance=100".utf8), nonce: nonce, authenticating: aad)
        sealed[sealed.count - 1] ^= 0x80
        #expect(throws: CryptoError.authenticationFailed) { try cipher.open(sealed, nonce: nonce, authenticating: aad) }
    }

    @Test func wrongAssociatedDataFailsAuthentication() throws {
        let cipher = try AES256GCM(key: key)
        let sealed = cipher.seal(Array("balance=100".utf8), nonce: nonce, authenticating: aad)
        #expect(throws: CryptoError.authenticationFailed) {
            try cipher.open(sealed, nonce: nonce, authenticating: Array("contract/other".utf8))
        }
        #expect(throws: CryptoError.authenticationFailed) { try cipher.open(sealed, nonce: nonce, authenticating: []) }
    }

    @Test func wrongKeyOrNonceFailsAuthentication() throws {
        let sealed = try AES256GCM(key: key).seal(Array("balance=100".utf8), nonce: nonce, authenticating: aad)
        var otherKey = key
        otherKey[0] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AES256GCM(key: otherKey).open(sealed, nonce: nonce, authenticating: aad)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AES256GCM(key: key).open(sealed, nonce: [UInt8](repeating: 8, count: 12), authenticating: aad)
        }
    }

    @Test func aFailedOpenLeavesTheCipherUsable() throws {
        let cipher = try AES256GCM(key: key)
        let sealed = cipher.seal(Array("balance=100".utf8), nonce: nonce, authenticating: aad)
        for _ in 0 ..< 20 {
            #expect(throws: CryptoError.authenticationFailed) { try cipher.open(sealed, nonce: nonce, authenticating: []) }
            #expect(try cipher.open(sealed, nonce: nonce, authenticating: aad) == Array("balance=100".utf8))
        }
        let copy = cipher
        #expect(try copy.open(sealed, nonce: nonce, authenticating: aad) == Array("balance=100".utf8))
    }

    @Test func malformedInputsThrowNamedErrors() throws {
        #expect(throws: CryptoError.invalidKeyLength(algorithm: "AES-256-GCM", expected: 32, actual: 16)) {
            try AES256GCM(key: [UInt8](repeating: 0, count: 16))
        }
        let cipher = try AES256GCM(key: key)
        #expect(throws: CryptoError.truncatedCiphertext(minimumLength: 16, actual: 15)) {
            try cipher.open([UInt8](repeating: 0, count: 15), nonce: nonce, authenticating: [])
        }
        #expect(throws: CryptoError.invalidNonceLength(algorithm: "AES-256-GCM", expected: 12, actual: 16)) {
            try cipher.open([UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 16), authenticating: [])
        }
    }

    @Test func roundTripsEveryLengthAroundTheBlockSize() throws {
        let cipher = try AES256GCM(key: SecureRandom.bytes(32))
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 1000] {
            let plaintext = countingBytes(length)
            let sealed = cipher.seal(plaintext, nonce: nonce, authenticating: aad)
            #expect(sealed.count == length + AES256GCM.tagByteCount)
            #expect(try cipher.open(sealed, nonce: nonce, authenticating: aad) == plaintext)
        }
    }

    @Test func concurrentSealAndOpenOnOneValue() async throws {
        let cipher = try AES256GCM(key: key)
        await withTaskGroup(of: Bool.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    (0 ..< 300).allSatisfy { index in
                        let plaintext = [UInt8(task), UInt8(index & 0xff)]
                        let sealed = cipher.seal(plaintext, nonce: nonce, authenticating: aad)
                        return (try? cipher.open(sealed, nonce: nonce, authenticating: aad)) == plaintext
                    }
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
