/// One task of a job as the console lists it: its progress, where its latest attempt ran and when.
public struct TaskProgress: Sendable, Hashable {
    /// The task id.
    public var taskID: String
    /// As in `JobStatus.taskStatus`: NOT_STARTED until tried, IN_PROGRESS while running or
    /// waiting for a retry, COMPLETED once it has its final status.
    public var status: ProgressStatus
    /// The worker running the latest attempt, or the one that ran it; nil before the first
    /// attempt (and for tasks of a job recovered from the journal that have not run since).
    public var workerID: String?
    /// When the latest attempt started.
    public var startedAt: SchedulerInstant?
    /// When the task completed, also by a kill; nil until then.
    public var endedAt: SchedulerInstant?
    /// Attempts started in this scheduler's life.
    public var attempts: Int
}
