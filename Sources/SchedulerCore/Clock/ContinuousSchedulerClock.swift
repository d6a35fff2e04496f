/// The real clock: `ContinuousClock` time elapsed since this clock was created.
public struct ContinuousSchedulerClock: SchedulerClock {
    private let origin: ContinuousClock.Instant

    /// Creates a clock whose `now` is zero at creation time.
    public init() {
        origin = ContinuousClock.now
    }

    public var now: SchedulerInstant { origin.duration(to: ContinuousClock.now) }

    public func sleep(until deadline: SchedulerInstant) async throws {
        try await ContinuousClock().sleep(until: origin.advanced(by: deadline), tolerance: nil)
    }
}
