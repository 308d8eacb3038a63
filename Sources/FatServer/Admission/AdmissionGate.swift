import Synchronization

/// A bound on the requests of one kind in flight: `enter` fails when it is reached, so the
/// server answers 503 at once instead of letting a queue grow without limit. **Thread-safe.**
final class AdmissionGate: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Takes a place; false when every place is taken.
    func enter() -> Bool {
        if inFlight.wrappingAdd(1, ordering: .relaxed).newValue > limit {
            inFlight.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func leave() { inFlight.wrappingSubtract(1, ordering: .relaxed) }

    var current: Int { inFlight.load(ordering: .relaxed) }
}
