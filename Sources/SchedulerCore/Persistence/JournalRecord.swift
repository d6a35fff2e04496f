import Foundation

/// One thing the scheduler writes to its journal (docs/scoot.md, "The saga log" and "Settings
/// persistence"). A journal commits a group of them in one transaction.
public enum JournalRecord: Sendable, Hashable {
    /// A job was admitted; written before its id is returned to the client.
    case jobAccepted(JournaledJob)
    /// An attempt of a task was placed on a worker.
    case taskStarted(TaskAttemptStart)
    /// A running attempt reported a not-yet-done status (RUNNING or PENDING, with its URIs).
    case taskProgressed(jobID: String, taskID: String, status: RunStatus)
    /// A task reached its final status and will not run again.
    case taskEnded(jobID: String, taskID: String, status: RunStatus, at: Date)
    /// Every task of the job has ended, or it was killed (then written before KillJob answers).
    case jobEnded(jobID: String, killed: Bool, at: Date)
    /// A client changed a setting; holds all of them as they are after the change.
    case settingsChanged(SchedulerSettings)
    /// The finished jobs that ended before the date are deleted, with everything about them.
    case purgeJobs(endedBefore: Date)
}
