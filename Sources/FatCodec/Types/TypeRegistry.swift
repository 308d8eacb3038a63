/// A portable type registry: types by id. ink! metadata brings one; native signatures build one.
public struct TypeRegistry: Sendable {
    public private(set) var types: [Int: PortableType] = [:]

    public init() {}

    public init(types: [PortableType]) {
        for type in types { self.types[type.id] = type }
    }

    public func resolve(_ id: Int) -> PortableType? { types[id] }

    /// Adds a type with the next free id, reusing an identical one if present.
    @discardableResult
    public mutating func add(path: [String] = [], params: [Int?] = [], def: TypeDef) -> Int {
        if let existing = types.values.first(where: { $0.path == path && $0.def == def && $0.params == params }) { return existing.id }
        let id = (types.keys.max() ?? -1) + 1
        types[id] = PortableType(id: id, path: path, params: params, def: def)
        return id
    }

    /// A 32-byte account id: a composite over `[u8; 32]` whose path ends in AccountId.
    public func isAccountId(_ id: Int) -> Bool {
        guard let type = types[id], let last = type.path.last, last.hasPrefix("AccountId") else { return false }
        return byteArrayLength(id) == 32
    }

    /// The length when `id` is `[u8; N]` or a composite wrapping exactly one such field (through
    /// at most `maxNesting` wrappers).
    public func byteArrayLength(_ id: Int) -> Int? {
        var current = id
        for _ in 0 ... Self.maxNesting {
            guard let type = types[current] else { return nil }
            switch type.def {
            case let .array(length, element):
                if case .primitive(.u8)? = types[element]?.def { return length }
                return nil
            case let .composite(fields) where fields.count == 1:
                current = fields[0].type
            default:
                return nil
            }
        }
        return nil
    }

    public func isByteSequence(_ id: Int) -> Bool {
        if case let .sequence(element)? = types[id]?.def, case .primitive(.u8)? = types[element]?.def { return true }
        return false
    }

    /// The T of an `Option<T>` type.
    public func optionArgument(_ id: Int) -> Int? {
        guard let type = types[id], type.path.last == "Option", case let .variant(variants) = type.def,
            let some = variants.first(where: { $0.name == "Some" }), some.fields.count == 1
        else { return nil }
        return some.fields[0].type
    }

    /// The (T, E) of a `Result<T, E>` type.
    public func resultArguments(_ id: Int) -> (ok: Int, err: Int)? {
        guard let type = types[id], type.path.last == "Result", case let .variant(variants) = type.def,
            let ok = variants.first(where: { $0.name == "Ok" }), ok.fields.count == 1,
            let err = variants.first(where: { $0.name == "Err" }), err.fields.count == 1
        else { return nil }
        return (ok.fields[0].type, err.fields[0].type)
    }

    /// A readable Rust-like name: `u64`, `Vec<u8>`, `Option<AccountId>`, `(u8, bool)`, `Flipper`.
    /// Names longer than `maxNameLength` are cut and end in `…`; the work is bounded too, so
    /// even a registry built to make names grow exponentially is named at once.
    public func typeName(_ id: Int) -> String {
        var namer = Namer(registry: self, budget: 4 * Self.maxNameLength)
        let name = namer.name(id, depth: 0)
        if namer.cut || name.count > Self.maxNameLength { return String(name.prefix(Self.maxNameLength)) + "…" }
        return name
    }

    public static let maxNameLength = 240

    /// Names types while charging each part's length to a budget (a part is charged again in
    /// every name that contains it); once the budget is spent, parts are left out and `cut` is set.
    private struct Namer {
        let registry: TypeRegistry
        var budget: Int
        var cut = false

        mutating func name(_ id: Int, depth: Int) -> String {
            guard budget > 0 else {
                cut = true
                return ""
            }
            let text = bare(id, depth: depth)
            budget -= text.utf8.count
            return text
        }

        private mutating func list(_ children: [Int], depth: Int) -> String {
            var names: [String] = []
            for child in children {
                guard budget > 0 else {
                    cut = true
                    break
                }
                names.append(name(child, depth: depth + 1))
            }
            return names.joined(separator: ", ")
        }

        private mutating func bare(_ id: Int, depth: Int) -> String {
            guard depth < 16, let type = registry.types[id] else { return "?" }
            if registry.isAccountId(id) { return "AccountId" }
            if let inner = registry.optionArgument(id) { return "Option<\(name(inner, depth: depth + 1))>" }
            if let (ok, err) = registry.resultArguments(id) { return "Result<\(list([ok, err], depth: depth))>" }
            switch type.def {
            case let .primitive(primitive): return primitive == .str ? "String" : primitive.rawValue
            case let .compact(inner): return "Compact<\(name(inner, depth: depth + 1))>"
            case let .sequence(element): return "Vec<\(name(element, depth: depth + 1))>"
            case let .array(length, element): return "[\(name(element, depth: depth + 1)); \(length)]"
            case let .tuple(elements): return "(" + list(elements, depth: depth) + ")"
            case .bitSequence: return "BitVec"
            case .composite, .variant:
                let base = type.path.last ?? "anonymous"
                let params = list(type.params.compactMap { $0 }, depth: depth)
                return params.isEmpty ? base : "\(base)<\(params)>"
            }
        }
    }
}
