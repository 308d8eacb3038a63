import FatCapabilities
import FatCodec
import FatCrypto
import Foundation

/// Phala's pink chain extension (extension id 0), so that contracts built with the `pink` crate run
/// unmodified. Each function decodes its SCALE arguments, runs through the frame's capabilities
/// (which enforce the command/query rule) and answers `(status, output)` as pink's runtime does:
/// status 0 with the SCALE result, or for the functions that return a `Result` with a codable
/// error, the error's code and no output. Where pink's runtime fails the call, the contract traps
/// with the cause.
///
/// Contracts built with pink before August 2022 call the same functions under extension id 0xFF00
/// (func_id 0xFF00_00NN); they differ only in `cache_set`, which then answered its `Result` in the
/// output rather than in the status code.
///
/// Differences from pink, all in the direction of determinism or honesty: in a command, sr25519
/// signing is deterministic instead of returning an empty signature, and `getrandom` returns bytes
/// derived from the command instead of none; there is no system contract, no sidevm and no
/// JavaScript engine.
enum PinkExtension {
    /// pink's runtime version (crates/pink/runtime 1.2).
    static let runtimeVersion: (UInt32, UInt32) = (1, 2)
    static let maxBatch = 5

    /// The extension id of pink before August 2022.
    static let legacyExtensionId: UInt16 = 0xFF00

    static func call(frame: CallFrame, function: UInt16, input: [UInt8], legacy: Bool = false) throws -> (returnCode: UInt32, output: [UInt8]) {
        var input = ScaleDecoder(input)
        var out = ScaleEncoder()
        let name = functionNames[function] ?? "function \(function)"
        func trap(_ reason: String) -> FatError { FatError(.trapped, "pink \(name): \(reason)") }
        do {
            switch function {
            case 1:  // http_request(HttpRequest) -> HttpResponse
                let request = try PinkCodec.decodeRequest(&input)
                PinkCodec.encode(try httpRequest(frame, request, trap: trap), into: &out)
            case 2:  // sign(SigType, key, message) -> Vec<u8>
                let scheme = try readScheme(&input)
                let key = try input.readByteVector()
                let message = try input.readByteVector()
                out.appendByteVector(try frame.sign(scheme, secret: key, message: message))
            case 3:  // verify(SigType, pubkey, message, signature) -> bool
                let scheme = try readScheme(&input)
                let publicKey = try input.readByteVector()
                let message = try input.readByteVector()
                let signature = try input.readByteVector()
                out.appendBool(try scheme.verify(publicKey: publicKey, message: message, signature: signature))
            case 4:  // derive_sr25519_key(salt) -> Vec<u8>
                out.appendByteVector(try frame.deriveKey(.sr25519, salt: try input.readByteVector()))
            case 5:  // get_public_key(SigType, key) -> Vec<u8>
                let scheme = try readScheme(&input)
                out.appendByteVector(try scheme.publicKey(secret: try input.readByteVector()))
            case 6:  // cache_set(key, value) -> Result<(), StorageQuotaExceeded>
                let key = try input.readByteVector()
                let value = try input.readByteVector()
                let stored = frame.cacheSet(key: key, value: value)
                if legacy { return (0, [stored ? 0 : 1]) }
                guard stored else { return (1, []) }
            case 7:  // cache_set_expiration(key, expire: u64)
                let key = try input.readByteVector()
                frame.cacheSetExpiration(key: key, seconds: try input.readU64())
            case 8:  // cache_get(key) -> Option<Vec<u8>>
                appendOption(frame.cacheGet(key: try input.readByteVector()), to: &out)
            case 9:  // cache_remove(key) -> Option<Vec<u8>>
                appendOption(frame.cacheRemove(key: try input.readByteVector()), to: &out)
            case 10:  // log(level: u8, message: &str)
                let level = try input.readU8()
                let message = try input.readString()
                let label = [1: "error", 2: "warn", 3: "info", 4: "debug", 5: "trace"][Int(level)] ?? "error"
                frame.log("[\(label)] \(message)")
            case 11:  // getrandom(length: u8) -> Vec<u8>
                out.appendByteVector(frame.randomBytes(Int(try input.readU8())))
            case 12:  // is_in_transaction() -> bool
                out.appendBool(frame.kind == .command)
            case 13:  // ecdsa_sign_prehashed(key, hash: [u8; 32]) -> [u8; 65]
                let key = try input.readByteVector()
                let hash = try input.readBytes(count: 32, what: "message hash")
                guard let signature = Secp256k1.sign(messageHash: hash, secretKey: key) else { throw trap("invalid ecdsa key") }
                out.appendBytes(signature)
            case 14:  // ecdsa_verify_prehashed(signature: [u8; 65], hash: [u8; 32], pubkey: [u8; 33]) -> bool
                let signature = try input.readBytes(count: 65, what: "signature")
                let hash = try input.readBytes(count: 32, what: "message hash")
                let publicKey = try input.readBytes(count: 33, what: "public key")
                out.appendBool(Secp256k1.recover(signature: signature, messageHash: hash) == publicKey)
            case 15:  // system_contract_id() -> AccountId
                throw trap("this host has no pink system contract")
            case 16:  // balance_of(AccountId) -> (Balance, Balance)
                _ = try input.readBytes(count: 32, what: "account")
                out.append(UInt128(0))
                out.append(UInt128(0))
            case 17:  // worker_pubkey() -> [u8; 32]
                out.appendBytes(frame.kind == .command ? [UInt8](repeating: 0, count: 32) : try frame.capabilities.keys.hostPublicKey())
            case 18:  // untrusted_millis_since_unix_epoch() -> u64
                out.append(frame.kind == .command ? UInt64(0) : FatHost.nowMs)
            case 19:  // code_exists(Hash, sidevm: bool) -> bool
                let hash = try input.readBytes(count: 32, what: "code hash")
                let sidevm = try input.readBool()
                out.appendBool(!sidevm && frame.codeExists(hash))
            case 20:  // import_latest_system_code(payer) -> Option<Hash>
                throw trap("only the pink system contract may import system code, and this host has none")
            case 21:  // runtime_version() -> (u32, u32)
                out.append(runtimeVersion.0)
                out.append(runtimeVersion.1)
            case 22:  // batch_http_request(Vec<HttpRequest>, timeout_ms: u64) -> BatchHttpResult
                let count = try input.readLength(what: "requests")
                var requests: [HTTPRequest] = []
                for _ in 0 ..< count { requests.append(try PinkCodec.decodeRequest(&input)) }
                let timeout = try input.readU64()
                guard frame.kind == .query else { return (PinkCodec.HTTPRequestError.notAllowed.statusCode, []) }
                guard requests.count <= maxBatch else { return (PinkCodec.HTTPRequestError.tooManyRequests.statusCode, []) }
                guard timeout > 0 else { return (PinkCodec.HTTPRequestError.timeout.statusCode, []) }
                let deadline = ContinuousClock.now + .milliseconds(Int64(clamping: timeout))
                switch try frame.httpBatch(requests, deadline: deadline) {
                case let .failure(error):
                    return (PinkCodec.HTTPRequestError(error).statusCode, [])
                case let .success(results):
                    out.appendCompact(UInt128(results.count))
                    for result in results {
                        switch result {
                        case let .success(response):
                            out.append(UInt8(0))
                            PinkCodec.encode(response, into: &out)
                        case let .failure(error):
                            out.append(UInt8(1))
                            out.append(PinkCodec.HTTPRequestError(error).rawValue)
                        }
                    }
                }
            case 23:  // current_event_chain_head() -> (u64, Hash)
                out.append(frame.transaction.seq)
                out.appendBytes([UInt8](repeating: 0, count: 32))
            case 24:  // js_eval(Vec<JsCode>, Vec<String>) -> JsValue
                out.append(UInt8(5))  // JsValue::Exception
                out.appendString("JavaScript evaluation is not supported on this host")
            case 25:  // worker_sgx_quote() -> Option<SgxQuote>
                out.append(UInt8(0))
            default:
                throw trap("not a pink chain extension function (known: 1 to 25)")
            }
        } catch let error as ScaleError {
            throw trap("malformed input: \(error)")
        } catch let error as CapabilityRefusal {
            throw trap(error.description)
        } catch let error as FatError where error.code == .badArguments {
            throw trap(error.message)
        }
        return (0, out.bytes)
    }

