import Foundation

/// KillJob (docs/scoot.md, "Killing a job"). Takes effect at once: waiting tasks are Completed with
/// ABORTED/`UserRequested`, running attempts are aborted and Completed with
/// `UserRequested -> Error(s) encountered, canceling task.`, never retried.
extension Scheduler {
    /// Kills an in-memory job and returns its status right afterwards. The kill is one durable
    /// record (the job ended, killed), written in the journal writer's next group commit before
    /// anything changes (the job keeps running meanwhile); a failure fails the call.
    /// Running attempts are then aborted; the waiting tasks are shown ended (ABORTED,
    /// `UserRequested`) from that moment, by derivation, and are ended in the record by the
    /// following steps, `killSlice` at a time, so that a kill of any size answers at once. They
    /// are not journaled one by one: recovery ends every task of a killed job that has no final
    /// status the way the kill did. The status is built off the actor.
    public nonisolated func kill(jobID: String) async throws(SchedulerError) -> JobStatus {
        JobStatus(try await killWithSnapshot(jobID: jobID))
    }

    /// Kills as `kill(jobID:)` does and returns the job's status right afterwards as a snapshot,
    /// to be read task by task (a server encodes its reply straight from it).
    public nonisolated func killWithSnapshot(jobID: String) async throws(SchedulerError) -> JobStatusSnapshot {
        let request = try await requestKill(jobID)
        if let writer = request.journalWriter {
            do {
                try await writer.commit(.jobEnded(jobID: jobID, killed: true, at: request.wallTime))
            } catch {
                await withdrawKill(jobID)
                throw .failed("could not persist the kill of job Id \(jobID), it was not killed: \(error)")
            }
        }
        guard let job = await beginKill(jobID, now: request.now) else { return JobStatusSnapshot(unknownJob: jobID) }
        return JobStatusSnapshot(job)
    }

    /// Waiting tasks of killed jobs a step ends in the record.
    static let killSlice = 5_000

    /// A kill checked and claimed, waiting for its journal write.
    struct KillRequest: Sendable {
        let now: SchedulerInstant
        let wallTime: Date
        let journalWriter: JournalWriter?
    }

    private func requestKill(_ jobID: String) throws(SchedulerError) -> KillRequest {
        guard activeJobIDs.contains(jobID), let job = jobRecords[jobID] else {
            throw .notFound("cannot kill Job Id \(jobID), not found.")
        }
        guard !job.killed, !job.killRequested else { throw .failed("job Id \(jobID) was already killed, request ignored") }
        jobRecords[jobID]!.killRequested = true
        let now = clock.now
        return KillRequest(now: now, wallTime: wallTime(now), journalWriter: journalWriter)
    }

    private func withdrawKill(_ jobID: String) {
        jobRecords[jobID]?.killRequested = false
    }

    /// Marks the job killed, aborts its running attempts and wakes `run()` to end its waiting
    /// tasks; the job's record afterwards (nil when it is gone).
    private func beginKill(_ jobID: String, now: SchedulerInstant) -> JobRecord? {
        guard activeJobIDs.contains(jobID), jobRecords[jobID]?.isFinished == false else { return jobRecords[jobID] }
        jobRecords[jobID]!.killed = true
        jobRecords[jobID]!.killedAt = now
        jobRecords[jobID]!.endJournaled = journalWriter != nil
        for running in runningAttempts.values where running.jobID == jobID {
            abortAttempt(of: running, error: RunStatus.userRequested + RunStatus.deadLetterTrailer, now: now, journaled: journalWriter == nil)
        }
        wake()
        return jobRecords[jobID]
    }

    /// Ends up to `killSlice` waiting tasks of killed jobs in the record: a step's share of the
    /// kills in progress.
    func endWaitingTasksOfKilledJobs() {
        var budget = Self.killSlice
        for jobID in activeJobIDs where budget > 0 {
            // Read in place, never through a copy of the record kept alive while a task changes:
            // that would copy all of the job's tasks.
            guard let killedAt = jobRecords[jobID]!.killedAt, jobRecords[jobID]!.hasWaitingTask else { continue }
            let journaled = jobRecords[jobID]!.endJournaled
            for index in jobRecords[jobID]!.firstWaitingTaskIndices(limit: budget) {
                endKilled(TaskReference(jobID: jobID, taskID: jobRecords[jobID]!.tasks[index].taskID), at: index, now: killedAt, journaled: journaled)
                budget -= 1
            }
        }
    }

    private func endKilled(_ reference: TaskReference, at index: Int, now: SchedulerInstant, journaled: Bool) {
        let end = { (task: inout TaskRecord) in task.endByKill(at: now) }
        if journaled { jobRecords[reference.jobID]!.updateTask(at: index, end) } else { updateTask(reference, end) }
    }

    /// Marks the job killed and ends every task that is not Completed, all at once, each end
    /// journaled (a job replaced by a newer one of the same requestor and basis).
    func killTasks(ofJob jobID: String, now: SchedulerInstant) {
        jobRecords[jobID]!.killed = true
        for index in jobRecords[jobID]!.tasks.indices {
            let task = jobRecords[jobID]!.tasks[index]
            let reference = TaskReference(jobID: jobID, taskID: task.taskID)
            switch task.state {
            case .notStarted: endKilled(reference, at: index, now: now, journaled: false)
            case .inProgress: abortAttempt(of: reference, error: RunStatus.userRequested + RunStatus.deadLetterTrailer, now: now)
            case .completed: break
            }
        }
    }
}
