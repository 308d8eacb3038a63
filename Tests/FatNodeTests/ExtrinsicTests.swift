import FatCodec
import FatCrypto
import FatTesting
import Foundation
import Testing

@testable import FatNode
@testable import FatRuntime

@Suite("Extrinsics, eras, and the hashes Substrate keys storage with")
struct ExtrinsicTests {
    @Test func twoxAndXXH64MatchTheReference() {
        // twox_128("System"), as every Substrate client computes the System pallet's prefix.
        #expect(XXHash64.twox128(Array("System".utf8)).hexString == "26aa394eea5630e07c48ae0c9558cef7")
        #expect(XXHash64.twox128(Array("Events".utf8)).hexString == "80d41e5e16056765bc8461851072c9d7")
        // XXH64 past the 32-byte stripes, and of nothing.
        #expect(XXHash64.hash([UInt8](repeating: 0x61, count: 40)) == 0x569e_a684_3111_ef03)
        #expect(XXHash64.hash([]) == 0xef46_db37_51d8_e999)
    }

    @Test func ss58AddressesDecodeAndTheirChecksumIsChecked() {
        // Alice of the dev chains.
        #expect(
            SS58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")?.hexString
                == "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
        #expect(SS58.decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ") == nil)
        #expect(SS58.decode("0OIl") == nil)
        #expect(SS58.decode("") == nil)
    }

    @Test func mortalErasEncodeAsSubstrateDoes() throws {
        let era = Era.mortal(period: 64, current: 100)
        var encoder = ScaleEncoder()
        era.encode(into: &encoder)
        #expect(encoder.bytes == [0x45, 0x02])
        var decoder = ScaleDecoder(encoder.bytes)
        #expect(try Era.decode(from: &decoder) == .mortal(period: 64, phase: 36))
        #expect(era.birth(current: 101) == 100)
        #expect(era.death(current: 101) == 164)
        #expect(Era.immortal.death(current: 1 << 40) == .max)
        // A period below 4 or a phase past the period is no era.
        var bad = ScaleDecoder([0x00 | 0xf0, 0x00])
        #expect(throws: (any Error).self) { try Era.decode(from: &bad) }
    }

    @Test func aSignedExtrinsicRoundTripsAndOnlyItsOwnSignatureVerifies() throws {
        let wallet = try Wallet(seed: 1)
        let genesis = [UInt8](repeating: 7, count: 32)
        let call = contractsCall(AccountId([UInt8](repeating: 3, count: 32))!, [1, 2, 3, 4])
        let bytes = try wallet.extrinsic(call, nonce: 5, genesisHash: genesis)
        let extrinsic = try Extrinsic.decode(bytes)
        #expect(extrinsic.signer == wallet.account)
        #expect(extrinsic.nonce == 5)
        #expect(extrinsic.call == call)
        let additional = ExtrinsicProof.additional(genesisHash: genesis, birthHash: genesis)
        #expect(extrinsic.verifies(additional: additional))
        // Another chain's genesis, or one changed byte of the call, and it no longer verifies.
        #expect(!extrinsic.verifies(additional: ExtrinsicProof.additional(genesisHash: [UInt8](repeating: 8, count: 32), birthHash: genesis)))
        var tampered = bytes
        tampered[tampered.count - 1] ^= 1
        #expect(try !Extrinsic.decode(tampered).verifies(additional: additional))
        let command = try ExtrinsicProof(extrinsic: extrinsic, additional: additional).command(gasCap: 10_000)
        #expect(command.nonce == 6)
        #expect(command.gasLimit == 10_000)
        #expect(command.action == .call(contract: AccountId([UInt8](repeating: 3, count: 32))!, input: [1, 2, 3, 4]))
    }

