import CSodium
import FatCrypto
import Foundation

/// sr25519 sign and verify throughput, and Ed25519 verify, against the floor of an sr25519
/// verification: two ristretto255 scalar multiplications by libsodium, timed in the same run,
/// and the exact pair a verification computes (one of them by the fixed base).
func benchCrypto() throws {
    let iterations = 2_000
    let clock = ContinuousClock()
    /// Operations per second of `body`, run `iterations` times after a tenth as many to warm up.
    func rate(_ body: () -> Void) -> Double {
        for _ in 0 ..< iterations / 10 { body() }
        let start = clock.now
        for _ in 0 ..< iterations { body() }
        return Double(iterations) / (nanoseconds(clock.now - start) / 1e9)
    }

    precondition(sodium_init() >= 0)
    let message = Array("transfer 10 units to bob, nonce 42".utf8)
    let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 7, count: 32))
    let publicKey = try Sr25519.publicKey(secretKey: secret)
    let signature = try Sr25519.sign(message: message, secretKey: secret, randomness: nil)
    let edKey = try Ed25519SigningKey(seed: [UInt8](repeating: 7, count: 32))
    let edSignature = edKey.sign(message)

    var scalar = [UInt8](repeating: 0, count: 32)
    crypto_core_ristretto255_scalar_random(&scalar)
    var product = [UInt8](repeating: 0, count: 32)
    let floor = rate {
        precondition(crypto_scalarmult_ristretto255(&product, scalar, publicKey) == 0)
        precondition(crypto_scalarmult_ristretto255(&product, scalar, product) == 0)
    }
    // What a verification computes besides its transcript: k·A by a variable base, s·B by the
    // fixed base (whose precomputed table makes it several times cheaper).
    let group = rate {
        precondition(crypto_scalarmult_ristretto255(&product, scalar, publicKey) == 0)
        precondition(crypto_scalarmult_ristretto255_base(&product, scalar) == 0)
    }
    let verify = rate { precondition(Sr25519.verify(signature: signature, message: message, publicKey: publicKey)) }
    let sign = rate { _ = try! Sr25519.sign(message: message, secretKey: secret, randomness: nil) }
    let edVerify = rate { precondition(Ed25519.verify(signature: edSignature, message: message, publicKey: edKey.publicKey)) }

    print("crypto: \(iterations) operations each, \(message.count)-byte message")
    func line(_ name: String, _ perSecond: Double) {
        let label = name.padding(toLength: 36, withPad: " ", startingAt: 0)
        print(label + String(format: " %9.0f /s  %7.1f µs   %.2f× the floor", perSecond, 1e6 / perSecond, floor / perSecond))
    }
    line("  floor: 2 × scalarmult_ristretto255", floor)
    line("  scalarmult + scalarmult_base", group)
    line("  sr25519 verify", verify)
    line("  sr25519 sign (deterministic)", sign)
    line("  Ed25519 verify (libsodium)", edVerify)
}
