/// Why the sealed store refused an operation. Every case names the file or record at fault.
package enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The file is not a FatContract store, or is damaged (truncated, overwritten, malformed).
    case corrupt(path: String, detail: String)
    /// The master key does not open this store's sealed records.
    case wrongMasterKey(keyPath: String, storePath: String)
    /// The master key file is missing, unreadable, the wrong size, or readable by others.
    case masterKey(path: String, detail: String)
    /// The store was written by a newer schema than this host understands.
    case unsupportedSchema(path: String, found: Int64, supported: Int64)
    /// A sealed record failed to authenticate: it was altered, moved or replayed.
    case tampered(what: String)
    /// An SQLite error that is not corruption (I/O, busy, full disk).
    case sqlite(SQLiteError)

    package var description: String {
        switch self {
        case let .corrupt(path, detail):
            return
                "the store at \(path) is damaged or not a FatContract store: \(detail). Nothing was changed; restore it from a copy or point --data at another directory."
        case let .wrongMasterKey(keyPath, storePath):
            return "the master key \(keyPath) does not open the store \(storePath): it was sealed with another key. Nothing was written."
        case let .masterKey(path, detail):
            return "master key \(path): \(detail)"
        case let .unsupportedSchema(path, found, supported):
            return "the store at \(path) has schema version \(found); this host reads up to \(supported). Upgrade fat."
        case let .tampered(what):
            return "sealed record \(what) failed authentication: it was altered or moved"
        case let .sqlite(error):
            return error.description
        }
    }
}
