import CFFI
import FatCodec
import FatContractABI

/// The C type a typed message parameter or result maps to (see ABI/README.md).
enum NativeParam: Equatable {
    case bool, u8, u16, u32, u64, i8, i16, i32, i64
    /// `const fat_address *`
    case accountId
    /// `const uint8_t *, size_t` (String or Vec<u8>)
    case bytes

    var width: Int {
        switch self {
        case .bool, .u8, .i8: 1
        case .u16, .i16: 2
        case .u32, .i32: 4
        case .u64, .i64: 8
        case .accountId: 32
        case .bytes: 0
        }
    }

    /// The libffi types of the C arguments this parameter becomes.
    var ffiTypes: [UnsafeMutablePointer<ffi_type>] {
        switch self {
        case .bool, .u8: [cffi_type_uint8()]
        case .i8: [cffi_type_sint8()]
        case .u16: [cffi_type_uint16()]
        case .i16: [cffi_type_sint16()]
        case .u32: [cffi_type_uint32()]
        case .i32: [cffi_type_sint32()]
        case .u64: [cffi_type_uint64()]
        case .i64: [cffi_type_sint64()]
        case .accountId: [cffi_type_pointer()]
        case .bytes: [cffi_type_pointer(), cffi_type_uint64()]
        }
    }
}

/// Calls one typed C message function through libffi: decodes the SCALE arguments into C
/// values, calls `R fn(fat_ctx *, A1, …)`, and encodes the C result as SCALE.
///
/// The call interface is prepared once at load. **Thread-safe**: `invoke` keeps all per-call
/// state on its own stack.
final class TypedInvoker: @unchecked Sendable {
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let function: @convention(c) () -> Void
    private let params: [NativeParam]
    private let result: NativeParam?
    private let cArgumentCount: Int

    init(function: @escaping @convention(c) () -> Void, params: [NativeParam], result: NativeParam?) throws {
        precondition(result != .accountId && result != .bytes)
        self.function = function
        self.params = params
        self.result = result
        let types = [cffi_type_pointer()] + params.flatMap(\.ffiTypes)
        cArgumentCount = types.count
        argumentTypes = .allocate(capacity: types.count)
        for (index, type) in types.enumerated() { argumentTypes[index] = type }
        cif = .allocate(capacity: 1)
        let returnType = result?.ffiTypes[0] ?? cffi_type_void()
        let status = ffi_prep_cif(cif, FFI_DEFAULT_ABI, UInt32(types.count), returnType, argumentTypes)
        guard status == FFI_OK else {
            throw FatError(.loadFailed, "libffi could not prepare a call interface (status \(status.rawValue))")
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    /// Decodes `arguments` (SCALE, no selector), calls the function, returns its SCALE result.
    func invoke(context: UnsafeMutablePointer<fat_ctx>, arguments: [UInt8], message: String) throws -> [UInt8] {
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: cArgumentCount) { slots in
            try withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: cArgumentCount) { values in
                try arguments.withUnsafeBufferPointer { input in
                    var contextPointer: UnsafeMutableRawPointer? = UnsafeMutableRawPointer(context)
                    return try withUnsafeMutablePointer(to: &contextPointer) { contextSlot in
                        values[0] = UnsafeMutableRawPointer(contextSlot)
                        var offset = 0
                        var slot = 1
                        func take(_ count: Int) throws -> UnsafePointer<UInt8> {
                            guard input.count - offset >= count else {
                                throw FatError(.badArguments, "`\(message)`: the arguments end early (\(input.count) bytes)")
                            }
                            defer { offset += count }
                            return input.baseAddress!.advanced(by: offset)
                        }
                        for param in params {
                            switch param {
                            case .accountId:
                                // The pointer points into the caller's argument buffer, borrowed
                                // for the duration of the call as the ABI says.
                                slots[slot] = UInt64(UInt(bitPattern: try take(32)))
                                values[slot] = UnsafeMutableRawPointer(slots.baseAddress! + slot)
                                slot += 1
                            case .bytes:
                                let count = try Self.readCompactLength(input, &offset, message: message)
                                let start = try take(count)
                                slots[slot] = UInt64(UInt(bitPattern: start))
                                slots[slot + 1] = UInt64(count)
                                values[slot] = UnsafeMutableRawPointer(slots.baseAddress! + slot)
                                values[slot + 1] = UnsafeMutableRawPointer(slots.baseAddress! + slot + 1)
                                slot += 2
                            default:
                                let pointer = try take(param.width)
                                var value: UInt64 = 0
                                for index in 0 ..< param.width { value |= UInt64(pointer[index]) << (8 * index) }
                                if param == .bool, value > 1 {
                                    throw FatError(.badArguments, "`\(message)`: a bool argument is encoded as \(value), not 0 or 1")
                                }
                                slots[slot] = value
                                values[slot] = UnsafeMutableRawPointer(slots.baseAddress! + slot)
                                slot += 1
                            }
                        }
                        guard offset == input.count else {
                            throw FatError(.badArguments, "`\(message)`: \(input.count - offset) bytes left over after the arguments")
                        }
                        var returned: UInt64 = 0
                        withUnsafeMutablePointer(to: &returned) { out in
                            ffi_call(cif, function, UnsafeMutableRawPointer(out), values.baseAddress)
                        }
                        guard let result else { return [] }
                        // libffi widens small integer results to a full register.
                        return (0 ..< result.width).map { UInt8(truncatingIfNeeded: returned >> (8 * $0)) }
                    }
                }
            }
        }
    }

    private static func readCompactLength(_ input: UnsafeBufferPointer<UInt8>, _ offset: inout Int, message: String) throws -> Int {
        func fail() -> FatError { FatError(.badArguments, "`\(message)`: a length prefix is malformed") }
        guard offset < input.count else { throw fail() }
        let first = input[offset]
        switch first & 3 {
        case 0:
            offset += 1
            return Int(first >> 2)
        case 1:
            guard offset + 2 <= input.count else { throw fail() }
            defer { offset += 2 }
            return Int(UInt16(input[offset]) | UInt16(input[offset + 1]) << 8) >> 2
        case 2:
            guard offset + 4 <= input.count else { throw fail() }
            defer { offset += 4 }
            var value: UInt32 = 0
            for index in 0 ..< 4 { value |= UInt32(input[offset + index]) << (8 * index) }
            return Int(value >> 2)
        default:
            throw fail()
        }
    }
}

/// The C parameter type for a registry type, or nil when a typed function cannot take it.
func nativeParam(_ id: Int, _ registry: TypeRegistry) -> NativeParam? {
    if registry.isAccountId(id) { return .accountId }
    if registry.isByteSequence(id) { return .bytes }
    guard case let .primitive(primitive)? = registry.resolve(id)?.def else { return nil }
    switch primitive {
    case .bool: return .bool
    case .u8: return .u8
    case .u16: return .u16
    case .u32: return .u32
    case .u64: return .u64
    case .i8: return .i8
    case .i16: return .i16
    case .i32: return .i32
    case .i64: return .i64
    case .str: return .bytes
    default: return nil
    }
}

/// True for `()`.
func isUnit(_ id: Int, _ registry: TypeRegistry) -> Bool {
    if case .tuple([])? = registry.resolve(id)?.def { return true }
    return false
}
