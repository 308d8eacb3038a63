import FatCodec

/// A contract's or a code's messages, selectors, argument and return types (`fat inspect`,
/// `GET /v1/contracts/{address}`).
public struct ContractDescription: Answer {
    public var ok = true
    /// Present when a deployed contract is described (not for code alone).
    public var address: Hex?
    public let name: String
    public let version: String
    public let kind: String
    public let codeHash: Hex
    @ExplicitNull public var metadataHash: Hex?
    public let metadataVersion: Int
    public let constructors: [Message]
    public let messages: [Message]
    public let events: [Event]

    public struct Parameter: Codable, Sendable, Equatable {
        public let name: String
        public let type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public struct Message: Codable, Sendable, Equatable {
        public let name: String
        public let selector: Hex
        public let args: [Parameter]
        @ExplicitNull public var returns: String?
        public let mutates: Bool
        public let payable: Bool

        public init(name: String, selector: Hex, args: [Parameter], returns: String?, mutates: Bool, payable: Bool) {
            self.name = name
            self.selector = selector
            self.args = args
            self.returns = returns
            self.mutates = mutates
            self.payable = payable
        }
    }

    public struct Event: Codable, Sendable, Equatable {
        public struct Field: Codable, Sendable, Equatable {
            public let name: String
            public let type: String
            public let indexed: Bool

            public init(name: String, type: String, indexed: Bool) {
                self.name = name
                self.type = type
                self.indexed = indexed
            }
        }

        public let name: String
        public let args: [Field]

        public init(name: String, args: [Field]) {
            self.name = name
            self.args = args
        }
    }

    enum CodingKeys: String, CodingKey {
        case ok, address, name, version, kind
        case codeHash = "code_hash"
        case metadataHash = "metadata_hash"
        case metadataVersion = "metadata_version"
        case constructors, messages, events
    }

    public init(
        address: Hex?, name: String, version: String, kind: String, codeHash: Hex, metadataHash: Hex?, metadataVersion: Int,
        constructors: [Message], messages: [Message], events: [Event]
    ) {
        self.address = address
        self.name = name
        self.version = version
        self.kind = kind
        self.codeHash = codeHash
        self.metadataHash = metadataHash
        self.metadataVersion = metadataVersion
        self.constructors = constructors
        self.messages = messages
        self.events = events
    }

    /// A message by its name (or its last path component: `Flipper::flip` answers to `flip`).
    public func message(_ name: String) -> Message? {
        messages.first { $0.name == name || $0.name.hasSuffix("::" + name) }
    }

    public var text: String {
        var lines = ["\(name) \(version) (\(kind), code \(codeHash))"]
        for (spec, role) in constructors.map({ ($0, "constructor") }) + messages.map({ ($0, $0.mutates ? "command" : "query") }) {
            let args = spec.args.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            lines.append("  \(role) \(spec.name)(\(args))\(spec.returns.map { " -> " + $0 } ?? "")  [\(spec.selector)]")
        }
        return lines.joined(separator: "\n")
    }
}

/// Code staged for an upload or deploy command (`POST /v1/code`): its hashes, and for Wasm its
/// description and, when asked, the encoded constructor input.
public struct StagedCode: Answer {
    public let kind: String
    public let codeHash: Hex
    public let metadataHash: Hex?
    /// Wasm only: validated and compiled, so it can be described.
    public let description: ContractDescription?
    /// When a constructor or arguments were sent: the constructor chosen and its encoded input.
    public let constructor: String?
    public let input: Hex?

    enum CodingKeys: String, CodingKey {
        case ok, kind
        case codeHash = "code_hash"
        case metadataHash = "metadata_hash"
        case staged, constructor, input
    }

    public init(kind: String, codeHash: Hex, metadataHash: Hex?, description: ContractDescription?, constructor: String?, input: Hex?) {
        self.kind = kind
        self.codeHash = codeHash
        self.metadataHash = metadataHash
        self.description = description
        self.constructor = constructor
        self.input = input
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind)
        codeHash = try container.decode(Hex.self, forKey: .codeHash)
        metadataHash = try container.decode(ExplicitNull<Hex>.self, forKey: .metadataHash).wrappedValue
        let described = try decoder.container(keyedBy: ContractDescription.CodingKeys.self)
        description = described.contains(.name) ? try ContractDescription(from: decoder) : nil
        constructor = try container.decodeIfPresent(String.self, forKey: .constructor)
        input = try container.decodeIfPresent(Hex.self, forKey: .input)
    }

    /// Native: `ok, kind, code_hash, metadata_hash, staged`; Wasm: the description's fields, then
    /// `staged` and (when asked) `constructor` and `input`.
    public func encode(to encoder: Encoder) throws {
        if let description {
            try description.encode(to: encoder)
        } else {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(true, forKey: .ok)
            try container.encode(kind, forKey: .kind)
            try container.encode(codeHash, forKey: .codeHash)
            try container.encode(ExplicitNull(wrappedValue: metadataHash), forKey: .metadataHash)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(true, forKey: .staged)
        try container.encodeIfPresent(constructor, forKey: .constructor)
        try container.encodeIfPresent(input, forKey: .input)
    }

    public var text: String { description?.text ?? "staged \(kind) code \(codeHash)" }
}
