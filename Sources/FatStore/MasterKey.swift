import FatCrypto
import Foundation

/// The 32-byte secret from which every sealing key of a store is derived.
///
/// The key file is created with mode 0600 on first use and refused if others can read it.
package struct MasterKey: Sendable {
    package let bytes: [UInt8]
    package let path: String

    package init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Loads the key at `path`, creating a new random one (mode 0600) when the file does not exist.
    package static func loadOrCreate(at path: String) throws -> MasterKey {
        if FileManager.default.fileExists(atPath: path) { return try load(at: path) }
        let key = SecureRandom.bytes(32)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw StoreError.masterKey(path: path, detail: "cannot create: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = key.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == key.count, fsync(fd) == 0 else {
            throw StoreError.masterKey(path: path, detail: "cannot write: \(String(cString: strerror(errno)))")
        }
        return MasterKey(bytes: key, path: path)
    }

    /// Loads an existing key file.
    package static func load(at path: String) throws -> MasterKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.masterKey(path: path, detail: "cannot read: \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw StoreError.masterKey(
                path: path,
                detail: "is accessible by other users (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.masterKey(path: path, detail: "cannot read")
        }
        guard data.count == 32 else {
            throw StoreError.masterKey(path: path, detail: "is \(data.count) bytes; a master key is exactly 32 bytes")
        }
        return MasterKey(bytes: [UInt8](data), path: path)
    }
}
