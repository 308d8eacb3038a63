extension ContractMetadata {
    /// This description as an ink! 5 metadata document: what Substrate tools (polkadot.js,
    /// py-substrate-interface, Contracts UI) read to call a contract. A native contract described
    /// this way is called through the node face's `ContractsApi_call` and `Contracts.call` like an
    /// ink! one. Messages keep their own return types (a native message's output is the value
    /// itself, not ink!'s `Result<T, LangError>`); a message that returns nothing returns `()`.
    /// `source.hash` is the code hash, which tools key the contract's types by.
    public func inkDocument(codeHash: [UInt8]) -> JSONValue {
        var registry = self.registry
        let unit = registry.add(def: .tuple([]))
        let byteArray = registry.add(def: .array(length: 32, element: registry.add(def: .primitive(.u8))))
        let accountId = registry.add(
            path: ["ink_primitives", "types", "AccountId"], def: .composite([TypeDef.Field(name: nil, type: byteArray, typeName: "[u8; 32]")]))
        let hash = registry.add(
            path: ["ink_primitives", "types", "Hash"], def: .composite([TypeDef.Field(name: nil, type: byteArray, typeName: "[u8; 32]")]))
        let balance = registry.add(def: .primitive(.u128))
        let timestamp = registry.add(def: .primitive(.u64))
        let blockNumber = registry.add(def: .primitive(.u32))
        let noExtension = registry.add(path: ["ink_env", "types", "NoChainExtension"], def: .variant([]))

        func typeRef(_ id: Int) -> JSONValue {
            .object([("type", .number(String(id))), ("displayName", .array(displayName(id, registry).map { .string($0) }))])
        }
        func argument(_ arg: ArgSpec) -> JSONValue { .object([("label", .string(arg.label)), ("type", typeRef(arg.type))]) }
        func hex(_ bytes: [UInt8]) -> JSONValue { .string("0x" + bytes.map { String(format2: $0) }.joined()) }
        func docs(_ lines: [String]) -> JSONValue { .array(lines.map { .string($0) }) }

        let constructors = self.constructors.map { spec in
            JSONValue.object([
                ("label", .string(spec.label)), ("selector", hex(spec.selector)), ("payable", .bool(spec.payable)),
                ("args", .array(spec.args.map(argument))), ("returnType", typeRef(spec.returnType ?? unit)), ("docs", docs(spec.docs)),
                ("default", .bool(spec.isDefault)),
            ])
        }
        let messages = self.messages.map { spec in
            JSONValue.object([
                ("label", .string(spec.label)), ("selector", hex(spec.selector)), ("mutates", .bool(spec.mutates)), ("payable", .bool(spec.payable)),
                ("args", .array(spec.args.map(argument))), ("returnType", typeRef(spec.returnType ?? unit)), ("docs", docs(spec.docs)),
                ("default", .bool(spec.isDefault)),
            ])
        }
        let events = self.events.map { event in
            JSONValue.object([
                ("label", .string(event.label)), ("module_path", .string(name)),
                ("signature_topic", event.signatureTopic.map(hex) ?? .null),
                (
                    "args",
                    .array(
                        event.args.map { arg in
                            .object([
                                ("label", .string(arg.label)), ("indexed", .bool(arg.indexed)), ("type", typeRef(arg.type)), ("docs", .array([])),
                            ])
                        })
                ),
                ("docs", docs(event.docs)),
            ])
        }
        let environment = JSONValue.object([
            ("accountId", typeRef(accountId)), ("balance", typeRef(balance)), ("hash", typeRef(hash)), ("timestamp", typeRef(timestamp)),
            ("blockNumber", typeRef(blockNumber)), ("chainExtension", typeRef(noExtension)), ("maxEventTopics", .number("4")),
            ("staticBufferSize", .number("16384")),
        ])
        let types = registry.types.keys.sorted().map { id -> JSONValue in
            let type = registry.types[id]!
            var fields: [(String, JSONValue)] = []
            if !type.path.isEmpty { fields.append(("path", .array(type.path.map { .string($0) }))) }
            if !type.params.isEmpty {
                let names = type.path.last == "Result" ? ["T", "E"] : type.params.indices.map { $0 == 0 ? "T" : "T\($0)" }
                fields.append(
                    (
                        "params",
                        .array(
                            zip(names, type.params).map { name, param in
                                .object([("name", .string(name)), ("type", param.map { .number(String($0)) } ?? .null)])
                            })
                    ))
            }
            fields.append(("def", definition(type.def)))
            return .object([("id", .number(String(id))), ("type", .object(fields))])
        }
        return .object([
            (
                "source",
                .object([
                    ("hash", hex(codeHash)), ("language", .string(language == "native" ? "C (FatContract native ABI)" : language)),
                    ("compiler", .string("fat")),
                ])
            ),
            ("contract", .object([("name", .string(name)), ("version", .string(version)), ("authors", .array([]))])),
            ("version", .number("5")),
            ("types", .array(types)),
            (
                "storage",
                .object([
                    (
                        "root",
                        .object([
                            ("root_key", .string("0x00000000")),
                            ("layout", .object([("struct", .object([("name", .string(name)), ("fields", .array([]))]))])),
                        ])
                    )
                ])
            ),
            (
                "spec",
                .object([
                    ("constructors", .array(constructors)), ("messages", .array(messages)), ("events", .array(events)), ("docs", .array([])),
                    ("environment", environment),
                ])
            ),
        ])
    }

    private func definition(_ def: TypeDef) -> JSONValue {
        func field(_ field: TypeDef.Field) -> JSONValue {
            var parts: [(String, JSONValue)] = []
            if let name = field.name { parts.append(("name", .string(name))) }
            parts.append(("type", .number(String(field.type))))
            if let typeName = field.typeName { parts.append(("typeName", .string(typeName))) }
            return .object(parts)
        }
        switch def {
        case let .primitive(primitive): return .object([("primitive", .string(primitive.rawValue))])
        case let .compact(inner): return .object([("compact", .object([("type", .number(String(inner)))]))])
        case let .sequence(element): return .object([("sequence", .object([("type", .number(String(element)))]))])
        case let .array(length, element):
            return .object([("array", .object([("len", .number(String(length))), ("type", .number(String(element)))]))])
        case let .tuple(elements): return .object([("tuple", .array(elements.map { .number(String($0)) }))])
        case let .composite(fields): return .object([("composite", .object([("fields", .array(fields.map(field)))]))])
        case let .variant(variants):
            return .object([
                (
                    "variant",
                    .object([
                        (
                            "variants",
                            .array(
                                variants.map { variant in
                                    .object([
                                        ("name", .string(variant.name)), ("fields", .array(variant.fields.map(field))),
                                        ("index", .number(String(variant.index))),
                                    ])
                                })
                        )
                    ])
                )
            ])
        case .bitSequence: return .object([("bitsequence", .object([]))])
        }
    }
}

/// The display name ink! metadata gives a type reference: its path's last segment, else its
/// Rust-like name.
private func displayName(_ id: Int, _ registry: TypeRegistry) -> [String] {
    guard let type = registry.resolve(id) else { return [] }
    if let last = type.path.last { return [last] }
    return [registry.typeName(id)]
}

extension String {
    fileprivate init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }
}
