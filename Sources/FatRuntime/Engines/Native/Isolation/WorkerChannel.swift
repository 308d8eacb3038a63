import CLinux
import CWorkerChannel
import Foundation

/// The memory a host and one worker process share: a turn word, a length and one message. Only
/// the side whose turn it is touches the message; it writes its answer in place and hands the
/// turn over, waking the other side if it sleeps (`fat_turn_give`). A waiting side spins briefly
/// before it sleeps in the kernel, so a round trip between two busy cores costs no system call.
///
/// Backed by an anonymous memory file: the host maps it and gives the descriptor to the worker,
/// which maps it too. Pages are committed only when a message touches them.
/// **Used by one thread at a time on each side** (the host thread running the call, the worker).
final class WorkerChannel: @unchecked Sendable {
    /// The largest message: a 16 MiB value or output with room for its framing.
    static let capacity = 17 << 20
    private static let headerSize = 16
    static let mappedSize = headerSize + capacity

    let fd: Int32
    private let base: UnsafeMutableRawPointer
    private var turn: UnsafeMutablePointer<UInt32> { base.assumingMemoryBound(to: UInt32.self) }

    /// A new channel, turn given to the worker (which speaks first, with `ready`).
    init() throws {
        let fd = fat_memfd_create("fat-worker-channel")
        guard fd >= 0 else { throw FatError(.workerUnavailable, "cannot create a worker channel: \(String(cString: strerror(errno)))") }
        guard ftruncate(fd, off_t(Self.mappedSize)) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FatError(.workerUnavailable, "cannot size a worker channel: \(reason)")
        }
        guard let base = Self.map(fd) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw FatError(.workerUnavailable, "cannot map a worker channel: \(reason)")
        }
        self.fd = fd
        self.base = base
        fat_turn_init(turn, FAT_TURN_WORKER)
    }

    /// The worker's side of the channel its host created, on descriptor `fd`.
    init(worker fd: Int32) throws {
        guard let base = Self.map(fd) else { throw FatError(.internalError, "cannot map the worker channel: \(String(cString: strerror(errno)))") }
        self.fd = fd
        self.base = base
    }

    private static func map(_ fd: Int32) -> UnsafeMutableRawPointer? {
        let pointer = mmap(nil, mappedSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        return pointer == MAP_FAILED ? nil : pointer
    }

    deinit {
        munmap(base, Self.mappedSize)
        close(fd)
    }

    /// Writes `message` and gives the turn to `to`. Throws when it is over `capacity`.
    func send(_ message: [UInt8], to: UInt32) throws {
        guard message.count <= Self.capacity else {
            throw FatError(.badArguments, "a message of \(message.count) bytes is over the worker channel's \(Self.capacity)")
        }
        base.storeBytes(of: UInt64(message.count), toByteOffset: 8, as: UInt64.self)
        message.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress { (base + Self.headerSize).copyMemory(from: source, byteCount: bytes.count) }
        }
        fat_turn_give(turn, to)
    }

    /// The message the other side left, once it is `mine`'s turn; nil after `timeout`.
    func receive(as mine: UInt32, spins: UInt32, timeout: Duration) -> [UInt8]? {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
        guard fat_turn_wait(turn, mine, spins, nanoseconds) == 1 else { return nil }
        let length = Int(clamping: base.load(fromByteOffset: 8, as: UInt64.self))
        // The other side wrote the length: a worker is not trusted to keep it in bounds.
        guard length <= Self.capacity else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: base + Self.headerSize, count: length))
    }
}
