import FatCrypto
import Testing

@Suite("sr25519")
struct Sr25519Tests {
    /// The dev account //Alice, whose signatures the vectors below were made with.
    let alice = hex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")

    // MARK: Keys from seeds

    /// paritytech/substrate, primitives/core/src/sr25519.rs: `sr_test_vector_should_work` and
    /// `seeded_pair_should_work` (Pair::from_seed, ed25519 expansion).
    @Test func seedsExpandToSubstratesPublicKeys() throws {
        let fromRFC8032Seed = try Sr25519.secretKey(fromSeed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(try Sr25519.publicKey(secretKey: fromRFC8032Seed).hexString == "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f")
        let fromDigits = try Sr25519.secretKey(fromSeed: Array("12345678901234567890123456789012".utf8))
        #expect(try Sr25519.publicKey(secretKey: fromDigits).hexString == "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63")
    }

    /// polkadot-js/wasm, packages/wasm-crypto/test/all/sr25519.js: `sr25519PairFromSeed` and
    /// `sr25519DevFromSeed`. Those pairs are `to_half_ed25519_bytes`: the secret scalar times the
    /// cofactor, then the nonce, then the public key.
    @Test func seedsExpandToPolkadotJsPairs() throws {
        let vectors = [
            (
                Array("12345678901234567890123456789012".utf8),
                "f0106660c3dda23f16daa9ac5b811b963077f5bc0af89f85804f0de8e424f050f98d66f39442506ff947fd911f18c7a7a5da639a63e8d3b4e233f74143d951c1741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63"
            ),
            (
                hex("fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e"),
                "28b0ae221c6bb06856b287f60d7ea0d98552ea5a16db16956849aa371db3eb51fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca3446ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"
            ),
        ]
        for (seed, pairHex) in vectors {
            let pair = hex(pairHex)
            let secret = try Sr25519.secretKey(fromSeed: seed)
            #expect(try Sr25519.secretKey(fromEd25519Bytes: Array(pair[0 ..< 64])) == secret)
            #expect(Array(secret[32 ..< 64]) == Array(pair[32 ..< 64]), "the nonce is stored as is")
            #expect(try Sr25519.publicKey(secretKey: secret) == Array(pair[64 ..< 96]))
        }
    }

    @Test func uniformExpansionGivesAnotherWorkingKey() throws {
        let seed = [UInt8](repeating: 7, count: 32)
        let uniform = try Sr25519.secretKey(fromSeed: seed, expansion: .uniform)
        #expect(uniform != (try Sr25519.secretKey(fromSeed: seed)))
        #expect(try Sr25519.secretKey(fromSeed: seed, expansion: .uniform) == uniform)
        let signature = try Sr25519.sign(message: [1, 2, 3], secretKey: uniform, randomness: nil)
        #expect(Sr25519.verify(signature: signature, message: [1, 2, 3], publicKey: try Sr25519.publicKey(secretKey: uniform)))
    }

    // MARK: Signatures made by the reference implementation

    /// paritytech/substrate, frame/contracts/src/tests.rs: `sr25519_verify` (Alice signs
    /// "hello world" in the "substrate" context; "hello worlD" must fail).
    @Test func alicesHelloWorldFromPalletContractsVerifies() {
        let signature = hex(
            "b8314aee4ea566fc165c9cb07c76a874f763005e022d09aa49deb64a3c204b4062ae45375355b462d04be739cd3e04691a88ac117b635affe436733f1ecfcd83")
        #expect(Sr25519.verify(signature: signature, message: Array("hello world".utf8), publicKey: alice))
        #expect(!Sr25519.verify(signature: signature, message: Array("hello worlD".utf8), publicKey: alice))
        #expect(!Sr25519.verify(signature: signature, message: Array("hello world".utf8), publicKey: alice, context: Array("other".utf8)))
    }

    /// polkadot-js/wasm: packages/wasm-crypto/test/all/sr25519.js (`sr25519VerifyExisting`) and
    /// packages/wasm-crypto/src/rs/sr25519.rs (`can_verify_known_message`): two signatures by
    /// Alice over the same message.
    @Test func knownPolkadotJsSignaturesVerify() {
        let message = Array("I hereby verify that I control 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".utf8)
        for signature in [
            "b83881d3bd7302981ee1c504fe5b7b394682927131fc0846fd616bb40fa14d02640fd2aca785b4cb57904765c2e4e75f59a7dd30154c209964369912091f6981",
            "1037eb7e51613d0dcf5930ae518819c87d655056605764840d9280984e1b7063c4566b55bf292fcab07b369d01095879b50517beca4d26e6a65866e25fec0d83",
        ] {
            #expect(Sr25519.verify(signature: hex(signature), message: message, publicKey: alice))
            #expect(!Sr25519.verify(signature: hex(signature), message: message + [0], publicKey: alice))
        }
    }

    /// paritytech/substrate, primitives/core/src/sr25519.rs: `verify_from_old_wasm_works` and
    /// `verify_known_old_message_should_work`. Pre-audit signatures lack the marker bit and are
    /// refused by schnorrkel's `verify` (substrate accepts them only through `verify_deprecated`).
    @Test func preAuditSignaturesWithoutTheMarkerAreRefused() throws {
        let zeroSeedKey = try Sr25519.publicKey(secretKey: try Sr25519.secretKey(fromSeed: [UInt8](repeating: 0, count: 32)))
        let fromOldWasm = hex(
            "28a854d54903e056f89581c691c1f7d2ff39f8f896c9e9c22475e60902cc2b3547199e0e91fa32902028f2ca2355e8cdd16cfe19ba5e8b658c94aa80f3b81a00")
        #expect(!Sr25519.verify(signature: fromOldWasm, message: Array("SUBSTRATE".utf8), publicKey: zeroSeedKey))
        let oldKey = hex("b4bfa1f7a5166695eb75299fd1c4c03ea212871c342f2c5dfea0902b2c246918")
        let oldSignature = hex(
            "5a9755f069939f45d96aaf125cf5ce7ba1db998686f87f2fb3cbdea922078741a73891ba265f70c31436e18a9acd14d189d73c12317ab6c313285cd938453202")
        let oldMessage = Array("Verifying that I am the owner of 5G9hQLdsKQswNPgB499DeA5PkFBbgkLPJWkkS6FAM6xGQ8xD. Hash: 221455a3\n".utf8)
        #expect(!Sr25519.verify(signature: oldSignature, message: oldMessage, publicKey: oldKey))
    }

    // MARK: Signing

    @Test func aSignatureVerifiesOnlyForItsMessageKeyAndContext() throws {
        let secret = try Sr25519.secretKey(fromSeed: SHA256.hash(Array("signer".utf8)))
        let publicKey = try Sr25519.publicKey(secretKey: secret)
        let otherKey = try Sr25519.publicKey(secretKey: try Sr25519.secretKey(fromSeed: SHA256.hash(Array("other".utf8))))
        let message = Array("transfer 10 to bob".utf8)
        let signature = try Sr25519.sign(message: message, secretKey: secret, randomness: SecureRandom.bytes(32))
        #expect(signature.count == Sr25519.signatureByteCount)
        #expect(signature[63] & 0x80 != 0, "schnorrkel's marker bit is set")
        #expect(Sr25519.verify(signature: signature, message: message, publicKey: publicKey))
        #expect(!Sr25519.verify(signature: signature, message: Array("transfer 11 to bob".utf8), publicKey: publicKey))
        #expect(!Sr25519.verify(signature: signature, message: message, publicKey: otherKey))
        #expect(!Sr25519.verify(signature: signature, message: message, publicKey: publicKey, context: Array("substrate-other".utf8)))
        let custom = try Sr25519.sign(message: [], secretKey: secret, context: [], randomness: nil)
        #expect(Sr25519.verify(signature: custom, message: [], publicKey: publicKey, context: []))
        #expect(!Sr25519.verify(signature: custom, message: [], publicKey: publicKey))
    }

    @Test func signingWithoutRandomnessIsDeterministicAndWithItIsNot() throws {
        let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 42, count: 32))
        let message = Array("replayed command".utf8)
        let first = try Sr25519.sign(message: message, secretKey: secret, randomness: nil)
        #expect(try Sr25519.sign(message: message, secretKey: secret, randomness: nil) == first)
        #expect(
            try Sr25519.sign(message: message + [0], secretKey: secret, randomness: nil).prefix(32) != first.prefix(32),
            "the witness depends on the message")
        let randomised = try Sr25519.sign(message: message, secretKey: secret, randomness: SecureRandom.bytes(32))
        #expect(randomised != first)
        #expect(Sr25519.verify(signature: randomised, message: message, publicKey: try Sr25519.publicKey(secretKey: secret)))
    }

    // MARK: Malformed input

    @Test func aSignatureWithoutTheMarkerBitOrWithALargeScalarFails() throws {
        let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 1, count: 32))
        let publicKey = try Sr25519.publicKey(secretKey: secret)
        let signature = try Sr25519.sign(message: [9], secretKey: secret, randomness: nil)
        var unmarked = signature
        unmarked[63] &= 0x7f
        #expect(!Sr25519.verify(signature: unmarked, message: [9], publicKey: publicKey))
        var unreduced = signature
        unreduced.replaceSubrange(32 ..< 64, with: [UInt8](repeating: 0xff, count: 32))
        #expect(!Sr25519.verify(signature: unreduced, message: [9], publicKey: publicKey))
    }

    /// As substrate's `messed_signature_should_not_work`: bytes 0 and 2 of R inverted.
    @Test func anAlteredCommitmentFails() throws {
        let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 4, count: 32))
        var signature = try Sr25519.sign(message: Array("Signed payload".utf8), secretKey: secret, randomness: SecureRandom.bytes(32))
        signature[0] = ~signature[0]
        signature[2] = ~signature[2]
        #expect(!Sr25519.verify(signature: signature, message: Array("Signed payload".utf8), publicKey: try Sr25519.publicKey(secretKey: secret)))
    }

    @Test func malformedPointsAndLengthsAnswerFalse() throws {
        let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 2, count: 32))
        let publicKey = try Sr25519.publicKey(secretKey: secret)
        let signature = try Sr25519.sign(message: [], secretKey: secret, randomness: nil)
        // 0xff…ff is not a canonical field element; 0x01 followed by zeros is a negative s.
        let notPoints = [[UInt8](repeating: 0xff, count: 32), [1] + [UInt8](repeating: 0, count: 31)]
        for bad in notPoints {
            #expect(!Sr25519.verify(signature: signature, message: [], publicKey: bad))
            #expect(!Sr25519.verify(signature: bad + signature[32...], message: [], publicKey: publicKey))
        }
        #expect(!Sr25519.verify(signature: signature, message: [], publicKey: [UInt8](repeating: 0, count: 32)), "the identity key")
        #expect(!Sr25519.verify(signature: Array(signature.dropLast()), message: [], publicKey: publicKey))
        #expect(!Sr25519.verify(signature: signature + [0], message: [], publicKey: publicKey))
        #expect(!Sr25519.verify(signature: signature, message: [], publicKey: Array(publicKey.dropLast())))
        #expect(!Sr25519.verify(signature: [], message: [], publicKey: []))
    }

    @Test func wrongLengthsAndUnreducedKeysThrow() throws {
        let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 3, count: 32))
        #expect(throws: CryptoError.invalidKeyLength(algorithm: "sr25519 mini secret", expected: 32, actual: 31)) {
            try Sr25519.secretKey(fromSeed: [UInt8](repeating: 0, count: 31))
        }
        #expect(throws: CryptoError.invalidKeyLength(algorithm: "sr25519 secret", expected: 64, actual: 32)) {
            try Sr25519.publicKey(secretKey: Array(secret.prefix(32)))
        }
        #expect(throws: CryptoError.invalidNonceLength(algorithm: "sr25519 signing randomness", expected: 32, actual: 16)) {
            try Sr25519.sign(message: [], secretKey: secret, randomness: [UInt8](repeating: 0, count: 16))
        }
        let unreduced = [UInt8](repeating: 0xff, count: 32) + secret[32...]
        #expect(throws: CryptoError.self) { try Sr25519.sign(message: [], secretKey: unreduced, randomness: nil) }
        #expect(throws: CryptoError.self) { try Sr25519.publicKey(secretKey: unreduced) }
    }
}
