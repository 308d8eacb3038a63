import FatCodec
import FatCrypto

/// JSON values inside answers (decoded contract outputs, events) travel as they are: the
/// encoder and decoder of this module take them directly; other coders see the same shape.
extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        if let decoder = decoder as? ValueDecoder {
            self = decoder.value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .number(String(number))
        } else if let number = try? container.decode(Double.self) {
            self = .number(String(number))
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONValue].self) {
            self = .array(items)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "objects decode through JSONValueDecoder only (they keep their key order)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        if let encoder = encoder as? ValueEncoder {
            encoder.result.content = .value(self)
            return
        }
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(flag): try container.encode(flag)
        case let .number(text): try container.encode(Double(text) ?? 0)
        case let .string(text): try container.encode(text)
        case let .array(items): try container.encode(items)
        case .object:
            throw EncodingError.invalidValue(
                self, .init(codingPath: encoder.codingPath, debugDescription: "objects encode through JSONValueEncoder only"))
        }
    }
}

/// Bytes as the API writes them: `0x` followed by lowercase hex digits.
public struct Hex: Codable, Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { "0x" + bytes.hexString }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let bytes = [UInt8](hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "`\(text.prefix(40))` is not 0x-prefixed hex")
        }
        self.bytes = bytes
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An optional property written as `null` when it is nil (instead of left out), and read as nil
/// when it is `null` or missing.
@propertyWrapper
public struct ExplicitNull<Value: Codable & Sendable>: Codable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension ExplicitNull: Equatable where Value: Equatable {}

extension KeyedDecodingContainer {
    /// A missing key reads as nil for an `@ExplicitNull` property.
    public func decode<Value>(_ type: ExplicitNull<Value>.Type, forKey key: Key) throws -> ExplicitNull<Value> {
        try decodeIfPresent(type, forKey: key) ?? ExplicitNull(wrappedValue: nil)
    }
}

/// What every answer of the API is: a value with its JSON form (as `fat --json` prints it and
/// the server sends it) and its line of text (as `fat` prints it without `--json`), both derived
/// from the same fields, so a local and a remote run print the same.
public protocol Answer: Codable, Sendable {
    var text: String { get }
    /// The answer as JSON (by default, its coded fields).
    var json: JSONValue { get }
}

extension Answer {
    /// The answer's JSON. Answers hold only what `JSONValueEncoder` encodes, so this cannot fail;
    /// were it to, the JSON says so rather than stopping the process.
    public var json: JSONValue {
        do { return try JSONValueEncoder().encode(self) } catch {
            return ErrorAnswer(code: "internal", message: "an answer could not be encoded: \(error)").fallbackJSON
        }
    }

    public init(json: JSONValue) throws { self = try JSONValueDecoder().decode(Self.self, from: json) }
}