    /// pink's http_request: errors a v1.0 runtime knew fail the call; the others become a 524
    /// response naming the error, and a network failure a 523; in a command, a 523 without I/O.
    private static func httpRequest(_ frame: CallFrame, _ request: HTTPRequest, trap: (String) -> FatError) throws -> HTTPResponse {
        guard frame.kind == .query else {
            return PinkCodec.hostResponse(523, "API Unavailable", "HTTP request is not allowed in a command")
        }
        switch try frame.httpRequest(request) {
        case let .success(response):
            return response
        case let .failure(error):
            let pinkError = PinkCodec.HTTPRequestError(error)
            switch pinkError {
            case .invalidUrl, .invalidMethod, .invalidHeaderName, .invalidHeaderValue, .failedToCreateClient, .timeout:
                throw trap("\(error)")
            case .networkError:
                return PinkCodec.hostResponse(523, "Unreachable", "\(error)")
            default:
                return PinkCodec.hostResponse(524, "IO Error", pinkError.name)
            }
        }
    }

    private static func readScheme(_ input: inout ScaleDecoder) throws -> SignatureScheme {
        let index = try input.readU8()
        guard let scheme = SignatureScheme(rawValue: index) else {
            throw FatError(.badArguments, "unknown SigType \(index) (0 Ed25519, 1 Sr25519, 2 Ecdsa)")
        }
        return scheme
    }

    private static func appendOption(_ value: [UInt8]?, to out: inout ScaleEncoder) {
        if let value {
            out.append(UInt8(1))
            out.appendByteVector(value)
        } else {
            out.append(UInt8(0))
        }
    }

    static let functionNames: [UInt16: String] = [
        1: "http_request", 2: "sign", 3: "verify", 4: "derive_sr25519_key", 5: "get_public_key", 6: "cache_set",
        7: "cache_set_expiration", 8: "cache_get", 9: "cache_remove", 10: "log", 11: "getrandom", 12: "is_in_transaction",
        13: "ecdsa_sign_prehashed", 14: "ecdsa_verify_prehashed", 15: "system_contract_id", 16: "balance_of",
        17: "worker_pubkey", 18: "untrusted_millis_since_unix_epoch", 19: "code_exists", 20: "import_latest_system_code",
        21: "runtime_version", 22: "batch_http_request", 23: "current_event_chain_head", 24: "js_eval", 25: "worker_sgx_quote",
    ]
}
