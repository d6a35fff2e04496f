import Foundation
import JobStore
import SchedulerCore

/// One record per commit, for tests that write a journal by hand the way a quiet scheduler does.
extension SQLiteJobJournal {
    func jobAccepted(_ job: JournaledJob) throws { try commit([.jobAccepted(job)]) }
    func taskStarted(_ start: TaskAttemptStart) throws { try commit([.taskStarted(start)]) }
    func taskProgressed(jobID: String, taskID: String, status: RunStatus) throws {
        try commit([.taskProgressed(jobID: jobID, taskID: taskID, status: status)])
    }
    func taskEnded(jobID: String, taskID: String, status: RunStatus, at time: Date) throws {
        try commit([.taskEnded(jobID: jobID, taskID: taskID, status: status, at: time)])
    }
    func jobEnded(jobID: String, killed: Bool, at time: Date) throws { try commit([.jobEnded(jobID: jobID, killed: killed, at: time)]) }
    func settingsChanged(_ settings: SchedulerSettings) throws { try commit([.settingsChanged(settings)]) }
    func purgeJobs(endedBefore cutoff: Date) throws { try commit([.purgeJobs(endedBefore: cutoff)]) }
}
