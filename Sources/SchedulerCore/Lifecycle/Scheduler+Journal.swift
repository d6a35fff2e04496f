import Foundation

/// What the scheduler writes to its journal as state changes (docs/scoot.md, "The saga log" and
/// "Settings persistence").
/// Writes that acknowledge something to a client (a job, a setting) fail the request; the others
/// happen during a step, where a failure cannot be answered, so it is kept for `lastJournalFailure()`
/// and the scheduler goes on (after a restart such a task runs again).
extension Scheduler {
    /// The last journal write that failed during a step, or nil when every one succeeded.
    public func lastJournalFailure() -> String? { journalFailure }

    /// The wall-clock time of a scheduler instant.
    func wallTime(_ instant: SchedulerInstant) -> Date {
        wallClockOrigin.addingTimeInterval(instant.seconds)
    }

    /// The scheduler instant of a wall-clock time (negative before this scheduler started).
    func instant(of date: Date) -> SchedulerInstant {
        .seconds(date.timeIntervalSince(wallClockOrigin))
    }

    /// The client-changed settings as they are now.
    var currentSettings: SchedulerSettings {
        SchedulerSettings(
            classLoadPercents: classLoadPercents, requestorToClassMap: requestorClassifier.patterns,
            rebalanceThreshold: rebalanceThreshold, rebalanceMinimumDurationMinutes: rebalanceMinimumDurationMinutes,
            maxTasks: maxTasks)
    }

    /// Writes `settings` before a setter applies them; a failure fails the setter.
    func persist(_ settings: SchedulerSettings) throws(SchedulerError) {
        do {
            try journal?.settingsChanged(settings)
        } catch {
            throw .failed("could not persist the settings: \(error)")
        }
    }

    /// Writes an admitted job before its id is returned; a failure fails RunJob.
    func persistAccepted(_ job: JournaledJob) throws(SchedulerError) {
        do {
            try journal?.jobAccepted(job)
        } catch {
            throw .failed("could not persist the job, it was not accepted: \(error)")
        }
    }

    /// Journals what changed in a task: an attempt start, a new RUNNING report, a final status.
    func journalChange(of reference: TaskReference, from before: TaskRecord, to after: TaskRecord) {
        guard let journal else { return }
        if before.state != .inProgress, after.state == .inProgress, let attempt = after.attempt {
            let start = TaskAttemptStart(
                jobID: reference.jobID, taskID: reference.taskID, attempt: after.timesTried, workerID: attempt.workerID,
                startedAt: wallTime(attempt.startedAt))
            recordFailure(of: "task start") { try journal.taskStarted(start) }
        }
        if after.state == .inProgress, let report = after.latestReport, report != before.latestReport {
            recordFailure(of: "task progress") { try journal.taskProgressed(jobID: reference.jobID, taskID: reference.taskID, status: report) }
        }
        if before.state != .completed, after.state == .completed, let final = after.finalStatus {
            let time = wallTime(clock.now)
            recordFailure(of: "task end") { try journal.taskEnded(jobID: reference.jobID, taskID: reference.taskID, status: final, at: time) }
        }
    }

    /// Journals the end of a job whose last task has ended.
    func journalJobEnded(_ job: JobRecord, at now: SchedulerInstant) {
        guard let journal else { return }
        recordFailure(of: "job end") { try journal.jobEnded(jobID: job.id, killed: job.killed, at: wallTime(now)) }
    }

    /// Runs a journal write whose failure cannot be reported to a client.
    func recordFailure(of write: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            journalFailure = "\(write): \(error)"
        }
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
