/// Converts between JSON values and SCALE bytes through a type registry.
///
/// JSON conventions: integers as numbers or decimal strings (or "0x" hex), written back as numbers
/// up to 2^53 - 1 and as decimal strings beyond; AccountId and byte arrays/vectors as "0x" hex
/// (an AccountId may also be a name `resolveAccount` knows); Option as null or the value; Result
/// as {"Ok": v} or {"Err": e}; other enums as the variant name (unit) or {"Name": fields};
/// structs as objects by field name, tuples and tuple structs as arrays.
public struct ValueCodec {
    public let registry: TypeRegistry
    let resolveAccount: (String) -> [UInt8]?

    public init(registry: TypeRegistry, resolveAccount: @escaping (String) -> [UInt8]? = { _ in nil }) {
        self.registry = registry
        self.resolveAccount = resolveAccount
    }

    // MARK: Messages

    /// SCALE-encodes `args` (a JSON array in order, or an object by argument name) for `message`.
    public func encodeArguments(_ args: JSONValue, for message: MessageSpec) throws -> [UInt8] {
        var expected: String { message.args.prefix(16).map { "\($0.label): \(registry.typeName($0.type))" }.joined(separator: ", ") }
        let values: [JSONValue]
        switch args {
        case .null:
            values = []
        case let .array(list):
            values = list
        case let .object(fields):
            let unknown = fields.map(\.0).filter { name in !message.args.contains { $0.label == name } }
            guard unknown.isEmpty else {
                throw ValueError("`\(message.label)` has no argument \(unknown.map { "`\($0)`" }.joined(separator: ", ")); it takes (\(expected))")
            }
            values = try message.args.map { arg in
                guard let value = fields.first(where: { $0.0 == arg.label })?.1 else {
                    throw ValueError("`\(message.label)` needs argument `\(arg.label)`; it takes (\(expected))")
                }
                return value
            }
        default:
            throw ValueError("arguments of `\(message.label)` must be a JSON array or an object; it takes (\(expected))")
        }
        guard values.count == message.args.count else {
            throw ValueError(
                "`\(message.label)` takes \(message.args.count) argument\(message.args.count == 1 ? "" : "s") (\(expected)), got \(values.count)")
        }
        var encoder = ScaleEncoder()
        for (arg, value) in zip(message.args, values) {
            do { try encode(value, as: arg.type, into: &encoder, path: arg.label) } catch let error as ValueError {
                throw ValueError("argument `\(arg.label)` of `\(message.label)`: \(error.message)")
            }
        }
        return encoder.bytes
    }

    /// Decodes a message's output with its return type; the whole output must be consumed.
    public func decodeReturn(_ bytes: [UInt8], for message: MessageSpec) throws -> JSONValue {
        guard let type = message.returnType else {
            guard bytes.isEmpty else { throw ValueError("`\(message.label)` returns nothing but answered \(bytes.count) bytes") }
            return .null
        }
        var decoder = ScaleDecoder(bytes)
        let value = try decode(&decoder, as: type)
        guard decoder.isAtEnd else { throw ValueError("\(decoder.remaining) bytes left over after the return value of `\(message.label)`") }
        return value
    }

    /// Decodes an event: ink! 5 events are found by their signature topic, older ones by their
    /// first data byte (the event's index). Returns {"name": …, "fields": {…}}.
    public func decodeEvent(data: [UInt8], topics: [[UInt8]], metadata: ContractMetadata) throws -> JSONValue {
        var decoder = ScaleDecoder(data)
        let event: EventSpec
        if metadata.metadataVersion >= 5 {
            guard
                let match = metadata.events.first(where: { $0.signatureTopic != nil && $0.signatureTopic == topics.first })
                    ?? metadata.events.first(where: { $0.signatureTopic == nil })
            else {
                throw ValueError("no event of \(metadata.name) has this signature topic")
            }
            event = match
        } else {
            let index = Int(try decoder.readU8())
            guard index < metadata.events.count else { throw ValueError("\(metadata.name) has no event #\(index)") }
            event = metadata.events[index]
        }
        var fields: [(String, JSONValue)] = []
        for arg in event.args { fields.append((arg.label, try decode(&decoder, as: arg.type))) }
        guard decoder.isAtEnd else { throw ValueError("event \(event.label) has \(decoder.remaining) bytes left over") }
        return .object([("name", .string(event.label)), ("fields", .object(fields))])
    }

    // MARK: Values

    public func encode(_ value: JSONValue, as type: Int) throws -> [UInt8] {
        var encoder = ScaleEncoder()
        try encode(value, as: type, into: &encoder, path: "value")
        return encoder.bytes
    }

