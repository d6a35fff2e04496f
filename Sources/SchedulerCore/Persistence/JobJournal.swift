import Foundation

/// Where the scheduler writes what it must not lose, and what it reads back on start
/// (docs/scoot.md, "The saga log", "Settings persistence" and "Restart and job recovery"; the
/// fixes in docs/deviations.md).
///
/// The `Scheduler` calls every method synchronously from inside its actor, so an implementation
/// sees the calls in the order the scheduler made them and needs no ordering of its own. A
/// method returns only once its record is durable: `jobAccepted` is written before RunJob
/// acknowledges the job, and a setting before its setter returns.
public protocol JobJournal: Sendable {
    /// Everything the journal holds, for recovery; called once, when the scheduler starts.
    func load() throws -> JournalContents
    /// A job was admitted; called before its id is returned to the client.
    func jobAccepted(_ job: JournaledJob) throws
    /// An attempt of a task was placed on a worker.
    func taskStarted(_ start: TaskAttemptStart) throws
    /// A running attempt reported a not-yet-done status (RUNNING or PENDING, with its URIs).
    func taskProgressed(jobID: String, taskID: String, status: RunStatus) throws
    /// A task reached its final status and will not run again.
    func taskEnded(jobID: String, taskID: String, status: RunStatus, at time: Date) throws
    /// Every task of the job has ended.
    func jobEnded(jobID: String, killed: Bool, at time: Date) throws
    /// A client changed a setting; `settings` holds all of them as they are now.
    func settingsChanged(_ settings: SchedulerSettings) throws
    /// Deletes the finished jobs that ended before `cutoff`, with everything recorded about them.
    func purgeJobs(endedBefore cutoff: Date) throws
}
