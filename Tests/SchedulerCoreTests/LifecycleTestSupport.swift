import Testing
@testable import SchedulerCore

/// A scheduler on a manual clock with simulated workers: the harness of the lifecycle tests.
struct SimulatedCluster {
    let clock = ManualClock()
    let workers: SimulatedWorkers
    let scheduler: Scheduler

    init(
        workers count: Int = 4, configuration: SchedulerConfiguration = SchedulerConfiguration(),
        durationModel: SimulatedWorkers.DurationModel = .fixed(.seconds(1)), outcome: SimulatedWorkers.Outcome = .exit(0),
        outcomeOverride: (@Sendable (RunRequest) -> SimulatedWorkers.Outcome?)? = nil, honorsTimeouts: Bool = true
    ) {
        workers = SimulatedWorkers(
            clock: clock,
            configuration: .init(
                workerCount: count, durationModel: durationModel, outcome: outcome, outcomeOverride: outcomeOverride,
                honorsTimeouts: honorsTimeouts))
        scheduler = Scheduler(configuration: configuration, clock: clock, backend: workers)
    }

    /// Advances the clock by `duration` and runs one step.
    func advance(by duration: Duration) async {
        clock.advance(by: duration)
        await scheduler.step()
    }

    /// Steps every 250 ms until `condition` holds or `limit` of simulated time has passed;
    /// returns the simulated time at which it held, or nil.
    func stepUntil(limit: Duration = .seconds(3600), _ condition: (Scheduler) async -> Bool) async -> SchedulerInstant? {
        await scheduler.step()
        let end = clock.now + limit
        while clock.now <= end {
            if await condition(scheduler) { return clock.now }
            await advance(by: .milliseconds(250))
        }
        return nil
    }
}

/// A job of `count` tasks `t0…` running `argv`.
func simpleJob(
    tasks count: Int = 1, argv: [String] = ["sleep", "1"], requestor: String = "land-bot", tag: String = "", basis: String = "",
    priority: Int = 0
) -> JobDefinition {
    JobDefinition(
        tasks: (0..<count).map { TaskDefinition(taskID: "t\($0)", argv: argv) }, priority: priority, tag: tag, basis: basis,
        requestor: requestor)
}

/// The error thrown by `body`, which must throw a `SchedulerError`.
func schedulerError(_ body: () async throws(SchedulerError) -> Void) async -> SchedulerError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
