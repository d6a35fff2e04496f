import Foundation
@testable import SchedulerCore

/// A journal that keeps its records in memory and can be told to fail: the scheduler-level
/// persistence tests' stand-in for the SQLite store.
final class InMemoryJobJournal: JobJournal, @unchecked Sendable {
    /// One write, as the scheduler made it.
    enum Record: Hashable {
        case jobAccepted(String)
        case taskStarted(TaskAttemptStart)
        case taskProgressed(jobID: String, taskID: String, RunStatus)
        case taskEnded(jobID: String, taskID: String, RunStatus)
        case jobEnded(String, killed: Bool)
        case settingsChanged(SchedulerSettings)
        case purge(endedBefore: Date)
    }

    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "disk full (injected)" }
    }

    // All state is guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [Record] = []
    private var failing = false
    private let contents: JournalContents

    /// A journal whose `load()` returns `contents`.
    init(contents: JournalContents = JournalContents()) {
        self.contents = contents
    }

    /// Every write so far, in order.
    var records: [Record] { lock.withLock { recorded } }

    /// Makes every later write throw (or succeed again).
    func setFailing(_ fails: Bool) { lock.withLock { failing = fails } }

    func load() throws -> JournalContents { contents }
    func jobAccepted(_ job: JournaledJob) throws { try record(.jobAccepted(job.id)) }
    func taskStarted(_ start: TaskAttemptStart) throws { try record(.taskStarted(start)) }
    func taskProgressed(jobID: String, taskID: String, status: RunStatus) throws {
        try record(.taskProgressed(jobID: jobID, taskID: taskID, status))
    }
    func taskEnded(jobID: String, taskID: String, status: RunStatus, at time: Date) throws {
        try record(.taskEnded(jobID: jobID, taskID: taskID, status))
    }
    func jobEnded(jobID: String, killed: Bool, at time: Date) throws { try record(.jobEnded(jobID, killed: killed)) }
    func settingsChanged(_ settings: SchedulerSettings) throws { try record(.settingsChanged(settings)) }
    func purgeJobs(endedBefore cutoff: Date) throws { try record(.purge(endedBefore: cutoff)) }

    private func record(_ record: Record) throws {
        try lock.withLock {
            if failing { throw InjectedFailure() }
            recorded.append(record)
        }
    }
}
