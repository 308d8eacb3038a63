import FatCrypto
import Testing

@Suite("secp256k1")
struct Secp256k1Tests {
    /// The secret key 1: its public key is the generator point, its Ethereum address well known.
    let one = [UInt8](repeating: 0, count: 31) + [1]

    @Test func theGeneratorsAddressIsTheKnownOne() throws {
        let key = try #require(Secp256k1.publicKey(secretKey: one))
        #expect(key.hexString == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
        #expect(Secp256k1.ethereumAddress(compressedPublicKey: key)?.hexString == "7e5f4552091a69125d5dfcb7b8c2659029395bdf")
    }

    @Test func aSignatureRecoversItsSignersKeyAndNotAnother() throws {
        let secret = Keccak256.hash(Array("a test key".utf8))
        let hash = Keccak256.hash(Array("a message".utf8))
        let signature = try #require(Secp256k1.sign(messageHash: hash, secretKey: secret))
        #expect(Secp256k1.recover(signature: signature, messageHash: hash) == Secp256k1.publicKey(secretKey: secret))
        var ethereumStyle = signature
        ethereumStyle[64] += 27
        #expect(Secp256k1.recover(signature: ethereumStyle, messageHash: hash) == Secp256k1.publicKey(secretKey: secret))
        #expect(Secp256k1.recover(signature: signature, messageHash: Keccak256.hash([1])) != Secp256k1.publicKey(secretKey: secret))
        #expect(Secp256k1.recover(signature: Array(signature.prefix(64)), messageHash: hash) == nil)
        #expect(Secp256k1.recover(signature: signature.dropLast() + [9], messageHash: hash) == nil)
    }
}
