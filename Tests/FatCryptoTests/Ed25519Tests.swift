import FatCrypto
import Testing

struct Ed25519Tests {
    /// RFC 8032 §7.1, tests 1–3: seed → public key → signature.
    @Test(arguments: [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        (
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ])
    func rfc8032Vectors(seed: String, publicKey: String, message: String, signature: String) throws {
        let key = try Ed25519SigningKey(seed: hex(seed))
        #expect(key.seed == hex(seed))
        #expect(key.publicKey.hexString == publicKey)
        #expect(key.sign(hex(message)).hexString == signature)
        #expect(Ed25519.verify(signature: hex(signature), message: hex(message), publicKey: hex(publicKey)))
    }

    @Test func verifyRejectsModifiedMessageSignatureOrKey() {
        let key = Ed25519SigningKey.generate()
        let message = Array("transfer 10".utf8)
        let signature = key.sign(message)
        #expect(Ed25519.verify(signature: signature, message: message, publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: signature, message: Array("transfer 11".utf8), publicKey: key.publicKey))
        var bent = signature
        bent[10] ^= 0x04
        #expect(!Ed25519.verify(signature: bent, message: message, publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: signature, message: message, publicKey: Ed25519SigningKey.generate().publicKey))
    }

    @Test func verifyAnswersFalseForMalformedLengthsAndPoints() {
        let key = Ed25519SigningKey.generate()
        let signature = key.sign([1])
        #expect(!Ed25519.verify(signature: Array(signature.dropLast()), message: [1], publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: signature + [0], message: [1], publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: [], message: [1], publicKey: key.publicKey))
        #expect(!Ed25519.verify(signature: signature, message: [1], publicKey: Array(key.publicKey.prefix(31))))
        #expect(!Ed25519.verify(signature: signature, message: [1], publicKey: []))
        #expect(!Ed25519.verify(signature: signature, message: [1], publicKey: [UInt8](repeating: 0xff, count: 32)))
        #expect(!Ed25519.verify(signature: [UInt8](repeating: 0xff, count: 64), message: [1], publicKey: key.publicKey))
    }

    @Test func seedOfWrongLengthThrowsNamedError() {
        #expect(throws: CryptoError.invalidKeyLength(algorithm: "Ed25519", expected: 32, actual: 31)) {
            try Ed25519SigningKey(seed: [UInt8](repeating: 1, count: 31))
        }
    }

    @Test func descriptionDoesNotRevealTheSeed() throws {
        let key = try Ed25519SigningKey(seed: [UInt8](repeating: 0xab, count: 32))
        #expect(!key.description.contains(key.seed.hexString))
        #expect(key.description.contains(key.publicKey.hexString))
    }

    @Test func generatedKeysDiffer() {
        #expect(Ed25519SigningKey.generate().seed != Ed25519SigningKey.generate().seed)
    }
}
