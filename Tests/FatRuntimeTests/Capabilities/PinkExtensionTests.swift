import FatCodec
import FatCrypto
import FatHTTPTesting
import FatRuntime
import Foundation
import Testing

/// Phala's pink chain extension (extension id 0), called from Wasm through call_chain_extension
/// with pink's SCALE types, in queries and in commands.
@Suite struct PinkExtensionTests {
    /// pink's SigType.
    enum Sig: UInt8 {
        case ed25519 = 0
        case sr25519 = 1
        case ecdsa = 2
    }

    func bytes(_ output: [UInt8]) throws -> [UInt8] {
        var decoder = ScaleDecoder(output)
        return try decoder.readByteVector()
    }

    @Test(arguments: [Sig.ed25519, .sr25519, .ecdsa])
    func derivedKeysSignAndVerify(_ sig: Sig) throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            let salt = scale { $0.appendByteVector(Array("a spoon of salt".utf8)) }
            let secret = try bytes(ext.query(4, salt).output)  // derive_sr25519_key
            #expect(secret.count == 64)
            // The same contract and salt give the same key in a query and in a command.
            #expect(try bytes(ext.command(4, salt).output) == secret)
            #expect(try bytes(ext.query(4, scale { $0.appendByteVector([1]) }).output) != secret)

