import Foundation

/// KillJob (docs/scoot.md, "Killing a job"). Takes effect at once: waiting tasks are Completed with
/// ABORTED/`UserRequested`, running attempts are aborted and Completed with
/// `UserRequested -> Error(s) encountered, canceling task.`, never retried.
extension Scheduler {
    /// Kills an in-memory job and returns its status right afterwards. The kill is one durable
    /// record (the job ended, killed), written on the journal's thread before anything changes
    /// (the job keeps running meanwhile); a failure fails the call.
    /// Running attempts are aborted at once; waiting tasks are ended in slices of `killSlice`,
    /// each its own turn on the actor, so that other calls are answered in between (the job is
    /// never scheduled again meanwhile). The tasks it ends are not journaled one by one: recovery
    /// ends every task of a killed job that has no final status the way the kill did. The status
    /// is built off the actor.
    public nonisolated func kill(jobID: String) async throws(SchedulerError) -> JobStatus {
        let request = try await requestKill(jobID)
        if let journal = request.journal {
            let wallTime = request.wallTime
            do {
                try await journal.thread.run { try journal.journal.jobEnded(jobID: jobID, killed: true, at: wallTime) }
            } catch {
                await withdrawKill(jobID)
                throw .failed("could not persist the kill of job Id \(jobID), it was not killed: \(error)")
            }
        }
        if await beginKill(jobID, now: request.now) {
            var next: Int? = 0
            while let from = next { next = await endWaitingTasks(ofKilledJob: jobID, from: from, now: request.now) }
        }
        guard let job = await jobRecord(jobID) else { return JobStatus(id: jobID, status: .notStarted) }
        return Self.status(of: job)
    }

    /// Waiting tasks a kill ends in one turn on the actor.
    static let killSlice = 5_000

    /// A kill checked and claimed, waiting for its journal write.
    struct KillRequest: Sendable {
        let now: SchedulerInstant
        let wallTime: Date
        let journal: (journal: any JobJournal, thread: JournalThread)?
    }

    private func requestKill(_ jobID: String) throws(SchedulerError) -> KillRequest {
        guard activeJobIDs.contains(jobID), let job = jobRecords[jobID] else {
            throw .notFound("cannot kill Job Id \(jobID), not found.")
        }
        guard !job.killed, !job.killRequested else { throw .failed("job Id \(jobID) was already killed, request ignored") }
        jobRecords[jobID]!.killRequested = true
        let now = clock.now
        return KillRequest(now: now, wallTime: wallTime(now), journal: journal.map { ($0, journalThread) })
    }

    private func withdrawKill(_ jobID: String) {
        jobRecords[jobID]?.killRequested = false
    }

    /// Marks the job killed and aborts its running attempts; false when it finished meanwhile.
    private func beginKill(_ jobID: String, now: SchedulerInstant) -> Bool {
        guard activeJobIDs.contains(jobID), jobRecords[jobID]?.isFinished == false else { return false }
        jobRecords[jobID]!.killed = true
        jobRecords[jobID]!.endJournaled = journal != nil
        for running in runningAttempts.values where running.jobID == jobID {
            abortAttempt(of: running, error: RunStatus.userRequested + RunStatus.deadLetterTrailer, now: now, journaled: journal == nil)
        }
        return true
    }

    /// Ends up to `killSlice` waiting tasks of a killed job from task index `from`; the index to
    /// go on from, or nil when none is left.
    private func endWaitingTasks(ofKilledJob jobID: String, from: Int, now: SchedulerInstant) -> Int? {
        // Read in place, never through a copy of the record: a copy alive while a task changes
        // would copy all of the job's tasks.
        guard let count = jobRecords[jobID]?.tasks.count, let journaled = jobRecords[jobID]?.endJournaled else { return nil }
        var index = from
        var ended = 0
        while index < count, ended < Self.killSlice {
            if jobRecords[jobID]!.tasks[index].state == .notStarted {
                endKilled(TaskReference(jobID: jobID, taskID: jobRecords[jobID]!.tasks[index].taskID), at: index, now: now, journaled: journaled)
                ended += 1
            }
            index += 1
        }
        return index < count ? index : nil
    }

    private func endKilled(_ reference: TaskReference, at index: Int, now: SchedulerInstant, journaled: Bool) {
        let end = { (task: inout TaskRecord) in
            task.state = .completed
            task.finalStatus = RunStatus(state: .aborted, error: RunStatus.userRequested)
            task.endedAt = now
        }
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
