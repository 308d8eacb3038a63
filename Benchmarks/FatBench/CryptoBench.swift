import CLibCrypto
import CSodium
import FatCrypto
import Foundation

/// Signature verification against the floor each has, measured in turn: sr25519 against the exact
/// group operations a verification computes (k·A by a variable base, s·B by the fixed base) in
/// libsodium, Ed25519 through libsodium against OpenSSL 3's verify of the same signature.
func benchCrypto() throws {
    precondition(sodium_init() >= 0)
    let message = Array("transfer 10 units to bob, nonce 42".utf8)
    let secret = try Sr25519.secretKey(fromSeed: [UInt8](repeating: 7, count: 32))
    let publicKey = try Sr25519.publicKey(secretKey: secret)
    let signature = try Sr25519.sign(message: message, secretKey: secret, randomness: nil)
    let edKey = try Ed25519SigningKey(seed: [UInt8](repeating: 7, count: 32))
    let edSignature = edKey.sign(message)
    let openssl = try OpenSSLEd25519Verifier(publicKey: edKey.publicKey)
    precondition(openssl.verify(edSignature, message))

    var scalar = [UInt8](repeating: 0, count: 32)
    crypto_core_ristretto255_scalar_random(&scalar)
    var product = [UInt8](repeating: 0, count: 32)
    let (group, verify) = interleaved(
        rounds: 20, batch: 100, warmup: 100,
        {
            precondition(crypto_scalarmult_ristretto255(&product, scalar, publicKey) == 0)
            precondition(crypto_scalarmult_ristretto255_base(&product, scalar) == 0)
        },
        {
            precondition(Sr25519.verify(signature: signature, message: message, publicKey: publicKey))
        })
    let (openSSLVerify, sodiumVerify) = interleaved(
        rounds: 20, batch: 100, warmup: 100,
        {
            precondition(openssl.verify(edSignature, message))
        },
        {
            precondition(Ed25519.verify(signature: edSignature, message: message, publicKey: edKey.publicKey))
        })
    print("crypto: 2000 operations of each, in turn by batches of 100, \(message.count)-byte message (median per operation):")
    func line(_ name: String, _ nanoseconds: Double, against floor: Double) {
        let label = name.padding(toLength: 44, withPad: " ", startingAt: 0)
        print(label + String(format: " %9.0f /s  %7.1f µs   %.2f× the floor's time", 1e9 / nanoseconds, nanoseconds / 1e3, nanoseconds / floor))
    }
    let groupTime = percentile(group, 0.5)
    let verifyTime = percentile(verify, 0.5)
    let openSSLTime = percentile(openSSLVerify, 0.5)
    let sodiumTime = percentile(sodiumVerify, 0.5)
    line("  floor: scalarmult + scalarmult_base", groupTime, against: groupTime)
    line("  sr25519 verify", verifyTime, against: groupTime)
    line("  floor: Ed25519 verify, OpenSSL 3", openSSLTime, against: openSSLTime)
    line("  Ed25519 verify, libsodium (what the host uses)", sodiumTime, against: openSSLTime)
    Report.row("crypto.sr25519.verify", baseline: groupTime, subject: verifyTime, unit: "ns (baseline: its group operations)")
    Report.row("crypto.ed25519.verify", baseline: openSSLTime, subject: sodiumTime, unit: "ns (baseline: OpenSSL 3)")
}

/// Ed25519 verification through OpenSSL 3's EVP interface, one key, a context per call.
final class OpenSSLEd25519Verifier {
    private let key: OpaquePointer

    init(publicKey: [UInt8]) throws {
        guard let key = publicKey.withUnsafeBufferPointer({ EVP_PKEY_new_raw_public_key(fat_evp_pkey_ed25519(), nil, $0.baseAddress, $0.count) })
        else { throw BenchError("OpenSSL refused the Ed25519 public key") }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    func verify(_ signature: [UInt8], _ message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        return signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count) == 1
            }
        }
    }
}
