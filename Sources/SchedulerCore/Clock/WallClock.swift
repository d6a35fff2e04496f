#if canImport(Glibc)
import Glibc
#endif

/// The real clock for a long-running server: `now` is the time since the Unix epoch, so instants
/// written to the job log keep their meaning across restarts. Sleeps use the monotonic clock for
/// the remaining interval, so a wall-clock jump does not stall the scheduler.
public struct WallClock: SchedulerClock {
    /// Creates the clock.
    public init() {}

    public var now: SchedulerInstant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec))
    }

    public func sleep(until deadline: SchedulerInstant) async throws {
        let remaining = deadline - now
        guard remaining > .zero else { return }
        try await ContinuousClock().sleep(for: remaining)
    }
}
