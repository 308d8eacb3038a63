import FatCodec
import FatCrypto

/// A JSON-RPC 2.0 error as Substrate nodes answer it: the standard codes, and the node's own for
/// transactions the pool refuses (1010 invalid, 1011 unknown validity, 1012 pool limits).
public struct RPCError: Error, Sendable, Equatable {
    public let code: Int
    public let message: String
    public let data: String?

    public init(_ code: Int, _ message: String, data: String? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// Substrate's author errors: the transaction is invalid (bad signature, stale nonce, …).
    public static let invalidTransaction = 1010
    /// The transaction's validity could not be decided (it names a block this host never had).
    public static let unknownTransaction = 1011
    /// The pool is full: retry later.
    public static let poolFull = 1016

    static func params(_ message: String) -> RPCError { RPCError(invalidParams, "Invalid params", data: message) }

    /// `author_submit*` refusals: message and data as a node words them (`Invalid Transaction`,
    /// then what was wrong).
    static func invalid(_ reason: String) -> RPCError { RPCError(invalidTransaction, "Invalid Transaction", data: reason) }

    var json: JSONValue {
        var fields: [(String, JSONValue)] = [("code", .number(String(code))), ("message", .string(message))]
        if let data { fields.append(("data", .string(data))) }
        return .object(fields)
    }
}

/// One request of a JSON-RPC message (which may be a batch).
struct RPCRequest: Sendable {
    /// Absent for a notification, which gets no answer.
    let id: JSONValue?
    let method: String
    let params: [JSONValue]

    /// Reads a request object; a malformed one is an `invalidRequest` error carrying the id when
    /// there is one.
    struct Refusal: Error {
        let id: JSONValue
        let error: RPCError
        init(_ pair: (JSONValue, RPCError)) { (id, error) = pair }
    }

    static func parse(_ value: JSONValue) -> Result<RPCRequest, Refusal> {
        guard case let .object(fields) = value else {
            return .failure(Refusal((.null, RPCError(RPCError.invalidRequest, "Invalid request", data: "a request is a JSON object"))))
        }
        let id = value["id"]
        if let id {
            switch id {
            case .string, .number, .null: break
            default:
                return .failure(Refusal((.null, RPCError(RPCError.invalidRequest, "Invalid request", data: "`id` is a number, a string or null"))))
            }
        }
        guard value["jsonrpc"]?.stringValue == "2.0" else {
            return .failure(Refusal((id ?? .null, RPCError(RPCError.invalidRequest, "Invalid request", data: "`jsonrpc` must be \"2.0\""))))
        }
        guard let method = value["method"]?.stringValue else {
            return .failure(Refusal((id ?? .null, RPCError(RPCError.invalidRequest, "Invalid request", data: "`method` is a string"))))
        }
        var params: [JSONValue] = []
        switch fields.first(where: { $0.0 == "params" })?.1 {
        case nil, .null?: break
        case let .array(values)?: params = values
        case .object?:
            return .failure(Refusal((id ?? .null, RPCError.params("parameters are given by position, as an array"))))
        default:
            return .failure(Refusal((id ?? .null, RPCError(RPCError.invalidRequest, "Invalid request", data: "`params` is an array"))))
        }
        return .success(RPCRequest(id: id, method: method, params: params))
    }

    static func response(id: JSONValue, result: JSONValue) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("result", result), ("id", id)])
    }

    static func response(id: JSONValue, error: RPCError) -> JSONValue {
        .object([("jsonrpc", .string("2.0")), ("error", error.json), ("id", id)])
    }

    static func notification(method: String, subscription: String, result: JSONValue) -> JSONValue {
        .object([
            ("jsonrpc", .string("2.0")), ("method", .string(method)),
            ("params", .object([("subscription", .string(subscription)), ("result", result)])),
        ])
    }
}

/// Reading positional parameters, each refusal an `invalidParams` error naming the parameter.
struct Parameters {
    let values: [JSONValue]
    let method: String

    init(_ request: RPCRequest) {
        values = request.params
        method = request.method
    }

    func at(_ index: Int) -> JSONValue? {
        guard index < values.count else { return nil }
        if case .null = values[index] { return nil }
        return values[index]
    }

    func requiredString(_ index: Int, _ name: String) throws -> String {
        guard let text = at(index)?.stringValue else { throw RPCError.params("\(method): parameter \(index + 1) (\(name)) is a string") }
        return text
    }

    /// A `0x`-prefixed hex parameter of at most `limit` bytes.
    func bytes(_ index: Int, _ name: String, limit: Int = .max) throws -> [UInt8]? {
        guard let value = at(index) else { return nil }
        guard let text = value.stringValue, let bytes = Hex.decode(text, limit: limit) else {
            throw RPCError.params(
                "\(method): parameter \(index + 1) (\(name)) is 0x-prefixed hex\(limit == .max ? "" : " of at most \(limit) bytes")")
        }
        return bytes
    }

    func requiredBytes(_ index: Int, _ name: String, limit: Int = .max) throws -> [UInt8] {
        guard let bytes = try bytes(index, name, limit: limit) else {
            throw RPCError.params("\(method): parameter \(index + 1) (\(name)) is missing")
        }
        return bytes
    }

    /// A block hash parameter: 32 bytes, or absent for the best block.
    func blockHash(_ index: Int) throws -> [UInt8]? {
        guard let bytes = try bytes(index, "block hash", limit: 32) else { return nil }
        guard bytes.count == 32 else { throw RPCError.params("\(method): a block hash has 32 bytes, not \(bytes.count)") }
        return bytes
    }

    /// An unsigned integer given as a JSON number or as hex (polkadot.js sends both).
    func unsigned(_ index: Int, _ name: String) throws -> UInt64? {
        guard let value = at(index) else { return nil }
        switch value {
        case let .number(text):
            if let number = UInt64(text) { return number }
        case let .string(text):
            if text.hasPrefix("0x"), let number = UInt64(text.dropFirst(2), radix: 16) { return number }
            if let number = UInt64(text) { return number }
        default: break
        }
        throw RPCError.params("\(method): parameter \(index + 1) (\(name)) is an unsigned integer")
    }
}

/// Hex as JSON-RPC carries it: `0x` and lowercase digits.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String { "0x" + bytes.hexString }

    static func json(_ bytes: [UInt8]) -> JSONValue { .string(encode(bytes)) }

    /// Decodes `0x…` (an even number of digits, either case); nil when malformed or past `limit`.
    static func decode(_ text: String, limit: Int = .max) -> [UInt8]? {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        let digits = text.utf8.dropFirst(2)
        guard digits.count % 2 == 0, digits.count / 2 <= limit else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for character in digits {
            let nibble: UInt8
            switch character {
            case 0x30 ... 0x39: nibble = character - 0x30
            case 0x61 ... 0x66: nibble = character - 0x61 + 10
            case 0x41 ... 0x46: nibble = character - 0x41 + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
