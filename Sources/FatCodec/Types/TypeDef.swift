/// The shape of a type, as scale-info's portable registry describes it. Types refer to each other
/// by id in the registry that holds them.
public indirect enum TypeDef: Sendable, Equatable {
    case primitive(Primitive)
    case compact(Int)
    case sequence(Int)
    case array(length: Int, element: Int)
    case tuple([Int])
    case composite([Field])
    case variant([Variant])
    case bitSequence

    public enum Primitive: String, Sendable, CaseIterable {
        case bool, char, str, u8, u16, u32, u64, u128, u256, i8, i16, i32, i64, i128, i256
    }

    public struct Field: Sendable, Equatable {
        public let name: String?
        public let type: Int
        public let typeName: String?

        public init(name: String?, type: Int, typeName: String? = nil) {
            self.name = name
            self.type = type
            self.typeName = typeName
        }
    }

    public struct Variant: Sendable, Equatable {
        public let name: String
        public let index: UInt8
        public let fields: [Field]

        public init(name: String, index: UInt8, fields: [Field]) {
            self.name = name
            self.index = index
            self.fields = fields
        }
    }
}

/// A type in a registry: its definition, its path (e.g. ["ink_primitives", "types", "AccountId"])
/// and its generic parameters.
public struct PortableType: Sendable, Equatable {
    public let id: Int
    public let path: [String]
    public let params: [Int?]
    public let def: TypeDef

    public init(id: Int, path: [String] = [], params: [Int?] = [], def: TypeDef) {
        self.id = id
        self.path = path
        self.params = params
        self.def = def
    }
}
