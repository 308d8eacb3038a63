import Foundation
import WasmKit

/// Stops Wasm queries at their deadline from outside the interpreter: when a watched call's
/// deadline passes, a watch thread empties its store's fuel, so the interpreter stops at its next
/// fuel charge (every loop iteration, every call) whatever gas the query was given, host calls or
/// none. Nothing is added to the interpreter's path.
///
/// The interpreter charges fuel with a plain read-modify-write, which can overwrite an emptied
/// budget once; the fuel of a fired watch is emptied again every millisecond until the call ends.
/// A store is touched only while its watch is registered, and `end` unregisters it under the same
/// lock, so a store returned to its pool is never written by the watch. **Thread-safe.**
final class DeadlineWatch: @unchecked Sendable {
    static let shared = DeadlineWatch()

    private struct Watched {
        let store: Store
        let deadline: ContinuousClock.Instant
        /// The fuel left when the deadline emptied it, once it has.
        var fuelAtDeadline: UInt64?
    }

    private let condition = NSCondition()
    private var watched: [UInt64: Watched] = [:]
    private var nextId: UInt64 = 0
    private static let refill: Duration = .milliseconds(1)

    private init() {
        let thread = Thread { [unowned self] in run() }
        thread.name = "fat.wasm-deadlines"
        thread.start()
    }

    /// Watches a call running on `store` until `end`.
    func watch(_ store: Store, until deadline: ContinuousClock.Instant) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextId &+= 1
        watched[nextId] = Watched(store: store, deadline: deadline)
        condition.signal()
        return nextId
    }

    /// Ends a watch; answers the fuel the call had left when its deadline emptied it, or nil
    /// when the call ended in time.
    func end(_ id: UInt64) -> UInt64? {
        condition.lock()
        defer { condition.unlock() }
        return watched.removeValue(forKey: id)?.fuelAtDeadline
    }

    private func run() {
        condition.lock()
        while true {
            let now = ContinuousClock.now
            var next: ContinuousClock.Instant?
            for (id, entry) in watched {
                if entry.fuelAtDeadline != nil || entry.deadline <= now {
                    if entry.fuelAtDeadline == nil { watched[id]?.fuelAtDeadline = entry.store.fuel?.remaining ?? 0 }
                    entry.store.fuel = Fuel(remaining: 0)
                    next = min(next ?? now + Self.refill, now + Self.refill)
                } else {
                    next = min(next ?? entry.deadline, entry.deadline)
                }
            }
            if let next {
                let wait = next - now
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18))
            } else {
                condition.wait()
            }
        }
    }
}
