import Foundation

/// One benchmark row's result: a subject measured against its baseline in the same run.
///
/// Besides the human line every benchmark prints, each row is written as one machine line,
/// `row<TAB>id<TAB>baseline<TAB>subject<TAB>unit<TAB>ratio`, which `scripts/bench.sh` gathers from
/// several runs to report the median and the range of each ratio. `ratio` is subject / baseline.
enum Report {
    static func row(_ id: String, baseline: Double, subject: Double, unit: String) {
        let ratio = baseline == 0 ? 0 : subject / baseline
        print(String(format: "row\t%@\t%.3f\t%.3f\t%@\t%.4f", id as NSString, baseline, subject, unit as NSString, ratio))
    }
}

/// A benchmark that cannot run (a missing fixture or product): `fat-bench` exits non-zero.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Latency samples of two operations measured in turn: `rounds` rounds, each a batch of `batch`
/// calls of `first` then a batch of `second`, every call timed on its own, after a warm-up round
/// of each that is discarded. Noise from other processes then falls on both alike.
func interleaved(rounds: Int, batch: Int, warmup: Int, _ first: () throws -> Void, _ second: () throws -> Void) rethrows
    -> (first: [Double], second: [Double])
{
    let clock = ContinuousClock()
    var a: [Double] = []
    var b: [Double] = []
    a.reserveCapacity(rounds * batch)
    b.reserveCapacity(rounds * batch)
    for _ in 0 ..< warmup {
        try first()
        try second()
    }
    for _ in 0 ..< rounds {
        for _ in 0 ..< batch {
            let start = clock.now
            try first()
            a.append(nanoseconds(clock.now - start))
        }
        for _ in 0 ..< batch {
            let start = clock.now
            try second()
            b.append(nanoseconds(clock.now - start))
        }
    }
    return (a.sorted(), b.sorted())
}

/// Throughput of several workloads run in turn, `rounds` times, each run timed: answers each
/// workload's total units over its total time. A discarded first round warms all of them.
func alternating(rounds: Int, _ workloads: [(units: Int, run: () throws -> Void)]) throws -> [Double] {
    let clock = ContinuousClock()
    var seconds = [Double](repeating: 0, count: workloads.count)
    var units = [Int](repeating: 0, count: workloads.count)
    for round in 0 ... rounds {
        for (index, workload) in workloads.enumerated() {
            let start = clock.now
            try workload.run()
            guard round > 0 else { continue }
            seconds[index] += nanoseconds(clock.now - start) / 1e9
            units[index] += workload.units
        }
    }
    return zip(units, seconds).map { Double($0) / $1 }
}
