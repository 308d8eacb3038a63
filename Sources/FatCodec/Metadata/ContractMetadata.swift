/// What a contract offers, in one model for native and ink! contracts: constructors, messages and
/// events with their selectors and types, over one type registry.
public struct ContractMetadata: Sendable {
    public var name: String
    public var version: String
    /// 0 to 5 for ink! metadata (3 for the `V3`/0.1.0 shape), 0 for native contracts.
    public var metadataVersion: Int
    public var language: String
    public var constructors: [MessageSpec]
    public var messages: [MessageSpec]
    public var events: [EventSpec]
    public var registry: TypeRegistry
    /// The Wasm code, when the metadata came from a `.contract` bundle.
    public var wasm: [UInt8]?
    public var codeHash: [UInt8]?

    public init(
        name: String, version: String, metadataVersion: Int = 0, language: String = "native",
        constructors: [MessageSpec] = [], messages: [MessageSpec] = [], events: [EventSpec] = [],
        registry: TypeRegistry = TypeRegistry(), wasm: [UInt8]? = nil, codeHash: [UInt8]? = nil
    ) {
        self.name = name
        self.version = version
        self.metadataVersion = metadataVersion
        self.language = language
        self.constructors = constructors
        self.messages = messages
        self.events = events
        self.registry = registry
        self.wasm = wasm
        self.codeHash = codeHash
    }

    public func message(named label: String) -> MessageSpec? { messages.first { $0.label == label } }
    public func constructor(named label: String) -> MessageSpec? { constructors.first { $0.label == label } }
    public func message(selector: [UInt8]) -> MessageSpec? { messages.first { $0.selector == selector } }
    public var defaultConstructor: MessageSpec? { constructors.first(where: \.isDefault) }
}

/// A message or constructor.
public struct MessageSpec: Sendable {
    public var label: String
    /// 4 bytes.
    public var selector: [UInt8]
    public var args: [ArgSpec]
    /// The declared return type (for ink! 4+, the whole `Result<T, LangError>`); nil for `()`.
    public var returnType: Int?
    public var mutates: Bool
    public var payable: Bool
    public var isDefault: Bool
    public var docs: [String]
    /// True when the return type is ink!'s `Result<T, LangError>` wrapper.
    public var returnsLangResult: Bool

    public init(
        label: String, selector: [UInt8], args: [ArgSpec], returnType: Int?, mutates: Bool, payable: Bool = false,
        isDefault: Bool = false, docs: [String] = [], returnsLangResult: Bool = false
    ) {
        self.label = label
        self.selector = selector
        self.args = args
        self.returnType = returnType
        self.mutates = mutates
        self.payable = payable
        self.isDefault = isDefault
        self.docs = docs
        self.returnsLangResult = returnsLangResult
    }
}

public struct ArgSpec: Sendable {
    public var label: String
    public var type: Int

    public init(label: String, type: Int) {
        self.label = label
        self.type = type
    }
}

/// An event a contract may emit.
public struct EventSpec: Sendable {
    public var label: String
    public var args: [EventArg]
    /// ink! 5: the topic that identifies the event (nil for anonymous events and older versions).
    public var signatureTopic: [UInt8]?
    public var docs: [String]

    public init(label: String, args: [EventArg], signatureTopic: [UInt8]? = nil, docs: [String] = []) {
        self.label = label
        self.args = args
        self.signatureTopic = signatureTopic
        self.docs = docs
    }
}

public struct EventArg: Sendable {
    public var label: String
    public var type: Int
    public var indexed: Bool

    public init(label: String, type: Int, indexed: Bool) {
        self.label = label
        self.type = type
        self.indexed = indexed
    }
}

/// Metadata that could not be read: what and where.
public struct MetadataError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
