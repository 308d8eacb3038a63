import Synchronization

/// A latency histogram with fixed buckets, in the shape Prometheus expects (cumulative `le`
/// buckets, a sum and a count). **Thread-safe.**
final class Histogram: Sendable {
    /// Upper bounds in seconds: 50 µs to 10 s.
    static let bounds: [Double] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]

    private struct State {
        var counts = [UInt64](repeating: 0, count: Histogram.bounds.count + 1)
        var sum = 0.0
    }

    private let state = Mutex(State())

    func observe(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let index = Histogram.bounds.firstIndex { seconds <= $0 } ?? Histogram.bounds.count
        state.withLock {
            $0.counts[index] += 1
            $0.sum += seconds
        }
    }

    func render(name: String, labels: String, into out: inout String) {
        let (counts, sum) = state.withLock { ($0.counts, $0.sum) }
        let prefix = labels.isEmpty ? "" : labels + ","
        var cumulative: UInt64 = 0
        for (bound, count) in zip(Histogram.bounds, counts) {
            cumulative += count
            out += "\(name)_bucket{\(prefix)le=\"\(bound)\"} \(cumulative)\n"
        }
        cumulative += counts.last!
        out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(cumulative)\n"
        let suffix = labels.isEmpty ? "" : "{\(labels)}"
        out += "\(name)_sum\(suffix) \(sum)\n"
        out += "\(name)_count\(suffix) \(cumulative)\n"
    }
}
