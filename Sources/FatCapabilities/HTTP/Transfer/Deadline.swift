/// Whole milliseconds left until `deadline`, rounded up so that a transfer is never given less
/// time than remains; `nil` once the deadline has passed.
func millisecondsRemaining(until deadline: ContinuousClock.Instant) -> Int? {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return nil }
    let (seconds, attoseconds) = remaining.components
    let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
    guard !milliseconds.overflow else { return Int.max }
    return Int(milliseconds.partialValue) + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
}
