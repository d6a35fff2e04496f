/// A rebalance the scheduler did: when, the spread that set it off, and the tasks it stopped.
public struct RebalanceRecord: Sendable, Hashable {
    /// One task it stopped, with the class of its job.
    public struct StoppedTask: Sendable, Hashable {
        /// The task.
        public var task: TaskReference
        /// Its job's class at the time.
        public var className: String
    }

    /// When it happened.
    public var at: SchedulerInstant
    /// The spread in percentage points.
    public var spread: Int
    /// The threshold it was over.
    public var threshold: Int
    /// The tasks it stopped (ABORTED with `RebalanceRequested`, not retried).
    public var stopped: [StoppedTask]
}
