import CLinux
import FatCodec
import FatContractABI
import FatCrypto
import Foundation

/// Loads a native contract: `dlopen`, find `fat_contract_entry`, negotiate the ABI version, check
/// the descriptor, call the contract's init hook. Any failure closes the object again and is a
/// `FatError(.loadFailed)` naming the file and the cause; nothing stays loaded.
package enum NativeContractLoader {
    /// The versions this host offers: major 1, minors 0 through the header's.
    static let offeredMajor = UInt16(FAT_ABI_VERSION_MAJOR)
    static let offeredMaxMinor = UInt16(FAT_ABI_VERSION_MINOR)

    /// Loads the shared object at `path`. `displayName` is how errors refer to it.
    static func load(path: String, hash: CodeHash, displayName: String) throws -> NativeCode {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw FatError(.loadFailed, "\(displayName) is not a loadable shared object: \(reason)")
        }
        do {
            return try negotiate(handle: handle, hash: hash, displayName: displayName)
        } catch {
            dlclose(handle)
            throw error
        }
    }

    private static func negotiate(handle: UnsafeMutableRawPointer, hash: CodeHash, displayName: String) throws -> NativeCode {
        guard let symbol = dlsym(handle, FAT_CONTRACT_ENTRY_SYMBOL) else {
            throw FatError(
                .loadFailed,
                "\(displayName) exports no \(FAT_CONTRACT_ENTRY_SYMBOL): was it built against ABI/include/fat_contract.h with FAT_CONTRACT or FAT_DEFINE_ENTRY?"
            )
        }
        let entry = unsafeBitCast(symbol, to: fat_contract_entry_fn.self)
        var offer = fat_negotiation(
            struct_size: UInt32(MemoryLayout<fat_negotiation>.size),
            min_major: offeredMajor, min_minor: 0, max_major: offeredMajor, max_minor: offeredMaxMinor,
            host: NativeHostTable.shared)
        var descriptorPointer: UnsafePointer<fat_contract_descriptor>?
        let status = entry(&offer, &descriptorPointer)
        guard status == FAT_OK else {
            if status == FAT_ERR_VERSION_MISMATCH {
                throw FatError(
                    .loadFailed,
                    "\(displayName) speaks no ABI version this host offers (\(offeredMajor).0 to \(offeredMajor).\(offeredMaxMinor)): rebuild it against this host's ABI/include/fat_contract.h"
                )
            }
            throw FatError(
                .loadFailed, "\(displayName): \(FAT_CONTRACT_ENTRY_SYMBOL) refused the host's offer with status \(status) (\(statusName(status)))")
        }
        guard let descriptorPointer else {
            throw FatError(.loadFailed, "\(displayName): \(FAT_CONTRACT_ENTRY_SYMBOL) returned FAT_OK but no descriptor")
        }
        let descriptor = descriptorPointer.pointee
        let minimumSize = MemoryLayout<fat_contract_descriptor>.offset(of: \fat_contract_descriptor.dispatch)! + MemoryLayout<UnsafeRawPointer>.size
        guard descriptor.struct_size >= minimumSize else {
            throw FatError(.loadFailed, "\(displayName): its descriptor is \(descriptor.struct_size) bytes, smaller than ABI 1.0's \(minimumSize)")
        }
        guard descriptor.abi_major == offeredMajor else {
            throw FatError(.loadFailed, "\(displayName) was built for ABI major version \(descriptor.abi_major); this host speaks \(offeredMajor)")
        }
        let code = try NativeCode(handle: handle, descriptor: descriptorPointer, hash: hash, displayName: displayName)
        if let initialize = descriptor.`init` {
            let initStatus = initialize(NativeHostTable.shared)
            guard initStatus == FAT_OK else {
                throw FatError(.loadFailed, "\(displayName): its init hook failed with status \(initStatus) (\(statusName(initStatus)))")
            }
        }
        return code
    }

    static func statusName(_ status: fat_status) -> String {
        switch status {
        case FAT_OK: "FAT_OK"
        case FAT_REVERT: "FAT_REVERT"
        case FAT_ERR_NOT_FOUND: "FAT_ERR_NOT_FOUND"
        case FAT_ERR_BUFFER_TOO_SMALL: "FAT_ERR_BUFFER_TOO_SMALL"
        case FAT_ERR_INVALID_ARGUMENT: "FAT_ERR_INVALID_ARGUMENT"
        case FAT_ERR_VERSION_MISMATCH: "FAT_ERR_VERSION_MISMATCH"
        case FAT_ERR_DEPTH_EXCEEDED: "FAT_ERR_DEPTH_EXCEEDED"
        case FAT_ERR_CALLEE_REVERTED: "FAT_ERR_CALLEE_REVERTED"
        case FAT_ERR_CALLEE_FAILED: "FAT_ERR_CALLEE_FAILED"
        case FAT_ERR_NOT_ALLOWED: "FAT_ERR_NOT_ALLOWED"
        case FAT_ERR_UNSUPPORTED: "FAT_ERR_UNSUPPORTED"
        case FAT_ERR_DECODE: "FAT_ERR_DECODE"
        case FAT_ERR_CONTRACT_FAILED: "FAT_ERR_CONTRACT_FAILED"
        case FAT_ERR_INIT_FAILED: "FAT_ERR_INIT_FAILED"
        case FAT_ERR_VALUE_TOO_LARGE: "FAT_ERR_VALUE_TOO_LARGE"
        default: "unknown status"
        }
    }
}

/// The engine for native code: loads each code's shared object from memory, never from a file
/// on disk, so native code stays sealed at rest like everything else in the store.
///
/// The bytes go into an anonymous memory file (`memfd_create`), which is then opened with
/// `dlopen("/proc/self/fd/N")`. The file stays open for the life of the process, as the loaded
/// object does: the dynamic loader knows objects by path, and a closed descriptor's number would
/// be reused for the next code, which the loader would then take for the one already loaded.
public struct NativeEngine: ContractEngine {
    public var kind: CodeKind { .native }

    public init() {}

    public func prepare(hash: CodeHash, bytes: [UInt8]) throws -> PreparedCode {
        guard Blake2b.hash256(bytes) == hash else {
            throw FatError(.storeCorrupt, "native code 0x\(hash.hexString.prefix(16))… does not hash to its name; it is not loaded")
        }
        let fd = try Self.memoryFile(bytes, hash: hash)
        // Even when the load fails the descriptor stays open: an object dlclose could not unload
        // would otherwise answer for the next code given the same descriptor number.
        return try NativeContractLoader.load(
            path: "/proc/self/fd/\(fd)", hash: hash,
            displayName: "native code 0x\(hash.hexString.prefix(16))…")
    }

    /// A close-on-exec memory file holding `bytes`, the code named `hash`.
    static func memoryFile(_ bytes: [UInt8], hash: CodeHash) throws -> Int32 {
        let fd = fat_memfd_create("fat-native-\(hash.hexString.prefix(16))")
        guard fd >= 0 else { throw FatError(.loadFailed, "cannot create a memory file for native code: \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw FatError(.loadFailed, "cannot write native code to a memory file: \(reason)")
            }
            written += n
        }
        return fd
    }

    /// Loads a shared object straight from `path` to validate it and read its metadata (the
    /// local CLI, on the user's own file).
    public static func inspect(path: String) throws -> PreparedCode {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw FatError(.badArtifact, "cannot read \(path)")
        }
        return try NativeContractLoader.load(path: path, hash: Blake2b.hash256([UInt8](bytes)), displayName: path)
    }
}
