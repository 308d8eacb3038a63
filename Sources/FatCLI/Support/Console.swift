import FatCodec
import Foundation

/// Where CLI output goes: standard output, or a buffer when a test drives the commands.
///
/// With `--json` every command prints exactly one JSON object; without it, readable text.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: String?

    /// The console of the current task; tests bind their own with `Console.$current.withValue`.
    @TaskLocal public static var current = Console(capturing: false)

    public init(capturing: Bool) { buffer = capturing ? "" : nil }

    /// Everything printed so far (capturing consoles only).
    public var captured: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer ?? ""
    }

    package func print(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if buffer != nil {
            buffer! += text + "\n"
        } else {
            Swift.print(text)
            fflush(nil)
        }
    }
}