            let key: [UInt8] = sig == .sr25519 ? secret : Array(secret.prefix(32))
            let publicKey = try bytes(
                ext.query(
                    5,
                    scale {
                        $0.append(sig.rawValue)
                        $0.appendByteVector(key)
                    }
                ).output)
            #expect(publicKey.count == (sig == .ecdsa ? 33 : 32))
            let message = Array("hello world".utf8)
            let signature = try bytes(
                ext.query(
                    2,
                    scale {
                        $0.append(sig.rawValue)
                        $0.appendByteVector(key)
                        $0.appendByteVector(message)
                    }
                ).output)
            func verify(_ message: [UInt8], _ signature: [UInt8]) throws -> [UInt8] {
                try ext.query(
                    3,
                    scale {
                        $0.append(sig.rawValue)
                        $0.appendByteVector(publicKey)
                        $0.appendByteVector(message)
                        $0.appendByteVector(signature)
                    }
                ).output
            }
            #expect(try verify(message, signature) == [1])
            #expect(try verify(Array("Fake".utf8), signature) == [0])
            // Signing in a command is deterministic, sr25519 included, and the signature verifies.
            func signInACommand() throws -> [UInt8] {
                try bytes(
                    ext.command(
                        2,
                        scale {
                            $0.append(sig.rawValue)
                            $0.appendByteVector(key)
                            $0.appendByteVector(message)
                        }
                    ).output)
            }
            let first = try signInACommand()
            #expect(try signInACommand() == first)
            #expect(try verify(message, first) == [1])
            // A malformed key traps the contract with the cause.
            let error = try #require(throws: FatError.self) {
                try ext.query(
                    5,
                    scale {
                        $0.append(sig.rawValue)
                        $0.appendByteVector([1, 2, 3])
                    })
            }
            #expect(error.message.contains("get_public_key"))
        }
    }

    @Test func ecdsaPrehashedSigningMatchesLibsecp256k1() throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            let secret = [UInt8](repeating: 7, count: 32)
            let hash = Keccak256.hash(Array("hello world".utf8))
            let signature = try ext.command(
                13,
                scale {
                    $0.appendByteVector(secret)
                    $0.appendBytes(hash)
                }
            ).output
            #expect(signature == Secp256k1.sign(messageHash: hash, secretKey: secret))
            let publicKey = try #require(Secp256k1.publicKey(secretKey: secret))
            #expect(try ext.query(14, signature + hash + publicKey).output == [1])
            #expect(try ext.query(14, signature + Keccak256.hash([1]) + publicKey).output == [0])
        }
    }

    /// pink's cache functions' arguments: a key, with a value or an expiration.
    func vectors(_ items: [UInt8]...) -> [UInt8] {
        var encoder = ScaleEncoder()
        for item in items { encoder.appendByteVector(item) }
        return encoder.bytes
    }

    func expiration(_ key: [UInt8], _ seconds: UInt64) -> [UInt8] { vectors(key) + le64(seconds) }

    @Test func theCacheIsImmediateInQueriesAndAppliedAfterCommitInCommands() throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            let key = Array("key".utf8)
            let value = Array("value".utf8)
            let some = [1] + vectors(value)
            #expect(try ext.query(6, vectors(key, value)).code == 0)
            #expect(try ext.query(8, vectors(key)).output == some)
            #expect(try ext.query(9, vectors(key)).output == some)
            #expect(try ext.query(8, vectors(key)).output == [0])

            // In a command: reads see nothing, the write lands once the command commits.
            #expect(try ext.command(6, vectors(key, value)).code == 0)
            #expect(try ext.command(8, vectors(key)).output == [0])
            #expect(try ext.query(8, vectors(key)).output == some)
            #expect(try ext.command(9, vectors(key)).output == [0])
            #expect(try ext.query(8, vectors(key)).output == [0])

            // An expiration in the past removes the entry; one in the future keeps it.
            _ = try ext.query(6, vectors(key, value))
            _ = try ext.query(7, expiration(key, 3600))
            #expect(try ext.query(8, vectors(key)).output == some)
            _ = try ext.query(7, expiration(key, 0))
            #expect(try ext.query(8, vectors(key)).output == [0])
        }
    }

    @Test func theCacheIsCappedAndPerContract() throws {
        try withHost(capabilities: CapabilityConfiguration(cacheCapacityBytes: 64)) { host in
            let a = try ExtensionContract(host)
            let b = try ExtensionContract(host)
            let key = scale { $0.appendByteVector([1]) }
            #expect(
                try a.query(
                    6,
                    scale {
                        $0.appendByteVector([1])
                        $0.appendByteVector([UInt8](repeating: 9, count: 100))
                    }
                ).code == 1)  // StorageQuotaExceeded
            #expect(
                try a.query(
                    6,
                    scale {
                        $0.appendByteVector([1])
                        $0.appendByteVector([2])
                    }
                ).code == 0)
            #expect(try b.query(8, key).output == [0])
            // Filling the cache evicts the oldest entry.
            for index in 2 ... 6 {
                _ = try b.query(
                    6,
                    scale {
                        $0.appendByteVector([UInt8(index)])
                        $0.appendByteVector([UInt8](repeating: 0, count: 15))
                    })
            }
            #expect(try a.query(8, key).output == [0])
        }
    }

    @Test func commandsSeeDeterministicAnswers() throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            #expect(try ext.query(12).output == [0])  // is_in_transaction
            #expect(try ext.command(12).output == [1])
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            #expect(try u64(ext.query(18).output) >= now - 60_000)  // untrusted_millis_since_unix_epoch
            #expect(try ext.command(18).output == le64(0))
            let random = try bytes(ext.query(11, [32]).output)
            #expect(random.count == 32)
            #expect(try bytes(ext.query(11, [32]).output) != random)
            #expect(try bytes(ext.command(11, [16]).output).count == 16)
            #expect(try ext.query(21).output == le32(1) + le32(2))  // runtime_version
            #expect(try ext.command(17).output == [UInt8](repeating: 0, count: 32))  // worker_pubkey
            #expect(try ext.query(17).output.count == 32)
            #expect(try ext.query(16, [UInt8](repeating: 1, count: 32)).output == [UInt8](repeating: 0, count: 32))  // balance_of
            let exception = try ext.query(24, [0, 0]).output  // js_eval([], []) -> JsValue::Exception
            #expect(exception.first == 5)
            #expect(try ext.query(25).output == [0])
            #expect(try ext.query(19, [UInt8](repeating: 0, count: 32) + [0]).output == [0])  // code_exists
        }
    }

    @Test func logLinesReachTheReceipt() throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            let answer = try ext.command(
                10,
                scale {
                    $0.append(UInt8(2))
                    $0.appendString("careful")
                })
            #expect(answer.logs.contains { $0.hasSuffix("[warn] careful") })
        }
    }

    @Test func badCallsTrapWithTheCause() throws {
        try withHost { host in
            let ext = try ExtensionContract(host)
            let unknown = try #require(throws: FatError.self) { try ext.query(99) }
            #expect(unknown.message.contains("not a pink chain extension function"))
            let malformed = try #require(throws: FatError.self) { try ext.query(1, [0xFF]) }
            #expect(malformed.message.contains("http_request"))
            #expect(malformed.message.contains("malformed input"))
            let system = try #require(throws: FatError.self) { try ext.query(15) }
            #expect(system.message.contains("system contract"))
        }
    }

    // MARK: HTTP

    func request(_ url: String, method: String = "GET", headers: [(String, String)] = [], body: [UInt8] = []) -> [UInt8] {
        scale { e in
            e.appendString(url)
            e.appendString(method)
            e.appendCompact(UInt128(headers.count))
            for (name, value) in headers {
                e.appendString(name)
                e.appendString(value)
            }
            e.appendByteVector(body)
        }
    }

    struct Response {
        let status: UInt16
        let reason: String
        let headers: [(String, String)]
        let body: [UInt8]

        init(_ decoder: inout ScaleDecoder) throws {
            status = try decoder.readU16()
            reason = try decoder.readString()
            var headers: [(String, String)] = []
            for _ in 0 ..< (try decoder.readLength()) { headers.append((try decoder.readString(), try decoder.readString())) }
            self.headers = headers
            body = try decoder.readByteVector()
        }

        init(_ bytes: [UInt8]) throws {
            var decoder = ScaleDecoder(bytes)
            try self.init(&decoder)
        }
    }

    static func server() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            switch request.path {
            case "/price": LoopbackResponse(headers: [("Content-Type", "application/json")], text: #"{"usd": 42.5}"#)
            case "/echo": LoopbackResponse(text: "\(request.method) \(request.header("X-Test") ?? "-") \(request.body.count)")
            case "/slow": LoopbackResponse(text: "late", delayMilliseconds: 2000)
            default: LoopbackResponse(status: 404, reason: "Not Found", text: "no")
            }
        }
    }

    @Test func httpRequestsRunInQueriesOnly() throws {
        let server = try Self.server()
        defer { server.stop() }
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true)) { host in
            let ext = try ExtensionContract(host)
            let response = try Response(ext.query(1, request(server.baseURL + "/price")).output)
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"usd": 42.5}"#)
            #expect(response.headers.contains { $0.0.lowercased() == "content-type" && $0.1 == "application/json" })
            let echo = try Response(
                ext.query(1, request(server.baseURL + "/echo", method: "POST", headers: [("X-Test", "yes")], body: [1, 2, 3])).output)
            #expect(String(decoding: echo.body, as: UTF8.self) == "POST yes 3")
            #expect(try Response(ext.query(1, request(server.baseURL + "/nothing")).output).status == 404)

            // In a command: pink's 523 answer, and no connection is made.
            let before = server.connectionCount
            let refused = try Response(ext.command(1, request(server.baseURL + "/price")).output)
            #expect(refused.status == 523)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("not allowed in a command"))
            #expect(server.connectionCount == before)

            // A bad URL or method fails the call, as in pink.
            #expect(throws: FatError.self) { try ext.query(1, request("not a url")) }
            #expect(throws: FatError.self) { try ext.query(1, request(server.baseURL, method: "BREW")) }
        }
    }

    @Test func theHostPolicyApplies() throws {
        let server = try Self.server()
        defer { server.stop() }
        // Loopback is refused unless the host allows private addresses, even when allow-listed.
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["*"])) { host in
            let ext = try ExtensionContract(host)
            let response = try Response(ext.query(1, request(server.baseURL + "/price")).output)
            #expect(response.status == 524)
            #expect(String(decoding: response.body, as: UTF8.self) == "NotAllowed")
        }
        // A host outside the allow-list.
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["example.com"], allowPrivateAddresses: true)) { host in
            let ext = try ExtensionContract(host)
            #expect(try Response(ext.query(1, request(server.baseURL + "/price")).output).status == 524)
        }
        #expect(server.connectionCount == 0)
    }

    /// The requests of one batch are in flight together: the server answers each only once all
    /// three have arrived, which one-after-another requests never would.
    @Test func theRequestsOfABatchAreInFlightTogether() throws {
        let barrier = LoopbackBarrier(parties: 3)
        let server = try LoopbackHTTPServer { _ in barrier.response() }
        defer { server.stop() }
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true)) { host in
            let ext = try ExtensionContract(host)
            let urls = (0 ..< 3).map { server.baseURL + "/barrier/\($0)" }
            let answer = try ext.query(
                22,
                scale { e in
                    e.appendCompact(UInt128(urls.count))
                    for url in urls { e.appendBytes(request(url)) }
                    e.append(UInt64(15_000))
                })
            #expect(answer.code == 0)
            var decoder = ScaleDecoder(answer.output)
            #expect(try decoder.readLength() == 3)
            for _ in urls {
                #expect(try decoder.readU8() == 0)
                #expect(try Response(&decoder).status == 200)
            }
            #expect(decoder.isAtEnd)
        }
    }

    @Test func aBatchAnswersEachRequestInOrderWithinPinksLimits() throws {
        let server = try Self.server()
        defer { server.stop() }
        try withHost(capabilities: CapabilityConfiguration(allowedHosts: ["127.0.0.1"], allowPrivateAddresses: true)) { host in
            let ext = try ExtensionContract(host)
            func batch(_ urls: [String], timeout: UInt64 = 5000) -> [UInt8] {
                scale { e in
                    e.appendCompact(UInt128(urls.count))
                    for url in urls { e.appendBytes(request(url)) }
                    e.append(timeout)
                }
            }
            let answer = try ext.query(22, batch([server.baseURL + "/price", server.baseURL + "/nothing", "ftp://127.0.0.1/x"]))
            #expect(answer.code == 0)
            var decoder = ScaleDecoder(answer.output)
            #expect(try decoder.readLength() == 3)
            #expect(try decoder.readU8() == 0)
            #expect(try Response(&decoder).status == 200)
            #expect(try decoder.readU8() == 0)
            #expect(try Response(&decoder).status == 404)
            #expect(try decoder.readU8() == 1)  // Err(HttpRequestError)
            #expect(try decoder.readU8() == 6)  // NotAllowed
            #expect(decoder.isAtEnd)
            // Over pink's limit of 5, or in a command: an error code and no output.
            #expect(try ext.query(22, batch(Array(repeating: server.baseURL + "/price", count: 6))).code == 8)  // TooManyRequests
            #expect(try ext.command(22, batch([server.baseURL + "/price"])).code == 7)  // NotAllowed
            // The batch's own timeout bounds the slow request.
            let slow = try ext.query(22, batch([server.baseURL + "/slow"], timeout: 300))
            var slowDecoder = ScaleDecoder(slow.output)
            #expect(try slowDecoder.readLength() == 1)
            #expect(try slowDecoder.readU8() == 1)
            #expect(try slowDecoder.readU8() == 5)  // Timeout
        }
    }
}
