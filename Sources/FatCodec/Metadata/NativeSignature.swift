/// A native contract's declaration of one message, as its descriptor gives it.
public struct NativeMessageDecl: Sendable {
    public var name: String
    /// e.g. "increment(by: u32) -> u64"
    public var signature: String
    /// nil: derive from the name (first 4 bytes of BLAKE2b-256 of the name, as ink!).
    public var selector: [UInt8]?
    public var mutates: Bool
    public var isConstructor: Bool
    public var payable: Bool
    public var isDefault: Bool
    public var docs: [String]

    public init(
        name: String, signature: String, selector: [UInt8]? = nil, mutates: Bool, isConstructor: Bool = false,
        payable: Bool = false, isDefault: Bool = false, docs: [String] = []
    ) {
        self.name = name
        self.signature = signature
        self.selector = selector
        self.mutates = mutates
        self.isConstructor = isConstructor
        self.payable = payable
        self.isDefault = isDefault
        self.docs = docs
    }
}

extension ContractMetadata {
    /// Builds the model of a native contract from its message declarations. `selectorHash` is
    /// BLAKE2b-256 (FatCodec has no crypto of its own).
    public static func native(
        name: String, version: String, messages: [NativeMessageDecl],
        selectorHash: ([UInt8]) -> [UInt8]
    ) throws -> ContractMetadata {
        var registry = TypeRegistry()
        var metadata = ContractMetadata(name: name, version: version)
        var seen = Set<String>()
        for declaration in messages {
            var parser = SignatureParser(text: declaration.signature, registry: registry)
            let parsed: (name: String, args: [ArgSpec], returns: Int?)
            do { parsed = try parser.parseSignature() } catch let error as MetadataError {
                throw MetadataError("message `\(declaration.name)`: \(error.message)")
            }
            registry = parser.registry
            guard parsed.name == declaration.name else {
                throw MetadataError("message `\(declaration.name)` has the signature of `\(parsed.name)`: \(declaration.signature)")
            }
            guard seen.insert(declaration.name).inserted else { throw MetadataError("two messages are named `\(declaration.name)`") }
            let selector = declaration.selector ?? Array(selectorHash(Array(declaration.name.utf8)).prefix(4))
            guard selector.count == 4 else { throw MetadataError("message `\(declaration.name)` has a selector of \(selector.count) bytes") }
            let spec = MessageSpec(
                label: declaration.name, selector: selector, args: parsed.args, returnType: parsed.returns,
                mutates: declaration.mutates, payable: declaration.payable, isDefault: declaration.isDefault,
                docs: declaration.docs)
            if declaration.isConstructor { metadata.constructors.append(spec) } else { metadata.messages.append(spec) }
        }
        try registry.validate()
        metadata.registry = registry
        return metadata
    }
}

/// Parses "name(arg: Type, …) -> Type" with Rust/SCALE type syntax into registry types.
struct SignatureParser {
    let text: [Character]
    var index = 0
    var registry: TypeRegistry

    init(text: String, registry: TypeRegistry) {
        self.text = Array(text)
        self.registry = registry
    }

    func fail(_ message: String) -> MetadataError {
        MetadataError("\(message) at position \(index) of signature `\(String(text))`")
    }

    mutating func skipSpace() { while index < text.count, text[index].isWhitespace { index += 1 } }

    mutating func identifier() throws -> String {
        skipSpace()
        let start = index
        while index < text.count, text[index].isLetter || text[index].isNumber || text[index] == "_" { index += 1 }
        guard index > start else { throw fail("expected a name") }
        return String(text[start ..< index])
    }

    mutating func expect(_ character: Character) throws {
        skipSpace()
        guard index < text.count, text[index] == character else { throw fail("expected '\(character)'") }
        index += 1
    }

    mutating func peek(_ character: Character) -> Bool {
        skipSpace()
        return index < text.count && text[index] == character
    }

    mutating func parseSignature() throws -> (name: String, args: [ArgSpec], returns: Int?) {
        let name = try identifier()
        try expect("(")
        var args: [ArgSpec] = []
        if !peek(")") {
            repeat {
                if peek(",") { index += 1 }
                let label = try identifier()
                try expect(":")
                args.append(ArgSpec(label: label, type: try type()))
            } while peek(",")
        }
        try expect(")")
        var returns: Int?
        if peek("-") {
            try expect("-")
            try expect(">")
            returns = try type()
            if case .tuple([])? = registry.resolve(returns!)?.def { returns = nil }
        }
        skipSpace()
        guard index == text.count else { throw fail("unexpected text") }
        return (name, args, returns)
    }

    mutating func type(depth: Int = 0) throws -> Int {
        guard depth < TypeRegistry.maxNesting else { throw fail("types nested more than \(TypeRegistry.maxNesting) levels deep") }
        if peek("(") {
            index += 1
            var elements: [Int] = []
            if !peek(")") {
                repeat {
                    if peek(",") { index += 1 }
                    elements.append(try type(depth: depth + 1))
                } while peek(",")
            }
            try expect(")")
            return registry.add(def: .tuple(elements))
        }
        if peek("[") {
            index += 1
            let element = try type(depth: depth + 1)
            try expect(";")
            skipSpace()
            let start = index
            while index < text.count, text[index].isNumber { index += 1 }
            guard let length = Int(String(text[start ..< index])), length <= TypeRegistry.maxArrayLength else {
                throw fail("expected an array length of at most \(TypeRegistry.maxArrayLength)")
            }
            try expect("]")
            return registry.add(def: .array(length: length, element: element))
        }
        let name = try identifier()
        if let primitive = TypeDef.Primitive(rawValue: name), primitive != .str {
            return registry.add(def: .primitive(primitive))
        }
        switch name {
        case "String", "str":
            return registry.add(def: .primitive(.str))
        case "AccountId", "Hash":
            let bytes = registry.add(def: .array(length: 32, element: registry.add(def: .primitive(.u8))))
            return registry.add(path: ["fat", "types", name], def: .composite([TypeDef.Field(name: nil, type: bytes, typeName: "[u8; 32]")]))
        case "Vec":
            try expect("<")
            let element = try type(depth: depth + 1)
            try expect(">")
            return registry.add(def: .sequence(element))
        case "Option":
            try expect("<")
            let inner = try type(depth: depth + 1)
            try expect(">")
            return registry.add(
                path: ["Option"], params: [inner],
                def: .variant([
                    TypeDef.Variant(name: "None", index: 0, fields: []),
                    TypeDef.Variant(name: "Some", index: 1, fields: [TypeDef.Field(name: nil, type: inner)]),
                ]))
        case "Result":
            try expect("<")
            let ok = try type(depth: depth + 1)
            try expect(",")
            let err = try type(depth: depth + 1)
            try expect(">")
            return registry.add(
                path: ["Result"], params: [ok, err],
                def: .variant([
                    TypeDef.Variant(name: "Ok", index: 0, fields: [TypeDef.Field(name: nil, type: ok)]),
                    TypeDef.Variant(name: "Err", index: 1, fields: [TypeDef.Field(name: nil, type: err)]),
                ]))
        case "Compact":
            try expect("<")
            let inner = try type(depth: depth + 1)
            try expect(">")
            return registry.add(def: .compact(inner))
        default:
            throw fail(
                "unknown type `\(name)` (known: bool, u8..u128, i8..i128, String, AccountId, Hash, Vec<T>, [T; N], tuples, Option<T>, Result<T, E>, Compact<T>)"
            )
        }
    }
}
