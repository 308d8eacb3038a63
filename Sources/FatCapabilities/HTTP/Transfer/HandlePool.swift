import Synchronization

/// Idle libcurl handles kept for reuse, so that their open connections and DNS cache serve the
/// next transfer.
///
/// **Safe to use from any thread.** A handle taken belongs to its taker until it is given back;
/// handles given back beyond `capacity` are released.
final class HandlePool<Handle: AnyObject & Sendable>: Sendable {
    private let idle = Mutex<[Handle]>([])
    private let capacity: Int
    private let make: @Sendable () -> Handle?

    init(capacity: Int, make: @escaping @Sendable () -> Handle?) {
        self.capacity = capacity
        self.make = make
    }

    /// The most recently returned handle (the likeliest to hold a live connection), or a new one;
    /// `nil` only when libcurl cannot allocate a handle.
    func take() -> Handle? {
        idle.withLock { $0.popLast() } ?? make()
    }

    func give(_ handle: Handle) {
        idle.withLock { handles in
            if handles.count < capacity { handles.append(handle) }
        }
    }
}
