import Foundation

/// What the scheduler writes to its journal as state changes (docs/scoot.md, "The saga log" and
/// "Settings persistence"), through its `JournalWriter`. Writes that acknowledge something to a
/// client (a job, a kill, a setting) are awaited and fail the request when they fail; the others
/// happen during a step and ride in the next group commit (after a restart, a task whose end was
/// not yet written runs again).
extension Scheduler {
    /// How the journal is doing: nil without one.
    public nonisolated func journalHealth() async -> JournalHealth? {
        await journalWriter?.health
    }

    /// Returns once every record so far is durable; false when the journal is failing (or there
    /// is none to write to, true then). What a clean shutdown waits for.
    public nonisolated func flushJournal() async -> Bool {
        guard let writer = await journalWriter else { return true }
        return await writer.flush()
    }

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

    /// Journals what changed in a task: an attempt start, a new RUNNING report, a final status.
    func journalChange(of reference: TaskReference, from before: TaskRecord, to after: TaskRecord) {
        guard let journalWriter else { return }
        if before.state != .inProgress, after.state == .inProgress, let attempt = after.attempt {
            journalWriter.append(
                .taskStarted(
                    TaskAttemptStart(
                        jobID: reference.jobID, taskID: reference.taskID, attempt: after.timesTried, workerID: attempt.workerID,
                        startedAt: wallTime(attempt.startedAt))))
        }
        if after.state == .inProgress, let report = after.latestReport, report != before.latestReport {
            journalWriter.append(.taskProgressed(jobID: reference.jobID, taskID: reference.taskID, status: report))
        }
        if before.state != .completed, after.state == .completed, let final = after.finalStatus {
            journalWriter.append(.taskEnded(jobID: reference.jobID, taskID: reference.taskID, status: final, at: wallTime(clock.now)))
        }
    }

    /// Journals the end of a job whose last task has ended.
    func journalJobEnded(_ job: JobRecord, at now: SchedulerInstant) {
        journalWriter?.append(.jobEnded(jobID: job.id, killed: job.killed, at: wallTime(now)))
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
