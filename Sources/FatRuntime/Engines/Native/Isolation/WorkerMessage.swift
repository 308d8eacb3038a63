import FatCapabilities
import FatCodec

/// The messages a host and a native contract's worker process exchange over their channel.
///
/// The exchange is strictly turn by turn: the host sends `call`; the worker answers with requests
/// (each answered by the host before the worker goes on) and finally with `done`. A worker's
/// first message is `ready` (its contract loaded; the declarations the host builds the metadata
/// from) or `loadFailed`. Encoded with SCALE primitives; each message starts with its tag.
enum WorkerMessage {
    // MARK: host → worker
    case call(WorkerCallRequest)
    /// The answer to one request, its shape given by the request (see `WorkerReply`).
    case reply([UInt8])

    // MARK: worker → host
    case ready(name: String, version: String, messages: [NativeMessageDecl])
    case loadFailed(String)
    case done(WorkerCallResult)
    case request(WorkerRequest)

    func encoded() -> [UInt8] {
        var e = ScaleEncoder()
        switch self {
        case let .call(call):
            e.append(UInt8(1))
            call.encode(into: &e)
        case let .reply(bytes):
            e.append(UInt8(2))
            e.appendBytes(bytes)
        case let .ready(name, version, messages):
            e.append(UInt8(3))
            e.appendString(name)
            e.appendString(version)
            e.appendCompact(UInt128(messages.count))
            for message in messages {
                e.appendString(message.name)
                e.appendString(message.signature)
                e.appendOptionalBytes(message.selector)
                var flags: UInt8 = 0
                if message.mutates { flags |= 1 }
                if message.isConstructor { flags |= 2 }
                if message.payable { flags |= 4 }
                if message.isDefault { flags |= 8 }
                e.append(flags)
                e.appendCompact(UInt128(message.docs.count))
                for line in message.docs { e.appendString(line) }
            }
        case let .loadFailed(reason):
            e.append(UInt8(4))
            e.appendString(reason)
        case let .done(result):
            e.append(UInt8(5))
            result.encode(into: &e)
        case let .request(request):
            e.append(UInt8(6))
            request.encode(into: &e)
        }
        return e.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> WorkerMessage {
        var d = ScaleDecoder(bytes)
        let message: WorkerMessage
        switch try d.readU8() {
        case 1: message = .call(try WorkerCallRequest(from: &d))
        case 2: return .reply(Array(bytes.dropFirst()))
        case 3:
            let name = try d.readString()
            let version = try d.readString()
            var messages: [NativeMessageDecl] = []
            for _ in 0 ..< (try d.readLength()) {
                let name = try d.readString()
                let signature = try d.readString()
                let selector = try d.readOptionalBytes()
                let flags = try d.readU8()
                var docs: [String] = []
                for _ in 0 ..< (try d.readLength()) { docs.append(try d.readString()) }
                messages.append(
                    NativeMessageDecl(
                        name: name, signature: signature, selector: selector, mutates: flags & 1 != 0, isConstructor: flags & 2 != 0,
                        payable: flags & 4 != 0, isDefault: flags & 8 != 0, docs: docs))
            }
            message = .ready(name: name, version: version, messages: messages)
        case 4: message = .loadFailed(try d.readString())
        case 5: message = .done(try WorkerCallResult(from: &d))
        case 6: message = .request(try WorkerRequest(from: &d))
        case let tag: throw FatError(.internalError, "the worker channel carried an unknown message tag \(tag)")
        }
        guard d.isAtEnd else { throw FatError(.internalError, "a worker message has \(d.remaining) bytes past its end") }
        return message
    }
}

/// One call into the contract: everything the contract may ask about its frame that does not
/// change during the call travels with it, so those questions cost no round trip.
struct WorkerCallRequest {
    var entry: Entry
    var abiCallKind: UInt32
    var seq: UInt64
    var timestampMs: UInt64
    var caller: AccountId?
    var address: AccountId
    var input: [UInt8]

    func encode(into e: inout ScaleEncoder) {
        e.append(UInt8(entry == .constructor ? 1 : 0))
        e.append(abiCallKind)
        e.append(seq)
        e.append(timestampMs)
        e.appendOptionalBytes(caller?.bytes)
        e.appendBytes(address.bytes)
        e.appendByteVector(input)
    }

    init(entry: Entry, abiCallKind: UInt32, seq: UInt64, timestampMs: UInt64, caller: AccountId?, address: AccountId, input: [UInt8]) {
        self.entry = entry
        self.abiCallKind = abiCallKind
        self.seq = seq
        self.timestampMs = timestampMs
        self.caller = caller
        self.address = address
        self.input = input
    }

    init(from d: inout ScaleDecoder) throws {
        entry = try d.readU8() == 1 ? .constructor : .message
        abiCallKind = try d.readU32()
        seq = try d.readU64()
        timestampMs = try d.readU64()
        caller = try d.readOptionalBytes().map { AccountId(unchecked: $0) }
        address = AccountId(unchecked: try d.readBytes(count: 32))
        input = try d.readByteVector()
    }
}

/// How a call into the contract ended, as the worker saw it.
enum WorkerCallResult {
    case finished(output: [UInt8], reverted: Bool)
    /// The engine refused the call (an unknown selector, malformed arguments, a failure status).
    case failed(FatError)

