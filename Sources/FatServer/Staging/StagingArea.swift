import FatRuntime
import Foundation
import Synchronization

/// Code sent with `POST /v1/code`, kept for an upload or deploy command that names it by its code
/// hash and metadata hash. Anyone may stage Wasm, so the area is bounded: at most `maxCount`
/// uploads and `maxBytes` bytes (the oldest go first), each kept `lifetime` at most. Staged code
/// is never run and never logged; a command that names it brings it to the log.
/// **Thread-safe.**
final class StagingArea: Sendable {
    struct Key: Hashable {
        let code: [UInt8]
        let metadata: [UInt8]?
    }

    private struct Staged {
        let key: Key
        let upload: CodeUpload
        let expires: ContinuousClock.Instant
        var size: Int { upload.bytes.count + upload.metadata.count }
    }

    let maxCount: Int
    let maxBytes: Int
    let lifetime: Duration
    private let entries = Mutex<[Staged]>([])

    init(maxCount: Int, maxBytes: Int, lifetime: Duration) {
        self.maxCount = maxCount
        self.maxBytes = maxBytes
        self.lifetime = lifetime
    }

    /// Keeps `upload`, replacing an identical one; refuses one larger than the whole area.
    func put(_ upload: CodeUpload) throws {
        let staged = Staged(
            key: Key(code: upload.codeHash, metadata: upload.metadataHash), upload: upload,
            expires: ContinuousClock.now.advanced(by: lifetime))
        guard staged.size <= maxBytes else {
            throw FatError(.badArguments, "the code and metadata are \(staged.size) bytes; this server stages at most \(maxBytes)")
        }
        entries.withLock { list in
            Self.dropExpired(&list)
            list.removeAll { $0.key == staged.key }
            list.append(staged)
            while list.count > maxCount || list.reduce(0, { $0 + $1.size }) > maxBytes { list.removeFirst() }
        }
    }

    /// The staged upload with these hashes, if it is still kept.
    func upload(codeHash: [UInt8], metadataHash: [UInt8]?) -> CodeUpload? {
        let key = Key(code: codeHash, metadata: metadataHash)
        return entries.withLock { list in
            Self.dropExpired(&list)
            return list.last { $0.key == key }?.upload
        }
    }

    /// How many uploads are staged and their bytes.
    var usage: (count: Int, bytes: Int) {
        entries.withLock { list in
            Self.dropExpired(&list)
            return (list.count, list.reduce(0) { $0 + $1.size })
        }
    }

    private static func dropExpired(_ list: inout [Staged]) {
        let now = ContinuousClock.now
        list.removeAll { $0.expires <= now }
    }
}
