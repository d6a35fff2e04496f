/// One job as the console lists it.
public struct JobSummary: Sendable, Hashable {
    /// How many of a job's tasks are in each state.
    public struct TaskCounts: Sendable, Hashable {
        /// Not started, including tasks waiting for a retry.
        public var waiting: Int
        /// Running on a worker.
        public var running: Int
        /// Finished with COMPLETE and exit code 0.
        public var completed: Int
        /// Finished any other way but a kill: non-zero exit, FAILED, ABORTED by a rebalance,
        /// TIMEDOUT or UNKNOWN.
        public var failed: Int
        /// Of `failed`, the tasks a rebalance stopped (ABORTED, `RebalanceRequested`).
        public var preempted: Int
        /// Killed by a user (ABORTED, `UserRequested`), whether they had started or not.
        public var killed: Int

        /// Creates counts.
        public init(waiting: Int = 0, running: Int = 0, completed: Int = 0, failed: Int = 0, preempted: Int = 0, killed: Int = 0) {
            self.waiting = waiting
            self.running = running
            self.completed = completed
            self.failed = failed
            self.preempted = preempted
            self.killed = killed
        }
    }

    /// The job id.
    public var id: String
    /// Who submitted it.
    public var requestor: String
    /// Its scheduling class under the current settings.
    public var className: String
    /// Its tag (the job id when submitted without one).
    public var tag: String
    /// Its basis.
    public var basis: String
    /// Its priority.
    public var priority: Int
    /// Its job type.
    public var jobType: String
    /// IN_PROGRESS until every task is completed, then COMPLETED.
    public var status: ProgressStatus
    /// Whether it was killed (by a user or by a newer job with the same basis).
    public var killed: Bool
    /// Its tasks by state.
    public var taskCounts: TaskCounts
    /// When it was accepted.
    public var submittedAt: SchedulerInstant
    /// When its first task started.
    public var startedAt: SchedulerInstant?
    /// When its last task completed and it left the scheduler's memory.
    public var endedAt: SchedulerInstant?
}