    func encode(_ value: JSONValue, as id: Int, into encoder: inout ScaleEncoder, path: String, depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw ValueError("\(path): value nested more than \(Self.maxDepth) levels deep") }
        guard let type = registry.resolve(id) else { throw ValueError("unknown type \(id)") }
        var name: String { registry.typeName(id) }
        func mismatch() -> ValueError { ValueError("expected \(name), got \(value.serialized().prefix(80))") }

        if registry.isAccountId(id) {
            guard case let .string(text) = value else { throw mismatch() }
            if let bytes = Self.hex(text), bytes.count == 32 {
                encoder.appendBytes(bytes)
                return
            }
            if let bytes = resolveAccount(text), bytes.count == 32 {
                encoder.appendBytes(bytes)
                return
            }
            throw ValueError("expected an AccountId (0x followed by 64 hex digits, or a key name), got \"\(text)\"")
        }
        if let inner = registry.optionArgument(id) {
            if value == .null {
                encoder.append(UInt8(0))
                return
            }
            encoder.append(UInt8(1))
            try encode(value, as: inner, into: &encoder, path: path, depth: depth + 1)
            return
        }
        switch type.def {
        case let .primitive(primitive):
            try encodePrimitive(value, primitive, into: &encoder, name: name)
        case let .compact(inner):
            guard case let .primitive(primitive)? = registry.resolve(inner)?.def else { throw ValueError("compact of a non-integer type") }
            let number = try integer(value, name: name)
            guard number >= BigInteger(0), let bits = Self.bits(primitive), bits <= 128, number < Self.limit(bits: bits),
                let unsigned = number.uint128
            else { throw ValueError("\(number) is out of range for \(name)") }
            encoder.appendCompact(unsigned)
        case let .sequence(element):
            if registry.isByteSequence(id), case let .string(text) = value {
                guard let bytes = Self.hex(text) else { throw ValueError("expected 0x-prefixed hex for \(name)") }
                encoder.appendByteVector(bytes)
                return
            }
            guard case let .array(items) = value else { throw mismatch() }
            encoder.appendCompact(UInt128(items.count))
            for (index, item) in items.enumerated() { try encode(item, as: element, into: &encoder, path: "\(path)[\(index)]", depth: depth + 1) }
        case let .array(length, element):
            if registry.byteArrayLength(id) != nil, case let .string(text) = value {
                guard let bytes = Self.hex(text), bytes.count == length else {
                    throw ValueError("expected \(length) bytes of 0x-prefixed hex for \(name)")
                }
                encoder.appendBytes(bytes)
                return
            }
            guard case let .array(items) = value, items.count == length else { throw mismatch() }
            for (index, item) in items.enumerated() { try encode(item, as: element, into: &encoder, path: "\(path)[\(index)]", depth: depth + 1) }
        case let .tuple(elements):
            // `()` decodes as null; it encodes from null (or an empty array) too.
            if elements.isEmpty, value == .null { return }
            guard case let .array(items) = value, items.count == elements.count else { throw mismatch() }
            for (index, (item, element)) in zip(items, elements).enumerated() {
                try encode(item, as: element, into: &encoder, path: "\(path).\(index)", depth: depth + 1)
            }
        case let .composite(fields):
            if registry.byteArrayLength(id) != nil, case .string = value, fields.count == 1 {
                try encode(value, as: fields[0].type, into: &encoder, path: path, depth: depth + 1)
                return
            }
            try encodeFields(value, fields, into: &encoder, path: path, name: name, depth: depth)
        case let .variant(variants):
            let chosen: TypeDef.Variant
            var payload = JSONValue.array([])
            switch value {
            case let .string(text):
                guard let match = variants.first(where: { $0.name == text }) else {
                    throw ValueError("\(name) has no variant `\(text)` (variants: \(variants.map(\.name).joined(separator: ", ")))")
                }
                chosen = match
            case let .object(entries) where entries.count == 1:
                guard let match = variants.first(where: { $0.name == entries[0].0 }) else {
                    throw ValueError("\(name) has no variant `\(entries[0].0)` (variants: \(variants.map(\.name).joined(separator: ", ")))")
                }
                chosen = match
                payload = entries[0].1
            default:
                throw mismatch()
            }
            encoder.append(chosen.index)
            if chosen.fields.count == 1, chosen.fields[0].name == nil {
                try encode(payload, as: chosen.fields[0].type, into: &encoder, path: "\(path).\(chosen.name)", depth: depth + 1)
            } else if !chosen.fields.isEmpty {
                try encodeFields(payload, chosen.fields, into: &encoder, path: "\(path).\(chosen.name)", name: chosen.name, depth: depth)
            }
        case .bitSequence:
            throw ValueError("bit sequences are not supported as JSON input")
        }
    }

    private func encodeFields(
        _ value: JSONValue, _ fields: [TypeDef.Field], into encoder: inout ScaleEncoder, path: String, name: String,
        depth: Int
    ) throws {
        let named = fields.allSatisfy { $0.name != nil }
        switch value {
        case let .object(entries) where named:
            for field in fields {
                guard let item = entries.first(where: { $0.0 == field.name })?.1 else {
                    throw ValueError("\(name) needs field `\(field.name ?? "")`")
                }
                try encode(item, as: field.type, into: &encoder, path: "\(path).\(field.name ?? "")", depth: depth + 1)
            }
        case let .array(items) where items.count == fields.count:
            for (item, field) in zip(items, fields) { try encode(item, as: field.type, into: &encoder, path: path, depth: depth + 1) }
        default:
            if fields.count == 1 {
                try encode(value, as: fields[0].type, into: &encoder, path: path, depth: depth + 1)
                return
            }
            throw ValueError("expected \(name) as \(named ? "an object" : "an array") of \(fields.count) fields")
        }
    }

    static func bits(_ primitive: TypeDef.Primitive) -> Int? {
        switch primitive {
        case .u8, .i8: 8
        case .u16, .i16: 16
        case .u32, .i32: 32
        case .u64, .i64: 64
        case .u128, .i128: 128
        default: nil
        }
    }

    static func limit(bits: Int) -> BigInteger { BigInteger(1) << bits }

    private func integer(_ value: JSONValue, name: String) throws -> BigInteger {
        let text: String
        switch value {
        case let .number(number): text = number
        case let .string(string): text = string
        default: throw ValueError("expected \(name) (an integer), got \(value.serialized().prefix(40))")
        }
        guard let number = BigInteger(text) else { throw ValueError("expected \(name) (an integer), got \(value.serialized().prefix(40))") }
        return number
    }

    private func encodePrimitive(_ value: JSONValue, _ primitive: TypeDef.Primitive, into encoder: inout ScaleEncoder, name: String) throws {
        switch primitive {
        case .bool:
            guard case let .bool(flag) = value else { throw ValueError("expected bool (true or false), got \(value.serialized().prefix(40))") }
            encoder.appendBool(flag)
        case .str:
            guard case let .string(text) = value else { throw ValueError("expected String, got \(value.serialized().prefix(40))") }
            encoder.appendString(text)
        case .char:
            guard case let .string(text) = value, text.unicodeScalars.count == 1 else { throw ValueError("expected one character") }
            encoder.append(text.unicodeScalars.first!.value)
        case .u256, .i256:
            let number = try integer(value, name: name)
            let signed = primitive == .i256
            guard
                signed
                    ? (number >= -(BigInteger(1) << 255) && number < BigInteger(1) << 255)
                    : (number >= BigInteger(0) && number < BigInteger(1) << 256)
            else {
                throw ValueError("\(number) is out of range for \(name)")
            }
            encoder.appendBytes(number.twosComplementLittleEndian(bytes: 32))
        default:
            let bits = Self.bits(primitive)!
            let number = try integer(value, name: name)
            let signed = primitive.rawValue.hasPrefix("i")
            let low = signed ? -(BigInteger(1) << (bits - 1)) : BigInteger(0)
            let high = signed ? BigInteger(1) << (bits - 1) : BigInteger(1) << bits
            guard number >= low, number < high else { throw ValueError("\(number) is out of range for \(name)") }
            encoder.appendBytes(number.twosComplementLittleEndian(bytes: bits / 8))
        }
    }

    // MARK: Decoding

    /// Decodes one value of type `id`. The work is bounded by the input: each value decoded
    /// costs one unit of a budget of `decoder.remaining + 4096`, so types that take no bytes
    /// (`()`, `[(); N]`) cannot make a few bytes decode into an unbounded document.
    public func decode(_ decoder: inout ScaleDecoder, as id: Int) throws -> JSONValue {
        var budget = decoder.remaining + 4096
        return try decode(&decoder, as: id, depth: 0, budget: &budget)
    }

    /// Values nested deeper than this are refused by the encoder and the decoder.
    static let maxDepth = 64

    private func decode(_ decoder: inout ScaleDecoder, as id: Int, depth: Int, budget: inout Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw ValueError("value nested more than \(Self.maxDepth) levels deep") }
        budget -= 1
        guard budget >= 0 else { throw ValueError("the bytes decode into more values than they can hold (a type of empty parts repeated)") }
        guard let type = registry.resolve(id) else { throw ValueError("unknown type \(id)") }
        if registry.isAccountId(id) { return .string("0x" + Self.hexString(try decoder.readBytes(count: 32, what: "AccountId"))) }
        if let inner = registry.optionArgument(id) {
            switch try decoder.readU8() {
            case 0: return .null
            case 1: return try decode(&decoder, as: inner, depth: depth + 1, budget: &budget)
            case let tag: throw ScaleError("Option tag \(tag)", offset: decoder.offset - 1)
            }
        }
        switch type.def {
        case let .primitive(primitive):
            return try decodePrimitive(&decoder, primitive)
        case let .compact(inner):
            let start = decoder.offset
            let value = try decoder.readCompact()
            // A compact is as wide as its type: Compact<u32> holds no more than a u32.
            if case let .primitive(primitive)? = registry.resolve(inner)?.def, let bits = Self.bits(primitive), bits < 128,
                value >> bits != 0
            {
                throw ScaleError("compact integer \(value) does not fit \(registry.typeName(id))", offset: start)
            }
            return Self.number(BigInteger(value))
        case let .sequence(element):
            if registry.isByteSequence(id) { return .string("0x" + Self.hexString(try decoder.readByteVector())) }
            let count = try decoder.readLength()
            return .array(try (0 ..< count).map { _ in try decode(&decoder, as: element, depth: depth + 1, budget: &budget) })
        case let .array(length, element):
            if registry.byteArrayLength(id) == length { return .string("0x" + Self.hexString(try decoder.readBytes(count: length))) }
            return .array(try (0 ..< length).map { _ in try decode(&decoder, as: element, depth: depth + 1, budget: &budget) })
        case let .tuple(elements):
            if elements.isEmpty { return .null }
            return .array(try elements.map { try decode(&decoder, as: $0, depth: depth + 1, budget: &budget) })
        case let .composite(fields):
            if let length = registry.byteArrayLength(id) { return .string("0x" + Self.hexString(try decoder.readBytes(count: length))) }
            return try decodeFields(&decoder, fields, depth: depth, budget: &budget)
        case let .variant(variants):
            let start = decoder.offset
            let tag = try decoder.readU8()
            guard let variant = variants.first(where: { $0.index == tag }) else {
                throw ScaleError("\(registry.typeName(id)) has no variant with index \(tag)", offset: start)
            }
            if variant.fields.isEmpty {
                return registry.resultArguments(id) != nil ? .object([(variant.name, .null)]) : .string(variant.name)
            }
            return .object([(variant.name, try decodeFields(&decoder, variant.fields, depth: depth, budget: &budget))])
        case .bitSequence:
            throw ValueError("bit sequences are not supported")
        }
    }

    private func decodeFields(_ decoder: inout ScaleDecoder, _ fields: [TypeDef.Field], depth: Int, budget: inout Int) throws -> JSONValue {
        if fields.count == 1, fields[0].name == nil { return try decode(&decoder, as: fields[0].type, depth: depth + 1, budget: &budget) }
        if fields.allSatisfy({ $0.name != nil }), !fields.isEmpty {
            return .object(try fields.map { ($0.name ?? "", try decode(&decoder, as: $0.type, depth: depth + 1, budget: &budget)) })
        }
        return .array(try fields.map { try decode(&decoder, as: $0.type, depth: depth + 1, budget: &budget) })
    }

    private func decodePrimitive(_ decoder: inout ScaleDecoder, _ primitive: TypeDef.Primitive) throws -> JSONValue {
        switch primitive {
        case .bool: return .bool(try decoder.readBool())
        case .str: return .string(try decoder.readString())
        case .char:
            guard let scalar = Unicode.Scalar(try decoder.readU32()) else { throw ValueError("invalid char") }
            return .string(String(Character(scalar)))
        case .u256, .i256:
            return Self.number(BigInteger(littleEndian: try decoder.readBytes(count: 32), signed: primitive == .i256))
        default:
            let bits = Self.bits(primitive)!
            return Self.number(BigInteger(littleEndian: try decoder.readBytes(count: bits / 8), signed: primitive.rawValue.hasPrefix("i")))
        }
    }

    static func number(_ value: BigInteger) -> JSONValue {
        let safe = BigInteger(1) << 53
        return value < safe && value > -safe ? .number(value.description) : .string(value.description)
    }

    static func hex(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        let digits = Array(text.utf8.dropFirst(2))
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index ..< index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
