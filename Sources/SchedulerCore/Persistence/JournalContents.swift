import Foundation

/// What a journal holds, as read back for recovery.
public struct JournalContents: Sendable, Hashable {
    /// The settings last written, or nil when none ever were (the defaults apply).
    public var settings: SchedulerSettings?
    /// Every job, unfinished and finished, in submission order.
    public var jobs: [RecoveredJob]

    /// Creates journal contents.
    public init(settings: SchedulerSettings? = nil, jobs: [RecoveredJob] = []) {
        self.settings = settings
        self.jobs = jobs
    }

    /// The jobs without a job end, in submission order.
    public var unfinishedJobs: [RecoveredJob] { jobs.filter { $0.endedAt == nil } }
    /// The jobs with a job end, in submission order.
    public var finishedJobs: [RecoveredJob] { jobs.filter { $0.endedAt != nil } }
}

/// A job read back from a journal.
public struct RecoveredJob: Sendable, Hashable {
    /// The job as admitted.
    public var job: JournaledJob
    /// The final status of each task that ended, by task id.
    public var endedTasks: [String: RunStatus]
    /// When its first attempt started, if any did.
    public var startedAt: Date?
    /// When its last task ended; nil for an unfinished job.
    public var endedAt: Date?
    /// Whether it was killed (finished jobs only).
    public var killed: Bool

    /// Creates a recovered job.
    public init(job: JournaledJob, endedTasks: [String: RunStatus] = [:], startedAt: Date? = nil, endedAt: Date? = nil, killed: Bool = false) {
        self.job = job
        self.endedTasks = endedTasks
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.killed = killed
    }
}
