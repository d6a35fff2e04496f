/// Finished jobs are kept for status queries for `finishedJobRetention`, then forgotten in
/// memory and in the journal.
extension Scheduler {
    /// A finished job and when it ended, in order of ending.
    struct FinishedJob: Sendable {
        let id: String
        let endedAt: SchedulerInstant
    }

    /// Forgets the finished jobs that ended more than the retention ago. Cheap when none did: it
    /// looks at the oldest finished job only.
    func purgeExpiredJobs(now: SchedulerInstant) {
        let cutoff = now - configuration.finishedJobRetention
        let expiredCount = finishedJobs.prefix { $0.endedAt < cutoff }.count
        guard expiredCount > 0 else { return }
        let expired = Set(finishedJobs.prefix(expiredCount).map(\.id))
        finishedJobs.removeFirst(expiredCount)
        for id in expired { jobRecords[id] = nil }
        submissionOrder.removeAll { expired.contains($0) }
        journalWriter?.append(.purgeJobs(endedBefore: wallTime(cutoff)))
    }
}
