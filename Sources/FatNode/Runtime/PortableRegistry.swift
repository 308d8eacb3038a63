import FatCodec

/// A scale-info portable type registry, as runtime metadata carries it: each type gets an id in
/// the order it is first registered, and is described by its path, its generic parameters and
/// its definition. Registering a type that is already there (same path, parameters and
/// definition) answers the id it has.
struct PortableRegistry {
    enum Primitive: UInt8 {
        case bool = 0
        case char, str, u8, u16, u32, u64, u128, u256, i8, i16, i32, i64, i128, i256
    }

    struct Field: Equatable {
        var name: String?
        var type: UInt32
        var typeName: String?
    }

    struct Variant: Equatable {
        var name: String
        var fields: [Field]
        var index: UInt8
        var docs: [String] = []
    }

    indirect enum Definition: Equatable {
        case composite([Field])
        case variant([Variant])
        case sequence(UInt32)
        case array(length: UInt32, UInt32)
        case tuple([UInt32])
        case primitive(Primitive)
        case compact(UInt32)
    }

    struct PortableType: Equatable {
        var path: [String]
        var parameters: [(String, UInt32?)]
        var definition: Definition
        var docs: [String]

        static func == (lhs: PortableType, rhs: PortableType) -> Bool {
            lhs.path == rhs.path && lhs.definition == rhs.definition && lhs.parameters.map(\.0) == rhs.parameters.map(\.0)
                && lhs.parameters.map(\.1) == rhs.parameters.map(\.1)
        }
    }

    private(set) var types: [PortableType] = []

    /// Registers a type without a path (primitives, tuples, arrays, sequences, compacts).
    mutating func add(_ definition: Definition) -> UInt32 { add([], parameters: [], definition) }

    /// Registers a type (or finds it) and answers its id.
    mutating func add(_ path: [String], parameters: [(String, UInt32?)] = [], _ definition: Definition, docs: [String] = []) -> UInt32 {
        let type = PortableType(path: path, parameters: parameters, definition: definition, docs: docs)
        if let index = types.firstIndex(of: type) { return UInt32(index) }
        types.append(type)
        return UInt32(types.count - 1)
    }

    /// Reserves an id for a type whose definition refers to itself or to types registered after
    /// it (the runtime's call and event enums); `define` fills it in.
    mutating func reserve() -> UInt32 {
        types.append(PortableType(path: ["<reserved>"], parameters: [], definition: .tuple([]), docs: []))
        return UInt32(types.count - 1)
    }

    mutating func define(_ id: UInt32, _ path: [String], parameters: [(String, UInt32?)] = [], _ definition: Definition) {
        types[Int(id)] = PortableType(path: path, parameters: parameters, definition: definition, docs: [])
    }

    func encode(into encoder: inout ScaleEncoder) {
        encoder.appendCompact(UInt128(types.count))
        for (id, type) in types.enumerated() {
            encoder.appendCompact(UInt128(id))
            encoder.appendStrings(type.path)
            encoder.appendCompact(UInt128(type.parameters.count))
            for (name, parameter) in type.parameters {
                encoder.appendString(name)
                encoder.appendOptionalCompact(parameter)
            }
            switch type.definition {
            case let .composite(fields):
                encoder.append(UInt8(0))
                encoder.appendFields(fields)
            case let .variant(variants):
                encoder.append(UInt8(1))
                encoder.appendCompact(UInt128(variants.count))
                for variant in variants {
                    encoder.appendString(variant.name)
                    encoder.appendFields(variant.fields)
                    encoder.append(variant.index)
                    encoder.appendStrings(variant.docs)
                }
            case let .sequence(element):
                encoder.append(UInt8(2))
                encoder.appendCompact(UInt128(element))
            case let .array(length, element):
                encoder.append(UInt8(3))
                encoder.append(length)
                encoder.appendCompact(UInt128(element))
            case let .tuple(elements):
                encoder.append(UInt8(4))
                encoder.appendCompact(UInt128(elements.count))
                for element in elements { encoder.appendCompact(UInt128(element)) }
            case let .primitive(primitive):
                encoder.append(UInt8(5))
                encoder.append(primitive.rawValue)
            case let .compact(inner):
                encoder.append(UInt8(6))
                encoder.appendCompact(UInt128(inner))
            }
            encoder.appendStrings(type.docs)
        }
    }
}

extension ScaleEncoder {
    mutating func appendStrings(_ strings: [String]) {
        appendCompact(UInt128(strings.count))
        for string in strings { appendString(string) }
    }

    mutating func appendOptionalCompact(_ value: UInt32?) {
        if let value {
            append(UInt8(1))
            appendCompact(UInt128(value))
        } else {
            append(UInt8(0))
        }
    }

    mutating func appendOptionalString(_ value: String?) {
        if let value {
            append(UInt8(1))
            appendString(value)
        } else {
            append(UInt8(0))
        }
    }

    fileprivate mutating func appendFields(_ fields: [PortableRegistry.Field]) {
        appendCompact(UInt128(fields.count))
        for field in fields {
            appendOptionalString(field.name)
            appendCompact(UInt128(field.type))
            appendOptionalString(field.typeName)
            appendStrings([])
        }
    }
}
