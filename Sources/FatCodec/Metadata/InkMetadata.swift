extension ContractMetadata {
    /// Parses ink! metadata (a `.contract` bundle or a metadata `.json`) in any of the shapes ink!
    /// has produced: the `metadataVersion: "0.1.0"` documents of ink! 3 betas (1-based type ids),
    /// the `V1`/`V2`/`V3` wrappers, and `version` 4, 5 and 6.
    public static func parse(json bytes: [UInt8]) throws -> ContractMetadata {
        let root: JSONValue
        do { root = try JSONValue.parse(bytes) } catch { throw MetadataError("not JSON: \(error)") }
        guard case .object = root else { throw MetadataError("the metadata is not a JSON object") }
        var body = root
        var version = 0
        for (key, number) in [("V1", 1), ("V2", 2), ("V3", 3)] {
            if let inner = root[key] {
                body = inner
                version = number
            }
        }
        if let declared = root["version"] {
            switch declared {
            case let .string(text): version = Int(text) ?? version
            case let .number(text): version = Int(text) ?? version
            default: break
            }
        }
        guard let spec = body["spec"] else { throw MetadataError("the metadata has no `spec`") }
        guard let typeList = body["types"]?.arrayValue else { throw MetadataError("the metadata has no `types` list") }
        let registry = try parseTypes(typeList)
        try registry.validate()
        let contract = root["contract"]
        var metadata = ContractMetadata(
            name: contract?["name"]?.stringValue ?? "contract",
            version: contract?["version"]?.stringValue ?? "0.0.0",
            metadataVersion: version,
            language: root["source"]?["language"]?.stringValue ?? "ink!",
            registry: registry)
        if let hex = root["source"]?["wasm"]?.stringValue {
            guard let wasm = hexBytes(hex) else { throw MetadataError("source.wasm is not hex") }
            metadata.wasm = wasm
        }
        if let hash = root["source"]?["hash"]?.stringValue { metadata.codeHash = hexBytes(hash) }
        let langError = spec["lang_error"] != nil
        metadata.constructors = try (spec["constructors"]?.arrayValue ?? []).map {
            try parseMessage($0, registry: registry, constructor: true, langError: langError)
        }
        metadata.messages = try (spec["messages"]?.arrayValue ?? []).map {
            try parseMessage($0, registry: registry, constructor: false, langError: langError)
        }
        metadata.events = try (spec["events"]?.arrayValue ?? []).map { try parseEvent($0, registry: registry) }
        return metadata
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var digits = Substring(text)
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index ..< next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Labels are `label` (ink! 3.0+) or `name`, a string or a path array joined with `::`.
    private static func label(_ value: JSONValue) -> String? {
        if let text = value["label"]?.stringValue { return text }
        switch value["name"] {
        case let .string(text)?: return text
        case let .array(parts)?: return parts.compactMap(\.stringValue).joined(separator: "::")
        default: return nil
        }
    }

    /// A type reference: `{"type": N, "displayName": […]}` or a bare number.
    private static func typeRef(_ value: JSONValue?, registry: TypeRegistry, what: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        let id = value.intValue ?? value["type"]?.intValue
        guard let id else { throw MetadataError("\(what) has a malformed type reference") }
        guard registry.resolve(id) != nil else { throw MetadataError("\(what) refers to type \(id), which the registry lacks") }
        return id
    }

    private static func parseMessage(_ value: JSONValue, registry: TypeRegistry, constructor: Bool, langError: Bool) throws -> MessageSpec {
        guard let name = label(value) else { throw MetadataError("a \(constructor ? "constructor" : "message") has no label") }
        guard let selectorText = value["selector"]?.stringValue, let selector = hexBytes(selectorText), selector.count == 4 else {
            throw MetadataError("`\(name)` has no 4-byte selector")
        }
        let args = try (value["args"]?.arrayValue ?? []).map { arg -> ArgSpec in
            guard let argName = label(arg) else { throw MetadataError("an argument of `\(name)` has no label") }
            guard let type = try typeRef(arg["type"], registry: registry, what: "argument `\(argName)` of `\(name)`") else {
                throw MetadataError("argument `\(argName)` of `\(name)` has no type")
            }
            return ArgSpec(label: argName, type: type)
        }
        var returnType = try typeRef(value["returnType"], registry: registry, what: "the return type of `\(name)`")
        if let id = returnType, case .tuple([])? = registry.resolve(id)?.def { returnType = nil }
        let wrapped = langError && returnType.flatMap { registry.resultArguments($0) } != nil
        return MessageSpec(
            label: name, selector: selector, args: args, returnType: returnType,
            mutates: constructor || (value["mutates"]?.boolValue ?? false),
            payable: value["payable"]?.boolValue ?? false,
            isDefault: value["default"]?.boolValue ?? false,
            docs: value["docs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            returnsLangResult: wrapped)
    }

    private static func parseEvent(_ value: JSONValue, registry: TypeRegistry) throws -> EventSpec {
        guard let name = label(value) else { throw MetadataError("an event has no label") }
        let args = try (value["args"]?.arrayValue ?? []).map { arg -> EventArg in
            let argName = label(arg) ?? "_"
            guard let type = try typeRef(arg["type"], registry: registry, what: "field `\(argName)` of event `\(name)`") else {
                throw MetadataError("field `\(argName)` of event `\(name)` has no type")
            }
            return EventArg(label: argName, type: type, indexed: arg["indexed"]?.boolValue ?? false)
        }
        return EventSpec(
            label: name, args: args, signatureTopic: value["signature_topic"]?.stringValue.flatMap(hexBytes),
            docs: value["docs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// Types listed with explicit ids, or (older documents) in order with 1-based ids.
    private static func parseTypes(_ list: [JSONValue]) throws -> TypeRegistry {
        var types: [PortableType] = []
        for (position, entry) in list.enumerated() {
            let id = entry["id"]?.intValue ?? position + 1
            let type = entry["type"] ?? entry
            guard let def = type["def"] else { throw MetadataError("type \(id) has no `def`") }
            let path = type["path"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let params: [Int?] = (type["params"]?.arrayValue ?? []).map { $0.intValue ?? $0["type"]?.intValue }
            types.append(PortableType(id: id, path: path, params: params, def: try parseDef(def, id: id)))
        }
        return TypeRegistry(types: types)
    }

    private static func fields(_ value: JSONValue?) -> [TypeDef.Field] {
        (value?.arrayValue ?? []).compactMap { field in
            guard let type = field["type"]?.intValue else { return nil }
            return TypeDef.Field(name: field["name"]?.stringValue, type: type, typeName: field["typeName"]?.stringValue)
        }
    }

    private static func parseDef(_ def: JSONValue, id: Int) throws -> TypeDef {
        if let primitive = def["primitive"]?.stringValue {
            guard let known = TypeDef.Primitive(rawValue: primitive) else { throw MetadataError("type \(id) is an unknown primitive `\(primitive)`") }
            return .primitive(known)
        }
        if let composite = def["composite"] { return .composite(fields(composite["fields"])) }
        if let variant = def["variant"] {
            let variants = (variant["variants"]?.arrayValue ?? []).enumerated().map { position, entry in
                TypeDef.Variant(
                    name: entry["name"]?.stringValue ?? "_",
                    index: UInt8(truncatingIfNeeded: entry["index"]?.intValue ?? entry["discriminant"]?.intValue ?? position),
                    fields: fields(entry["fields"]))
            }
            return .variant(variants)
        }
        if let sequence = def["sequence"] {
            guard let element = sequence["type"]?.intValue else { throw MetadataError("type \(id): sequence without element type") }
            return .sequence(element)
        }
        if let array = def["array"] {
            guard let length = array["len"]?.intValue, let element = array["type"]?.intValue else {
                throw MetadataError("type \(id): malformed array")
            }
            return .array(length: length, element: element)
        }
        if let tuple = def["tuple"]?.arrayValue { return .tuple(tuple.compactMap(\.intValue)) }
        if let compact = def["compact"] {
            guard let inner = compact["type"]?.intValue else { throw MetadataError("type \(id): compact without type") }
            return .compact(inner)
        }
        if def["bitsequence"] != nil || def["bitSequence"] != nil { return .bitSequence }
        throw MetadataError("type \(id) has an unknown definition \(def.serialized().prefix(60))")
    }
}
