/// The time source of the scheduler and of everything that must agree with it (simulated
/// workers, timeouts, the rebalance timer). Injected so that tests and simulations can drive time.
public protocol SchedulerClock: Sendable {
    /// The current time, as the time elapsed since the clock's origin.
    var now: SchedulerInstant { get }

    /// Suspends until `now` has reached `deadline`; throws `CancellationError` if the calling task
    /// is cancelled first.
    func sleep(until deadline: SchedulerInstant) async throws
}
