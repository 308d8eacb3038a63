import FatContractABI
import Foundation
import Synchronization

/// A capability module loaded from a shared object (`ABI/include/fat_capability.h`): its name,
/// the chain extension id ink! contracts use, and its functions by id.
///
/// Loading follows the contract loader's rules: `dlopen`, find `fat_module_entry`, negotiate the
/// version, check the descriptor, run the init hook; any failure closes the object again and is a
/// `FatError(.loadFailed)` naming the file and the cause.
///
/// A module is loaded once per process (`load(path:)`), shared by every host in it, and stays
/// loaded: its init hook runs once, and its global state is never torn down under a host that
/// still uses it. **Immutable; thread-safe.**
package final class CapabilityModule: @unchecked Sendable {
    public struct Function: Sendable {
        public let name: String
        public let id: UInt32
        /// False for a query-only function, which a command may not call.
        public let deterministic: Bool
        public let doc: String?
        let body: fat_module_fn
    }

    public let name: String
    public let version: String
    public let extensionId: UInt16
    public let path: String
    public let functions: [UInt32: Function]
    /// The `fat_module_api` table native contracts receive for this module.
    let nativeTable: UnsafeMutablePointer<fat_module_api>
    private static let loaded = Mutex<[String: CapabilityModule]>([:])

    static let offeredMajor = UInt16(FAT_MODULE_ABI_VERSION_MAJOR)
    static let offeredMaxMinor = UInt16(FAT_MODULE_ABI_VERSION_MINOR)

    /// The module at `path`, loading it on first use.
    public static func load(path: String) throws -> CapabilityModule {
        let key =
            realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? path
        return try loaded.withLock { loaded in
            if let module = loaded[key] { return module }
            let module = try CapabilityModule(path: path)
            loaded[key] = module
            return module
        }
    }

    private init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw FatError(.loadFailed, "capability module \(path) is not a loadable shared object: \(reason)")
        }
        do {
            let descriptor = try Self.negotiate(handle: handle, path: path)
            let parsed = try Self.parse(descriptor, path: path)
            if let initialize = descriptor.`init` {
                let status = initialize()
                guard status == FAT_OK else {
                    throw FatError(
                        .loadFailed,
                        "capability module \(path): its init hook failed with status \(status) (\(NativeContractLoader.statusName(status)))")
                }
            }
            self.path = path
            name = parsed.name
            version = parsed.version
            extensionId = descriptor.extension_id
            functions = parsed.functions
            nativeTable = .allocate(capacity: 1)
            nativeTable.initialize(
                to: fat_module_api(
                    struct_size: UInt32(MemoryLayout<fat_module_api>.size), version: 1, host_data: nil,
                    call: NativeCapabilityTables.moduleCall, function_id: NativeCapabilityTables.moduleFunctionId))
            nativeTable.pointee.host_data = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
        } catch {
            dlclose(handle)
            throw error
        }
    }

    private static func negotiate(handle: UnsafeMutableRawPointer, path: String) throws -> fat_module_descriptor {
        guard let symbol = dlsym(handle, FAT_MODULE_ENTRY_SYMBOL) else {
            throw FatError(
                .loadFailed,
                "capability module \(path) exports no \(FAT_MODULE_ENTRY_SYMBOL): was it built against ABI/include/fat_capability.h with FAT_DEFINE_MODULE? (a contract is deployed with `fat deploy`, not loaded as a module)"
            )
        }
        let entry = unsafeBitCast(symbol, to: fat_module_entry_fn.self)
        var offer = fat_module_negotiation(
            struct_size: UInt32(MemoryLayout<fat_module_negotiation>.size),
            min_major: offeredMajor, min_minor: 0, max_major: offeredMajor, max_minor: offeredMaxMinor)
        var pointer: UnsafePointer<fat_module_descriptor>?
        let status = entry(&offer, &pointer)
        guard status == FAT_OK else {
            if status == FAT_ERR_VERSION_MISMATCH {
                throw FatError(
                    .loadFailed,
                    "capability module \(path) speaks no module ABI version this host offers (\(offeredMajor).0 to \(offeredMajor).\(offeredMaxMinor)): rebuild it against this host's ABI/include/fat_capability.h"
                )
            }
            throw FatError(
                .loadFailed,
                "capability module \(path): \(FAT_MODULE_ENTRY_SYMBOL) refused the host's offer with status \(status) (\(NativeContractLoader.statusName(status)))"
            )
        }
        guard let pointer else {
            throw FatError(.loadFailed, "capability module \(path): \(FAT_MODULE_ENTRY_SYMBOL) returned FAT_OK but no descriptor")
        }
        let descriptor = pointer.pointee
        let minimumSize = MemoryLayout<fat_module_descriptor>.offset(of: \fat_module_descriptor.fini)! + MemoryLayout<UnsafeRawPointer>.size
        guard descriptor.struct_size >= minimumSize else {
            throw FatError(
                .loadFailed,
                "capability module \(path): its descriptor is \(descriptor.struct_size) bytes, smaller than module ABI 1.0's \(minimumSize)")
        }
        guard descriptor.abi_major == offeredMajor else {
            throw FatError(
                .loadFailed,
                "capability module \(path) was built for module ABI major version \(descriptor.abi_major); this host speaks \(offeredMajor)")
        }
        return descriptor
    }

    private static func parse(_ descriptor: fat_module_descriptor, path: String) throws -> (
        name: String, version: String, functions: [UInt32: Function]
    ) {
        guard let namePointer = descriptor.name else {
            throw FatError(.loadFailed, "capability module \(path) has no name")
        }
        let name = String(cString: namePointer)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("fat.") else {
            throw FatError(
                .loadFailed,
                "capability module \(path) has an invalid name \"\(name)\": use lowercase letters, digits, '.', '_' and '-', not starting with \"fat.\""
            )
        }
        guard descriptor.extension_id != 0, descriptor.extension_id != PinkExtension.legacyExtensionId else {
            throw FatError(
                .loadFailed,
                "capability module \(name) (\(path)) declares chain extension id \(descriptor.extension_id), which is reserved for the pink extension (0 and 0xFF00)"
            )
        }
        guard descriptor.function_count == 0 || descriptor.functions != nil else {
            throw FatError(.loadFailed, "capability module \(name) (\(path)) declares \(descriptor.function_count) functions but no table")
        }
        var functions: [UInt32: Function] = [:]
        for index in 0 ..< Int(descriptor.function_count) {
            let row = descriptor.functions[index]
            let label = row.name.map { String(cString: $0) } ?? "#\(index)"
            guard let body = row.function, row.name != nil else {
                throw FatError(.loadFailed, "capability module \(name): function \(label) has no name or no body")
            }
            guard (1 ... 0xFFFF).contains(row.id) else {
                throw FatError(.loadFailed, "capability module \(name): function \(label) has id \(row.id); ids are 1 to 65535")
            }
            guard row.flags == FAT_FN_DETERMINISTIC || row.flags == FAT_FN_QUERY_ONLY else {
                throw FatError(
                    .loadFailed,
                    "capability module \(name): function \(label) must be marked exactly one of FAT_FN_DETERMINISTIC or FAT_FN_QUERY_ONLY")
            }
            guard functions[row.id] == nil else {
                throw FatError(.loadFailed, "capability module \(name): functions \(functions[row.id]!.name) and \(label) share id \(row.id)")
            }
            functions[row.id] = Function(
                name: label, id: row.id, deterministic: row.flags == FAT_FN_DETERMINISTIC,
                doc: row.doc.map { String(cString: $0) }, body: body)
        }
        return (name, descriptor.version.map { String(cString: $0) } ?? "", functions)
    }

    /// The function called `name`, if any.
    public func function(named name: String) -> Function? { functions.values.first { $0.name == name } }

    /// Runs function `id` for `contract` in a call of kind `callKind` (FAT_CALL_*). Returns the
    /// function's status and output. The caller has already checked the command/query rule.
    func invoke(_ function: Function, contract: AccountId, callKind: UInt32, input: [UInt8]) -> (status: fat_status, output: [UInt8]) {
        let sink = OutputSink()
        var call = fat_module_call()
        call.struct_size = UInt32(MemoryLayout<fat_module_call>.size)
        call.call_kind = callKind
        withUnsafeMutableBytes(of: &call.contract.bytes) { $0.copyBytes(from: contract.bytes) }
        call.set_output = { call, data, length in
            guard let call, let hostData = call.pointee.host_data else { return FAT_ERR_INVALID_ARGUMENT }
            guard length <= NativeHostTable.maxValueLength else { return FAT_ERR_VALUE_TOO_LARGE }
            guard length == 0 || data != nil else { return FAT_ERR_INVALID_ARGUMENT }
            let sink = Unmanaged<OutputSink>.fromOpaque(hostData).takeUnretainedValue()
            sink.bytes = length == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: length))
            return FAT_OK
        }
        let status = withExtendedLifetime(sink) {
            call.host_data = Unmanaged.passUnretained(sink).toOpaque()
            return input.withUnsafeBufferPointer { buffer in
                function.body(&call, buffer.baseAddress, buffer.count)
            }
        }
        return (status, sink.bytes)
    }

    private final class OutputSink { var bytes: [UInt8] = [] }
}
