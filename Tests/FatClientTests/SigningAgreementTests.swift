import FatAPI
import FatCodec
import FatCrypto
import FatRuntime
import Testing

@testable import FatClient

/// What the client signs is what the server checks: request bodies and headers built by
/// `FatClient` are read by the server's own request readers, and their signatures verify over
/// the payloads the host computes.
@Suite("FatClient: signatures the server accepts")
struct SigningAgreementTests {
    let genesis = Blake2b.hash256(Array("a host".utf8))

    func ed25519(_ seed: UInt8) throws -> Ed25519SigningKey { try Ed25519SigningKey(seed: [UInt8](repeating: seed, count: 32)) }

    func sr25519() throws -> ClientKey { try .sr25519(secret: try Sr25519.secretKey(fromSeed: [UInt8](repeating: 9, count: 32))) }

    func actions() -> [SignedCommand.Action] {
        let hash = Blake2b.hash256([1, 2, 3])
        return [
            .deploy(codeHash: hash, metadataHash: Blake2b.hash256([4]), input: [0x9B, 0xAE, 0x9D, 0x5E, 1], salt: [7, 7]),
            .deploy(codeHash: hash, metadataHash: nil, input: [], salt: []),
            .call(contract: [UInt8](repeating: 0x11, count: 32), input: [0xDE, 0xAD]),
            .upload(codeHash: hash, metadataHash: nil),
        ]
    }

    @Test func everyKindOfCommandIsReadBackAsSignedAndVerifies() throws {
        for key in [ClientKey.ed25519(try ed25519(1)), try sr25519()] {
            for action in actions() {
                var signed = SignedCommand(genesis: genesis, caller: [], action: action, nonce: 41, expiresAtMs: 1_900_000_000_000)
                signed.value = UInt128(UInt64.max) * 3
                signed.gasLimit = 123_456
                signed.sign(with: key)
                let request = try CommandRequest(Array(signed.json.serialized().utf8))
                let command = request.command
                #expect(command.caller.bytes == key.account)
                #expect(command.value == UInt128(UInt64.max) * 3 && command.gasLimit == 123_456 && command.nonce == 41)
                #expect(command.signingPayload(genesis: genesis) == signed.signingPayload)
                let signature = try #require(command.signature)
                #expect(
                    Signer.verifies(signature, payload: command.signingPayload(genesis: genesis), account: command.caller), "\(key.scheme) \(action)")
                // Signed for another host, the same bytes do not verify.
                #expect(!Signer.verifies(signature, payload: command.signingPayload(genesis: Blake2b.hash256([0])), account: command.caller))
            }
        }
    }

    @Test func aChangedFieldBreaksTheSignature() throws {
        var signed = SignedCommand(genesis: genesis, caller: [], action: actions()[2], nonce: 5, expiresAtMs: 1_900_000_000_000)
        signed.sign(with: try ed25519(2))
        for change in [
            { (c: inout SignedCommand) in c.nonce += 1 }, { $0.gasLimit -= 1 }, { $0.value = 1 }, { $0.expiresAtMs += 1 },
            { $0.action = .call(contract: [UInt8](repeating: 0x11, count: 32), input: [0xDE, 0xAE]) },
        ] {
            var tampered = signed
            change(&tampered)
            let command = try CommandRequest(Array(tampered.json.serialized().utf8)).command
            #expect(!Signer.verifies(command.signature!, payload: command.signingPayload(genesis: genesis), account: command.caller))
        }
    }

    @Test func aSignedReadHeaderIsTheOneTheServerParses() throws {
        for key in [ClientKey.ed25519(try ed25519(3)), try sr25519()] {
            let expiry = FatHost.nowMs + 60_000
            let header = key.authorization(genesis: genesis, target: "GET /v1/log?from=1&limit=10", expiresAtMs: expiry)
            let signer = try #require(try RequestSigner(authorization: header))
            #expect(signer.caller.bytes == key.account && signer.expiresAtMs == expiry)
            try signer.verify(SigningPayload.read(genesis: genesis, target: "GET /v1/log?from=1&limit=10", expiresAtMs: expiry), window: 300_000)
            #expect(throws: FatError.self) {
                try signer.verify(SigningPayload.read(genesis: genesis, target: "GET /v1/log?from=2&limit=10", expiresAtMs: expiry), window: 300_000)
            }
        }
    }

    @Test func aSignedQueryAndASignedUploadAreTheFieldsTheServerReads() throws {
        let key = ClientKey.ed25519(try ed25519(4))
        let expiry = FatHost.nowMs + 60_000
        let query = SignedQuery(genesis: genesis, contract: [UInt8](repeating: 0x22, count: 32), input: [1, 2, 3, 4, 5], expiresAtMs: expiry)
        let fields = try RequestFields(Array(query.json(signedBy: key).serialized().utf8), allowed: QueryRequest.fields)
        let signer = try #require(try RequestSigner(fields))
        try signer.verify(query.signingPayload, window: 300_000)
        #expect(try QueryRequest(Array(query.json(signedBy: ClientKey?.none).serialized().utf8)).contract.bytes == query.contract)

        let code: [UInt8] = [0, 0x61, 0x73, 0x6D]
        let payload = SigningPayload.stage(genesis: genesis, native: true, codeHash: Blake2b.hash256(code), metadataHash: nil, expiresAtMs: expiry)
        let staged = try RequestFields(
            Array(JSONValue.object(key.signatureFields(payload, expiresAtMs: expiry)).serialized().utf8),
            allowed: ["caller", "scheme", "expires_at_ms", "signature"])
        try #require(try RequestSigner(staged)).verify(payload, window: 300_000)
    }
}
