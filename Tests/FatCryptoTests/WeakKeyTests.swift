import CSodium
import Testing

@testable import FatCrypto

/// A public key for which a signature can be made without any secret — the identity, or a point
/// of small order — verifies nothing, so nobody can act as its account.
@Suite("Weak public keys")
struct WeakKeyTests {
    /// A canonical scalar, with its top bits clear.
    let s: [UInt8] = (0 ..< 32).map { UInt8($0 == 31 ? 0x07 : $0 + 1) }

    @Test func theSr25519IdentityKeyVerifiesNoForgery() {
        // With A the identity, s·B − k·A = s·B for every k: R = s·B "signs" any message.
        let identity = [UInt8](repeating: 0, count: 32)
        var forged = Ristretto255.multiplyBase(s) + s
        forged[63] |= 0x80
        for message in [[UInt8](), Array("transfer everything".utf8)] {
            #expect(!Sr25519.verify(signature: forged, message: message, publicKey: identity))
        }
        // The same construction against a real key does not verify either (a sanity check that
        // the forgery is refused for its key, not for its shape).
        let secret = try! Sr25519.secretKey(fromSeed: [UInt8](repeating: 3, count: 32))
        let key = try! Sr25519.publicKey(secretKey: secret)
        #expect(!Sr25519.verify(signature: forged, message: [], publicKey: key))
        let genuine = try! Sr25519.sign(message: [1], secretKey: secret, randomness: nil)
        #expect(Sr25519.verify(signature: genuine, message: [1], publicKey: key))
    }

    @Test func ed25519SmallOrderKeysVerifyNoForgery() {
        // R = [s]B with A of small order: [k]A has small order too, and for the identity
        // [s]B = R + [k]A holds for every message.
        var r = [UInt8](repeating: 0, count: 32)
        _ = crypto_scalarmult_ed25519_base_noclamp(&r, s)
        let forged = r + s
        var identity = [UInt8](repeating: 0, count: 32)
        identity[0] = 1
        let orderFour = [UInt8](repeating: 0, count: 32)  // y = 0: a point of order 4
        var minusOne = [UInt8](repeating: 0xff, count: 32)  // y = -1 (p - 1): order 2
        minusOne[0] = 0xec
        minusOne[31] = 0x7f
        for key in [identity, orderFour, minusOne] {
            #expect(!Ed25519.verify(signature: forged, message: Array("pay me".utf8), publicKey: key), "key \(key.hexString)")
        }
    }
}
