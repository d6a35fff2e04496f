/// Fixed settings of a `Scheduler`, with Scoot's defaults (docs/scoot.md, "Configuration
/// defaults"). Settings that clients change at run time (percents, requestor map, rebalance,
/// throttle) live in the scheduler and start at Scoot's defaults.
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Whether the `maxTasks` throttle refuses jobs or is only reported.
    public enum ThrottleMode: String, Sendable, Hashable {
        /// Running + waiting + new tasks > maxTasks → `CanNotScheduleNow` (our fix).
        case enforce
        /// Stored and reported only, as in Scoot.
        case advisory
    }

    /// Failed attempts retried per task; total attempts = this + 1.
    public var maxRetriesPerTask: Int = 0
    /// Timeout of tasks that set none (neither their own nor a job default).
    public var defaultTaskTimeout: Duration = .seconds(30 * 60)
    /// How long past a task's timeout the scheduler waits for a final status before it declares
    /// the attempt TIMEDOUT and aborts it.
    public var taskTimeoutOverhead: Duration = .seconds(15)
    /// Distinct requestors that may have jobs in memory at once.
    public var maxRequestors: Int = 10
    /// Jobs one requestor may have in memory at once.
    public var maxJobsPerRequestor: Int = 100
    /// The most tasks one job may have (`InvalidRequest` past it). Scoot has no such limit; one
    /// job of 400,000 tasks held the scheduler for seconds and a gigabyte of memory.
    public var maxTasksPerJob: Int = 100_000
    /// The most unfinished tasks (waiting or running) of all jobs together, new job included
    /// (`CanNotScheduleNow` past it): what bounds the scheduler's memory, about 2 KB a task.
    public var maxQueuedTasks: Int = 1_000_000
    /// The most bytes of text one job definition may carry (argv, environment, ids, tag, basis,
    /// requestor; `InvalidRequest` past it).
    public var maxJobDefinitionBytes: Int = 8 << 20
    /// Time between two scheduling steps of `run()`.
    public var tickInterval: Duration = .milliseconds(250)
    /// Whether `maxTasks` is enforced at admission.
    public var throttleMode: ThrottleMode = .enforce
    /// Requestors allowed to offline and reinstate workers; empty → everyone.
    public var admins: Set<String> = []
    /// The `retryAfterMs` sent with `CanNotScheduleNow`.
    public var admissionRetryAfter: Duration = .seconds(1)
    /// How long a worker that left the cluster stays suspended, waiting to come back with its
    /// state, before it is forgotten.
    public var lostWorkerGrace: Duration = .seconds(60)
    /// How long a finished job answers status queries after its end before it is forgotten, in
    /// memory and in the journal.
    public var finishedJobRetention: Duration = .seconds(7 * 24 * 60 * 60)
    /// The most finished jobs kept within the retention; past it the oldest are forgotten first.
    public var maxFinishedJobsKept: Int = 10_000
    /// The most tasks of finished jobs kept together (the latest finished job is always kept).
    public var maxFinishedTasksKept: Int = 200_000

    /// Scoot's defaults.
    public init() {}
}
