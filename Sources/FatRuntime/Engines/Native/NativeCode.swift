import FatCodec
import FatContractABI
import FatCrypto

/// A loaded native contract: its descriptor, its messages by selector, and their message model.
///
/// The shared object stays loaded for the life of the process. **Thread-safe**: the host calls
/// messages from several threads for queries; the ABI tells contracts to expect that.
final class NativeCode: PreparedCode, @unchecked Sendable {
    let kind = CodeKind.native
    let hash: CodeHash
    let metadata: ContractMetadata
    var intrinsicMetadata: ContractMetadata? { metadata }
    /// Loaded objects are never unloaded: a thread may still be inside one.
    var evictable: Bool { false }
    var footprint: Int { 0 }
    private let handle: UnsafeMutableRawPointer
    private let messages: [UInt32: NativeMessage]
    private let fallback: fat_message_fn?
    private let displayName: String
    /// The messages as the descriptor declares them: what a worker process tells the host.
    let declarations: [NativeMessageDecl]
    let contractName: String
    let contractVersion: String

    struct NativeMessage {
        let spec: MessageSpec
        let isConstructor: Bool
        let raw: fat_message_fn?
        let typed: TypedInvoker?
    }

    init(handle: UnsafeMutableRawPointer, descriptor pointer: UnsafePointer<fat_contract_descriptor>, hash: CodeHash, displayName: String) throws {
        self.handle = handle
        self.hash = hash
        self.displayName = displayName
        let descriptor = pointer.pointee
        guard let namePointer = descriptor.name else {
            throw FatError(.loadFailed, "\(displayName): its descriptor has no name")
        }
        var declarations: [NativeMessageDecl] = []
        var functions: [(flags: UInt32, function: (@convention(c) () -> Void)?)] = []
        for index in 0 ..< Int(descriptor.message_count) {
            guard let table = descriptor.messages else {
                throw FatError(.loadFailed, "\(displayName): message_count is \(descriptor.message_count) but messages is NULL")
            }
            let message = table[index]
            guard let name = message.name.map({ String(cString: $0) }), !name.isEmpty else {
                throw FatError(.loadFailed, "\(displayName): message #\(index) has no name")
            }
            guard let signature = message.signature.map({ String(cString: $0) }) else {
                throw FatError(.loadFailed, "\(displayName): message `\(name)` has no signature")
            }
            let selector = withUnsafeBytes(of: message.selector) { Array($0) }
            declarations.append(
                NativeMessageDecl(
                    name: name, signature: signature,
                    selector: selector == [0, 0, 0, 0] ? nil : selector,
                    mutates: message.flags & FAT_MSG_MUTATES != 0,
                    isConstructor: message.flags & FAT_MSG_CONSTRUCTOR != 0,
                    payable: message.flags & FAT_MSG_PAYABLE != 0,
                    isDefault: message.flags & FAT_MSG_DEFAULT != 0,
                    docs: message.doc.map { [String(cString: $0)] } ?? []))
            functions.append((message.flags, message.function))
        }
        self.declarations = declarations
        contractName = String(cString: namePointer)
        contractVersion = descriptor.version.map { String(cString: $0) } ?? "0.0.0"
        do {
            metadata = try ContractMetadata.native(
                name: contractName, version: contractVersion, messages: declarations, selectorHash: { Blake2b.hash256($0) })
        } catch {
            throw FatError(.loadFailed, "\(displayName): \(error)")
        }
        var bySelector: [UInt32: NativeMessage] = [:]
        let registry = metadata.registry
        let specs = metadata.constructors + metadata.messages
        for (declaration, entry) in zip(declarations, functions) {
            guard let spec = specs.first(where: { $0.label == declaration.name }) else { continue }
            guard let function = entry.function else {
                throw FatError(.loadFailed, "\(displayName): message `\(declaration.name)` has no function")
            }
            let key = Self.selectorKey(spec.selector)
            guard bySelector[key] == nil else {
                throw FatError(.loadFailed, "\(displayName): two messages share selector 0x\(spec.selector.hexString) (`\(declaration.name)`)")
            }
            var typed: TypedInvoker?
            if entry.flags & FAT_MSG_TYPED != 0 {
                let params = try spec.args.map { arg in
                    guard let param = nativeParam(arg.type, registry) else {
                        throw FatError(
                            .loadFailed,
                            "\(displayName): typed message `\(declaration.name)` has argument `\(arg.label)` of a type a typed C function cannot take; use a raw message for it"
                        )
                    }
                    return param
                }
                var result: NativeParam?
                if let returnType = spec.returnType, !isUnit(returnType, registry) {
                    guard let param = nativeParam(returnType, registry), param != .accountId, param != .bytes else {
                        throw FatError(
                            .loadFailed,
                            "\(displayName): typed message `\(declaration.name)` returns a type a C function cannot return (bool and integers up to 64 bits); use a raw message and set_output"
                        )
                    }
                    result = param
                }
                typed = try TypedInvoker(function: function, params: params, result: result)
            }
            bySelector[key] = NativeMessage(
                spec: spec, isConstructor: declaration.isConstructor,
                raw: typed == nil ? unsafeBitCast(function, to: fat_message_fn.self) : nil, typed: typed)
        }
        messages = bySelector
        fallback = descriptor.dispatch
    }

