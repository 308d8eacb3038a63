import FatCodec

/// Encodes `Encodable` values into a `JSONValue`, keeping object keys in the order the value
/// encodes them (for synthesized conformances, the order the properties are declared) and
/// integers exactly. A `JSONValue` inside a value is taken as it is.
///
/// An optional property that is nil is left out, as Swift's own encoders do; mark a property
/// `@ExplicitNull` to write `null` instead.
public struct JSONValueEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = ValueEncoder(codingPath: [])
        try encoder.store(value)
        return encoder.result.value
    }
}

/// A JSON value under construction: objects and arrays are filled in place by their containers.
final class Slot {
    enum Content {
        case value(JSONValue)
        case object([(String, Slot)])
        case array([Slot])
    }

    var content: Content = .value(.null)

    var value: JSONValue {
        switch content {
        case let .value(value): value
        case let .object(fields): .object(fields.map { ($0.0, $0.1.value) })
        case let .array(items): .array(items.map(\.value))
        }
    }

    func field(_ key: String) -> Slot {
        if case let .object(fields) = content, let existing = fields.first(where: { $0.0 == key }) { return existing.1 }
        let slot = Slot()
        if case var .object(fields) = content {
            fields.append((key, slot))
            content = .object(fields)
        } else {
            content = .object([(key, slot)])
        }
        return slot
    }

    func append() -> Slot {
        let slot = Slot()
        if case var .array(items) = content {
            items.append(slot)
            content = .array(items)
        } else {
            content = .array([slot])
        }
        return slot
    }
}

final class ValueEncoder: Encoder {
    let codingPath: [CodingKey]
    let result: Slot
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [CodingKey], result: Slot = Slot()) {
        self.codingPath = codingPath
        self.result = result
    }

    func store<T: Encodable>(_ value: T) throws {
        if let json = value as? JSONValue {
            result.content = .value(json)
        } else {
            try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = result.content {} else { result.content = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .array = result.content {} else { result.content = .array([]) }
        return UnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleContainer(encoder: self) }

    static func scalar<T: Encodable>(_ value: T) -> JSONValue? {
        switch value {
        case let value as Bool: .bool(value)
        case let value as String: .string(value)
        case let value as Int: .number(String(value))
        case let value as Int8: .number(String(value))
        case let value as Int16: .number(String(value))
        case let value as Int32: .number(String(value))
        case let value as Int64: .number(String(value))
        case let value as UInt: .number(String(value))
        case let value as UInt8: .number(String(value))
        case let value as UInt16: .number(String(value))
        case let value as UInt32: .number(String(value))
        case let value as UInt64: .number(String(value))
        case let value as Double: .number(String(value))
        case let value as Float: .number(String(value))
        default: nil
        }
    }

    func encodeValue<T: Encodable>(_ value: T, into slot: Slot, key: CodingKey?) throws {
        if let scalar = Self.scalar(value) {
            slot.content = .value(scalar)
            return
        }
        let nested = ValueEncoder(codingPath: key.map { codingPath + [$0] } ?? codingPath, result: slot)
        try nested.store(value)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: ValueEncoder
        var codingPath: [CodingKey] { encoder.codingPath }

        mutating func encodeNil(forKey key: Key) throws { encoder.result.field(key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try encoder.encodeValue(value, into: encoder.result.field(key.stringValue), key: key)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            ValueEncoder(codingPath: codingPath + [key], result: encoder.result.field(key.stringValue)).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            ValueEncoder(codingPath: codingPath + [key], result: encoder.result.field(key.stringValue)).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(codingPath: codingPath, result: encoder.result.field("super")) }
        mutating func superEncoder(forKey key: Key) -> Encoder {
            ValueEncoder(codingPath: codingPath + [key], result: encoder.result.field(key.stringValue))
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let encoder: ValueEncoder
        var codingPath: [CodingKey] { encoder.codingPath }
        var count: Int {
            if case let .array(items) = encoder.result.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws { encoder.result.append().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: encoder.result.append(), key: nil) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            ValueEncoder(codingPath: codingPath, result: encoder.result.append()).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            ValueEncoder(codingPath: codingPath, result: encoder.result.append()).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(codingPath: codingPath, result: encoder.result.append()) }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let encoder: ValueEncoder
        var codingPath: [CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.result.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value, into: encoder.result, key: nil) }
    }
}
