import Synchronization

/// Lets something happen at most once per interval (a log line when a limit is hit, say), and
/// counts what it held back, so the next line can say how many there were.
public final class OncePerInterval: Sendable {
    private let interval: Duration
    private let state = Mutex<(last: ContinuousClock.Instant?, suppressed: Int)>((nil, 0))

    /// At most once per `interval` (a minute unless told otherwise).
    public init(every interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    /// Calls `body` with how many times it was held back since it last ran, unless it ran less
    /// than an interval ago.
    public func run(_ body: (_ suppressed: Int) -> Void) {
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let last = state.last, now - last < interval {
                state.suppressed += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.suppressed
        }
        if let suppressed { body(suppressed) }
    }
}
