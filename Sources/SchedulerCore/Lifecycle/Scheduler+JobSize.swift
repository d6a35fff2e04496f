/// What lets a server decide where to build a job's status: a small one on the actor's executor
/// at once (in `serve`, the event loop of the connection that asked), a large one elsewhere.
extension Scheduler {
    /// The number of tasks of a known job, nil for an unknown or purged one.
    public func taskCount(ofJob jobID: String) -> Int? {
        jobRecords[jobID]?.tasks.count
    }

    /// The status of job `jobID` as `status(of:)` derives it, built on the actor in one turn, if
    /// the job has at most `taskLimit` tasks (an unknown job is NOT_STARTED); nil for a larger
    /// job, whose status `status(of:)` builds off the actor.
    public func status(of jobID: String, ifAtMost taskLimit: Int) -> JobStatus? {
        guard let job = jobRecords[jobID] else { return JobStatus(id: jobID, status: .notStarted) }
        return job.tasks.count <= taskLimit ? Self.status(of: job) : nil
    }
}