    func encode(into e: inout ScaleEncoder) {
        switch self {
        case let .finished(output, reverted):
            e.append(UInt8(0))
            e.appendByteVector(output)
            e.appendBool(reverted)
        case let .failed(error):
            e.append(UInt8(1))
            e.appendString(error.code.rawValue)
            e.appendString(error.message)
        }
    }

    init(from d: inout ScaleDecoder) throws {
        switch try d.readU8() {
        case 0: self = .finished(output: try d.readByteVector(), reverted: try d.readBool())
        default: self = .failed(FatError(FatError.Code(rawValue: try d.readString()), try d.readString()))
        }
    }
}

/// What a contract in a worker asks of the host's frame: the host functions that need the host.
/// (Pure ones — hashing, public keys, verification, selectors — the worker answers itself.)
enum WorkerRequest {
    case storageGet(key: [UInt8])
    case storageWrite(key: [UInt8], value: [UInt8]?)
    case emitEvent(topics: [[UInt8]], data: [UInt8])
    case log(String)
    case call(callee: AccountId, input: [UInt8])
    case http(HTTPRequest, timeoutMs: UInt32)
    case deriveKey(scheme: UInt8, salt: [UInt8])
    case sign(scheme: UInt8, secret: [UInt8], message: [UInt8])
    case random(count: UInt32)
    case module(name: String)
    case moduleCall(name: String, functionId: UInt32, input: [UInt8])

    func encode(into e: inout ScaleEncoder) {
        switch self {
        case let .storageGet(key):
            e.append(UInt8(0))
            e.appendByteVector(key)
        case let .storageWrite(key, value):
            e.append(UInt8(1))
            e.appendByteVector(key)
            e.appendOptionalBytes(value)
        case let .emitEvent(topics, data):
            e.append(UInt8(2))
            e.appendCompact(UInt128(topics.count))
            for topic in topics { e.appendByteVector(topic) }
            e.appendByteVector(data)
        case let .log(line):
            e.append(UInt8(3))
            e.appendString(line)
        case let .call(callee, input):
            e.append(UInt8(4))
            e.appendBytes(callee.bytes)
            e.appendByteVector(input)
        case let .http(request, timeoutMs):
            e.append(UInt8(5))
            e.appendString(request.method)
            e.appendString(request.url)
            e.appendHeaders(request.headers)
            e.appendByteVector(request.body)
            e.append(timeoutMs)
        case let .deriveKey(scheme, salt):
            e.append(UInt8(6))
            e.append(scheme)
            e.appendByteVector(salt)
        case let .sign(scheme, secret, message):
            e.append(UInt8(7))
            e.append(scheme)
            e.appendByteVector(secret)
            e.appendByteVector(message)
        case let .random(count):
            e.append(UInt8(8))
            e.append(count)
        case let .module(name):
            e.append(UInt8(9))
            e.appendString(name)
        case let .moduleCall(name, functionId, input):
            e.append(UInt8(10))
            e.appendString(name)
            e.append(functionId)
            e.appendByteVector(input)
        }
    }

    init(from d: inout ScaleDecoder) throws {
        switch try d.readU8() {
        case 0: self = .storageGet(key: try d.readByteVector())
        case 1: self = .storageWrite(key: try d.readByteVector(), value: try d.readOptionalBytes())
        case 2:
            var topics: [[UInt8]] = []
            for _ in 0 ..< (try d.readLength()) { topics.append(try d.readByteVector()) }
            self = .emitEvent(topics: topics, data: try d.readByteVector())
        case 3: self = .log(try d.readString())
        case 4: self = .call(callee: AccountId(unchecked: try d.readBytes(count: 32)), input: try d.readByteVector())
        case 5:
            let method = try d.readString()
            let url = try d.readString()
            let headers = try d.readHeaders()
            self = .http(HTTPRequest(method: method, url: url, headers: headers, body: try d.readByteVector()), timeoutMs: try d.readU32())
        case 6: self = .deriveKey(scheme: try d.readU8(), salt: try d.readByteVector())
        case 7: self = .sign(scheme: try d.readU8(), secret: try d.readByteVector(), message: try d.readByteVector())
        case 8: self = .random(count: try d.readU32())
        case 9: self = .module(name: try d.readString())
        case 10: self = .moduleCall(name: try d.readString(), functionId: try d.readU32(), input: try d.readByteVector())
        case let tag: throw FatError(.internalError, "the worker channel carried an unknown request \(tag)")
        }
    }
}

extension ScaleEncoder {
    mutating func appendOptionalBytes(_ bytes: [UInt8]?) {
        guard let bytes else { return append(UInt8(0)) }
        append(UInt8(1))
        appendByteVector(bytes)
    }

    mutating func appendHeaders(_ headers: [HTTPHeader]) {
        appendCompact(UInt128(headers.count))
        for header in headers {
            appendString(header.name)
            appendString(header.value)
        }
    }
}

extension ScaleDecoder {
    mutating func readOptionalBytes() throws -> [UInt8]? {
        try readU8() == 0 ? nil : try readByteVector()
    }

    mutating func readHeaders() throws -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        for _ in 0 ..< (try readLength()) { headers.append(HTTPHeader(name: try readString(), value: try readString())) }
        return headers
    }
}
