import Dispatch

extension Duration {
    /// The duration as a Dispatch interval: nanoseconds, zero for negative durations, and
    /// `.never` for durations too long to count in nanoseconds.
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds > 0 ? .never : .nanoseconds(0) }
        return .nanoseconds(Int(max(0, nanoseconds + attoseconds / 1_000_000_000)))
    }
}
