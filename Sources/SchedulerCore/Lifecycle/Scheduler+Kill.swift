/// KillJob (docs/scoot.md, "Killing a job"). Takes effect at once: waiting tasks are Completed with
/// ABORTED/`UserRequested`, running attempts are aborted and Completed with
/// `UserRequested -> Error(s) encountered, canceling task.`, never retried.
extension Scheduler {
    /// Kills an in-memory job and returns its status right afterwards.
    public func kill(jobID: String) throws(SchedulerError) -> JobStatus {
        guard activeJobIDs.contains(jobID), let job = jobRecords[jobID] else {
            throw .notFound("cannot kill Job Id \(jobID), not found.")
        }
        guard !job.killed else { throw .failed("job Id \(jobID) was already killed, request ignored") }
        killTasks(ofJob: jobID, now: clock.now)
        return status(of: jobID)
    }

    /// Marks the job killed and ends every task that is not Completed.
    func killTasks(ofJob jobID: String, now: SchedulerInstant) {
        jobRecords[jobID]!.killed = true
        for task in jobRecords[jobID]!.tasks {
            let reference = TaskReference(jobID: jobID, taskID: task.taskID)
            switch task.state {
            case .notStarted:
                updateTask(reference) { task in
                    task.state = .completed
                    task.finalStatus = RunStatus(state: .aborted, error: RunStatus.userRequested)
                    task.endedAt = now
                }
            case .inProgress:
                abortAttempt(of: reference, error: RunStatus.userRequested + RunStatus.deadLetterTrailer, now: now)
            case .completed:
                break
            }
        }
    }
}