    /// The fuzz seeds were signed by schnorrkel (py-sr25519-bindings), for a chain whose genesis
    /// hash is 32 bytes of 7: this host's verifier agrees, and their calls become commands.
    @Test func extrinsicsSignedBySchnorrkelVerify() throws {
        let folder = Repository.root.appendingPathComponent("Fuzz/Seeds/extrinsic")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count == 3)
        let genesis = [UInt8](repeating: 7, count: 32)
        for name in names {
            let extrinsic = try Extrinsic.decode([UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
            #expect(extrinsic.verifies(additional: ExtrinsicProof.additional(genesisHash: genesis, birthHash: genesis)), "\(name)")
            #expect(throws: Never.self) { try ExtrinsicProof(extrinsic: extrinsic, additional: []).command(gasCap: .max) }
        }
    }

    /// Ed25519 and ECDSA signers, as MultiSignature carries them: an ECDSA account is BLAKE2b-256
    /// of its compressed public key, and the signature is over BLAKE2b-256 of the payload.
    @Test func ed25519AndECDSASignersVerify() throws {
        let genesis = [UInt8](repeating: 2, count: 32)
        let additional = ExtrinsicProof.additional(genesisHash: genesis, birthHash: genesis)
        let call = contractsCall(AccountId([UInt8](repeating: 4, count: 32))!, [1, 2, 3, 4])
        let ed = try Ed25519SigningKey(seed: [UInt8](repeating: 11, count: 32))
        let edBytes = Extrinsic.signed(signer: AccountId(ed.publicKey)!, era: .immortal, nonce: 0, call: call, additional: additional) {
            .ed25519(ed.sign($0))
        }
        #expect(try Extrinsic.decode(edBytes).verifies(additional: additional))
        let secret = [UInt8](repeating: 12, count: 32)
        let compressed = try #require(Secp256k1.publicKey(secretKey: secret))
        let ecdsaAccount = AccountId(Blake2b.hash256(compressed))!
        let ecdsaBytes = try Extrinsic.signed(signer: ecdsaAccount, era: .immortal, nonce: 0, call: call, additional: additional) { payload in
            .ecdsa(try #require(Secp256k1.sign(messageHash: Blake2b.hash256(payload), secretKey: secret)))
        }
        #expect(try Extrinsic.decode(ecdsaBytes).verifies(additional: additional))
        // The same ECDSA signature claimed by another account does not verify.
        var other = ecdsaBytes
        other[4] ^= 1
        #expect(try !Extrinsic.decode(other).verifies(additional: additional))
    }

    @Test func hostileExtrinsicsAreRefusedWithoutATrap() throws {
        let wallet = try Wallet(seed: 2)
        let bytes = try wallet.extrinsic(contractsCall(wallet.account, [9, 9, 9, 9]), nonce: 0, genesisHash: [UInt8](repeating: 1, count: 32))
        // Every truncation, every one-byte extension, and a walk of byte flips.
        for length in 0 ..< bytes.count {
            #expect(throws: ExtrinsicError.self) { try Extrinsic.decode(Array(bytes[..<length])) }
        }
        #expect(throws: ExtrinsicError.self) { try Extrinsic.decode(bytes + [0]) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 2000 {
            var mutated = bytes
            mutated[Int.random(in: 0 ..< mutated.count, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
            if let extrinsic = try? Extrinsic.decode(mutated) { _ = try? RuntimeCall.decode(extrinsic.call) }
        }
        // Lengths past what the bytes hold, and compact integers of every width.
        for prefix: [UInt8] in [[0xff, 0xff, 0xff, 0xff, 0xff], [0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x84]] {
            #expect(throws: ExtrinsicError.self) { try Extrinsic.decode(prefix) }
        }
    }

    @Test func callsAreDecodedExactlyAndValueIsRefused() throws {
        let dest = AccountId([UInt8](repeating: 5, count: 32))!
        #expect(
            try RuntimeCall.decode(contractsCall(dest, [1, 2, 3, 4]))
                == .call(dest: dest, value: 0, gasLimit: Weight(refTime: 1_000_000_000, proofSize: 0), storageDepositLimit: nil, data: [1, 2, 3, 4]))
        #expect(throws: ExtrinsicError.self) { try RuntimeCall.decode(contractsCall(dest, [1]) + [0]) }
        #expect(throws: ExtrinsicError.self) { try RuntimeCall.decode([RuntimeCall.Pallet.contracts, 42]) }
        let paying = RuntimeCall.call(dest: dest, value: 1, gasLimit: Weight(refTime: 1, proofSize: 0), storageDepositLimit: nil, data: [])
        #expect(throws: ExtrinsicError.self) { try paying.command(caller: dest) }
        // upload_code with and without pallet-contracts' later `determinism` byte.
        var upload = ScaleEncoder()
        upload.append(RuntimeCall.Pallet.contracts)
        upload.append(RuntimeCall.Index.uploadCode)
        upload.appendByteVector([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])
        upload.append(UInt8(0))
        #expect(
            try RuntimeCall.decode(upload.bytes) == .uploadCode(code: [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], storageDepositLimit: nil, determinism: 0))
        #expect(
            try RuntimeCall.decode(upload.bytes + [1])
                == .uploadCode(code: [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], storageDepositLimit: nil, determinism: 1))
        #expect(try RuntimeCall.decode(upload.bytes).command(caller: dest).code?.kind == .wasm)
        #expect(CodeKind(sniffing: [0x7f, 0x45, 0x4c, 0x46, 2]) == .native)
        #expect(CodeKind(sniffing: [1, 2, 3]) == nil)
    }
}
