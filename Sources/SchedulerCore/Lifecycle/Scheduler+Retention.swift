/// Finished jobs are kept for status queries for `finishedJobRetention`, and at most
/// `maxFinishedJobsKept` of them with at most `maxFinishedTasksKept` tasks together; then the
/// oldest are forgotten in memory and in the journal.
extension Scheduler {
    /// A finished job, when it ended and its size, in order of ending.
    struct FinishedJob: Sendable {
        let id: String
        let endedAt: SchedulerInstant
        let taskCount: Int
    }

    /// Forgets the finished jobs that ended more than the retention ago, and the oldest past the
    /// caps. Cheap when none is due: it looks at the oldest finished job and two counts.
    func purgeExpiredJobs(now: SchedulerInstant) {
        let cutoff = now - configuration.finishedJobRetention
        var expiredCount = 0
        var tasksLeft = finishedTaskCount
        while expiredCount < finishedJobs.count {
            let oldest = finishedJobs[expiredCount]
            let kept = finishedJobs.count - expiredCount
            let overCaps = kept > configuration.maxFinishedJobsKept || (kept > 1 && tasksLeft > configuration.maxFinishedTasksKept)
            guard oldest.endedAt < cutoff || overCaps else { break }
            tasksLeft -= oldest.taskCount
            expiredCount += 1
        }
        guard expiredCount > 0 else { return }
        let expired = Set(finishedJobs.prefix(expiredCount).map(\.id))
        // The journal forgets the jobs that ended before the first one kept (or the cutoff).
        let journalCutoff = expiredCount < finishedJobs.count ? max(cutoff, finishedJobs[expiredCount].endedAt) : cutoff
        finishedJobs.removeFirst(expiredCount)
        finishedTaskCount = tasksLeft
        for id in expired { jobRecords[id] = nil }
        // Forgotten ids leave `submissionOrder` in batches: removing them at every purge cost
        // the whole list each step (10,000 ids, four steps a second).
        forgottenInSubmissionOrder += expiredCount
        if forgottenInSubmissionOrder > submissionOrder.count / 2 {
            submissionOrder.removeAll { jobRecords[$0] == nil }
            forgottenInSubmissionOrder = 0
        }
        journalWriter?.append(.purgeJobs(endedBefore: wallTime(journalCutoff)))
    }

    /// Adds a job that just finished (or was recovered finished) to the retention's list.
    func keepFinished(_ id: String, endedAt: SchedulerInstant) {
        let taskCount = jobRecords[id]!.tasks.count
        finishedJobs.append(FinishedJob(id: id, endedAt: endedAt, taskCount: taskCount))
        finishedTaskCount += taskCount
    }
}
