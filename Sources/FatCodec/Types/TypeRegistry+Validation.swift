/// The checks that make a registry safe to walk. Walks themselves are bounded wherever they go
/// (type names by a budget, JSON ⇄ SCALE by a depth and, when decoding, a budget of values),
/// so recursive types that have finite values — an enum with a `Box<Self>` variant, a `Vec<Self>`
/// — are accepted, as ink! produces them; these checks refuse what no value can satisfy.
extension TypeRegistry {
    /// The largest fixed-size array a registry may declare (`[T; N]`).
    public static let maxArrayLength = 1 << 16
    /// How deep a native signature may nest types.
    public static let maxNesting = 48

    /// Refuses a registry that refers to types it lacks, declares an array longer than
    /// `maxArrayLength`, or has a type that contains itself with no way out (a struct, tuple or
    /// array holding itself, directly or through others, with no enum variant or sequence to
    /// stop at): no finite value has such a type, and no walk of one ends. The error names the
    /// type ids.
    public func validate() throws {
        for type in types.values.sorted(by: { $0.id < $1.id }) {
            if case let .array(length, _) = type.def, !(0 ... Self.maxArrayLength).contains(length) {
                throw MetadataError("type \(type.id) is an array of \(length) elements; at most \(Self.maxArrayLength) are allowed")
            }
            for child in type.def.children where types[child] == nil {
                throw MetadataError("type \(type.id) refers to type \(child), which the registry lacks")
            }
        }
        let finite = finiteTypes()
        guard finite.count < types.count else { return }
        // Among the types without a finite value, peel off those that only lead to types without
        // any value at all (an empty enum); what remains lies on, or leads to, a cycle.
        var remaining = Set(types.keys).subtracting(finite)
        var outDegree: [Int: Int] = [:]
        var parents: [Int: [Int]] = [:]
        for id in remaining {
            let children = types[id]!.def.children.filter { remaining.contains($0) }
            outDegree[id] = children.count
            for child in children { parents[child, default: []].append(id) }
        }
        var leaves = remaining.filter { outDegree[$0] == 0 }
        while let leaf = leaves.popFirst() {
            remaining.remove(leaf)
            for parent in parents[leaf] ?? [] where remaining.contains(parent) {
                outDegree[parent]! -= 1
                if outDegree[parent] == 0 { leaves.insert(parent) }
            }
        }
        guard let start = remaining.min() else { return }
        // Every remaining type has a remaining child: following them must come back round.
        var path: [Int] = []
        var seen: [Int: Int] = [:]
        var current = start
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            current = types[current]!.def.children.filter { remaining.contains($0) }.min()!
        }
        let cycle = path[seen[current]!...] + [current]
        throw MetadataError(
            "type \(current) contains itself with no way out (\(cycle.map(String.init).joined(separator: " → "))): no finite value has this type")
    }

    /// The types that have a finite value: primitives and sequences (which may be empty); arrays
    /// of none or of a finite type; structs and tuples whose fields all are; enums with a variant
    /// whose fields all are. Computed from the leaves up, in time linear in the registry.
    private func finiteTypes() -> Set<Int> {
        // For each type, the count of parts still unknown: one counter for a struct, tuple, array
        // or compact; one per variant for an enum (any variant reaching 0 suffices).
        var pending: [Int: [Int]] = [:]
        var parents: [Int: [(parent: Int, slot: Int)]] = [:]
        var queue: [Int] = []
        var finite = Set<Int>()
        func settle(_ id: Int) {
            if finite.insert(id).inserted { queue.append(id) }
        }
        for type in types.values {
            switch type.def {
            case .primitive, .bitSequence, .sequence:
                settle(type.id)
            case let .array(length, element) where length > 0:
                pending[type.id] = [1]
                parents[element, default: []].append((type.id, 0))
            case .array:
                settle(type.id)
            case let .compact(inner):
                pending[type.id] = [1]
                parents[inner, default: []].append((type.id, 0))
            case let .tuple(elements):
                if elements.isEmpty {
                    settle(type.id)
                    continue
                }
                pending[type.id] = [elements.count]
                for element in elements { parents[element, default: []].append((type.id, 0)) }
            case let .composite(fields):
                if fields.isEmpty {
                    settle(type.id)
                    continue
                }
                pending[type.id] = [fields.count]
                for field in fields { parents[field.type, default: []].append((type.id, 0)) }
            case let .variant(variants):
                if variants.contains(where: { $0.fields.isEmpty }) {
                    settle(type.id)
                    continue
                }
                pending[type.id] = variants.map(\.fields.count)
                for (slot, variant) in variants.enumerated() {
                    for field in variant.fields { parents[field.type, default: []].append((type.id, slot)) }
                }
            }
        }
        var index = 0
        while index < queue.count {
            let id = queue[index]
            index += 1
            for (parent, slot) in parents[id] ?? [] where !finite.contains(parent) {
                pending[parent]![slot] -= 1
                if pending[parent]![slot] == 0 { settle(parent) }
            }
        }
        return finite
    }
}

extension TypeDef {
    /// The types this definition refers to directly.
    var children: [Int] {
        switch self {
        case .primitive, .bitSequence: []
        case let .compact(inner): [inner]
        case let .sequence(element): [element]
        case let .array(_, element): [element]
        case let .tuple(elements): elements
        case let .composite(fields): fields.map(\.type)
        case let .variant(variants): variants.flatMap { $0.fields.map(\.type) }
        }
    }
}
