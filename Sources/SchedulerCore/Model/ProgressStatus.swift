/// The IDL's `Status` for jobs and tasks, limited to the values Scoot's scheduler reaches
/// (ROLLING_BACK and ROLLED_BACK are never produced: docs/scoot.md, "How GetStatus is derived").
public enum ProgressStatus: String, Sendable, Hashable, CaseIterable {
    /// NOT_STARTED: queued and never tried, or an unknown job id.
    case notStarted = "NOT_STARTED"
    /// IN_PROGRESS: a job not yet finished; a task running or waiting for a retry.
    case inProgress = "IN_PROGRESS"
    /// COMPLETED: finished, whether it succeeded or not.
    case completed = "COMPLETED"
}