    static func selectorKey(_ selector: [UInt8]) -> UInt32 {
        UInt32(selector[0]) | UInt32(selector[1]) << 8 | UInt32(selector[2]) << 16 | UInt32(selector[3]) << 24
    }

    func execute(_ entry: Entry, input: [UInt8], frame: CallFrame) throws -> ExecutionResult {
        try run(entry, input: input, context: frame)
    }

    /// Runs `entry` on this thread with `context` behind the host functions: the frame itself in
    /// the host, the channel to the host's frame in a worker process.
    func run(_ entry: Entry, input: [UInt8], context: some NativeCallContext) throws -> ExecutionResult {
        if entry == .constructor, metadata.constructors.isEmpty, input.isEmpty {
            return ExecutionResult(output: [], reverted: false)
        }
        guard input.count >= 4 else {
            throw FatError(.badArguments, "input is \(input.count) bytes; a message starts with a 4-byte selector")
        }
        let message = messages[Self.selectorKey(input)]
        let status: fat_status
        if let message {
            guard message.isConstructor == (entry == .constructor) else {
                throw FatError(
                    .unknownMessage,
                    entry == .constructor
                        ? "`\(message.spec.label)` is a message, not a constructor; constructors: \(metadata.constructors.map(\.label).joined(separator: ", "))"
                        : "`\(message.spec.label)` is a constructor; it runs only when the contract is deployed")
            }
            let arguments = Array(input[4...])
            if let typed = message.typed {
                let output = try context.withContext(NativeHostTable.shared) { ctx in
                    try typed.invoke(context: ctx, arguments: arguments, message: message.spec.label)
                }
                if !context.revertRequested { context.setOutput(output) }
                return ExecutionResult(output: context.output, reverted: context.revertRequested)
            }
            status = context.withContext(NativeHostTable.shared) { ctx in
                arguments.withUnsafeBufferPointer { message.raw!(ctx, $0.baseAddress, $0.count) }
            }
        } else if let fallback, entry == .message {
            status = context.withContext(NativeHostTable.shared) { ctx in
                input.withUnsafeBufferPointer { fallback(ctx, $0.baseAddress, $0.count) }
            }
        } else {
            let list = (entry == .constructor ? metadata.constructors : metadata.messages).map(\.label).joined(separator: ", ")
            throw FatError(
                .unknownMessage,
                "no \(entry == .constructor ? "constructor" : "message") with selector 0x\(Array(input[0 ..< 4]).hexString); available: \(list)")
        }
        switch status {
        case FAT_OK: return ExecutionResult(output: context.output, reverted: context.revertRequested)
        case FAT_REVERT: return ExecutionResult(output: context.output, reverted: true)
        default:
            throw FatError(.trapped, "\(metadata.name) failed with status \(status) (\(NativeContractLoader.statusName(status)))")
        }
    }
}
