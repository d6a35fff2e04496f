/// A job's status as `GetStatus` reports it (docs/scoot.md, "How GetStatus is derived").
public struct JobStatus: Sendable, Hashable {
    /// The job id, echoed even when unknown.
    public var id: String
    /// NOT_STARTED for an unknown id, IN_PROGRESS until every task is completed, then COMPLETED.
    public var status: ProgressStatus
    /// Every task of the job by task id.
    public var taskStatus: [String: ProgressStatus]
    /// The latest run status of each task that has one: the final one when COMPLETED, the
    /// latest RUNNING report while IN_PROGRESS.
    public var taskData: [String: RunStatus]

    /// Creates a job status.
    public init(id: String, status: ProgressStatus, taskStatus: [String: ProgressStatus] = [:], taskData: [String: RunStatus] = [:]) {
        self.id = id
        self.status = status
        self.taskStatus = taskStatus
        self.taskData = taskData
    }
}
