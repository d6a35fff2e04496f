import Foundation

/// An attempt of a task placed on a worker.
public struct TaskAttemptStart: Sendable, Hashable {
    /// The task's job.
    public var jobID: String
    /// The task.
    public var taskID: String
    /// 1 for the first attempt of the task in this scheduler's life, then 2, 3, ….
    public var attempt: Int
    /// The worker that runs it.
    public var workerID: String
    /// When it was placed.
    public var startedAt: Date

    /// Creates an attempt start.
    public init(jobID: String, taskID: String, attempt: Int, workerID: String, startedAt: Date) {
        self.jobID = jobID
        self.taskID = taskID
        self.attempt = attempt
        self.workerID = workerID
        self.startedAt = startedAt
    }
}
