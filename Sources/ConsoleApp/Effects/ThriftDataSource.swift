import HostEnvironment
import ClusterObservation
import ScootAPI
import Thrift

/// The console's one data path: the CloudScoot client, with scoot-console's extension calls where
/// the server has them. Against a plain Scoot scheduler it falls back to CloudScoot calls and the
/// jobs it knows (submitted or typed in), and says which panes are limited.
public actor ThriftDataSource {
    let client: ScootConsoleClient
    var extensionSupported = true
    /// False once the server answered ListTasks with UNKNOWN_METHOD (an extension without it).
    private var listTasksSupported = true
    /// Job ids the console knows without ListJobs (a plain Scoot scheduler cannot list jobs).
    var knownJobs: [String] = []
    /// The scheduler's HTTP port, for `/admin/metrics.json` against a plain Scoot scheduler.
    let metricsAddress: HostAndPort?
    /// The last metrics fetch, reused for `metricsEvery`.
    var lastMetrics: MetricsFetch?
    /// The last ListJobs answer and the fingerprint GetClusterLoad gave just before it: while
    /// the fingerprint stays the same, ListJobs is not asked again.
    private var cachedJobs: (fingerprint: Int64, jobs: [JobSummary])?
    /// Settings change rarely: they are re-read when GetClusterLoad's settings fingerprint
    /// changes (without one, every `settingsEvery` polls), and after every action.
    private var cachedSettings: ClusterSnapshot.Settings?
    /// The most jobs one poll asks ListJobs for; a full answer is shown as a limitation.
    let jobListLimit: Int
    private var cachedSettingsFingerprint: Int64?
    private var pollsSinceSettings = 0
    private let settingsEvery = 5
    /// The Scoot workers to poll against a plain Scoot scheduler (`--scoot-workers`).
    let workerPoller: WorkerPoller?
    /// What a plain Scoot scheduler and its workers showed of each known job: statuses are read
    /// within a budget (real Scoot rebuilds each from disk), at most 10 a second, a job every 2 s.
    var observed = ObservedJobs(maximumJobs: 2000, schedule: StatusRefreshSchedule(readsPerSecond: 10, minimumInterval: .seconds(2)))
    /// Workers this console offlined (a plain Scoot scheduler does not say which are offline).
    var offlinedWorkers: Set<String> = []
    /// Tracked job ids the scheduler does not know (GetStatus: NOT_STARTED with no tasks).
    var unknownJobIDs: Set<String> = []
    /// Jobs this console killed, whose statuses and task lists each poll reads
    /// (`ClusterSnapshot.followedJobTasks`) until the aborts have landed: `followedJobPollsAfterEnd`
    /// polls after the job reads finished, at most `followedJobMaximumPolls` (a kill that never
    /// lands). At most `followedJobLimit` jobs; a newer kill pushes out the oldest.
    private var followedJobs: [FollowedJob] = []
    /// The most jobs followed at once.
    static let followedJobLimit = 16
    /// Polls a killed job is still followed once it reads finished (Scoot aborts its tasks at
    /// its next scheduling steps; the last of them can land a little later).
    static let followedJobPollsAfterEnd = 5
    /// The most polls a killed job is followed.
    static let followedJobMaximumPolls = 120

    /// A killed job being followed, with its polls left.
    private struct FollowedJob {
        let id: String
        var pollsLeft = ThriftDataSource.followedJobMaximumPolls
        var pollsAfterEnd = ThriftDataSource.followedJobPollsAfterEnd
    }

    /// A data source over `caller` (a `ThriftClient` to the scheduler); `metricsAddress` is the
    /// scheduler's HTTP port, read for worker and class counts when the server has no extension;
    /// `workerPoller` asks the Scoot workers what they run (a plain Scoot scheduler cannot list
    /// them); `jobListLimit` is the most jobs one poll lists.
    public init(caller: any ThriftCaller, metricsAddress: HostAndPort? = nil, workerPoller: WorkerPoller? = nil, jobListLimit: Int = 2000) {
        client = ScootConsoleClient(caller: caller)
        self.metricsAddress = metricsAddress
        self.workerPoller = workerPoller
        self.jobListLimit = jobListLimit
    }

    /// One poll: everything the panes show; the worker list only when `workers` (the Workers
    /// pane is shown): otherwise the counts in GetClusterLoad are enough for the header.
    public func fetch(selectedJob: String?, workers wantsWorkers: Bool = true) async throws -> ClusterSnapshot {
        var limitations: [String] = []
        var jobs: [JobSummary] = []
        var workers: [WorkerInfo] = []
        var load: ClusterLoad?
        var workerCounts: WorkerCounts?
        var status: SchedulerStatus?
        var fallback: FallbackPanes?
        if extensionSupported {
            do {
                let clusterLoad = try await client.consoleClusterLoad()
                load = clusterLoad
                status = clusterLoad.schedulerStatus
                if let cachedJobs, cachedJobs.fingerprint == clusterLoad.jobsFingerprint {
                    jobs = cachedJobs.jobs
                } else {
                    jobs = try await client.consoleJobs(JobFilter(limit: Int32(jobListLimit)))
                    cachedJobs = clusterLoad.jobsFingerprint.map { ($0, jobs) }
                }
                if wantsWorkers || clusterLoad.workers == nil {
                    workers = try await client.consoleWorkers()
                } else if let counts = clusterLoad.workers {
                    workerCounts = WorkerCounts(
                        available: Int(counts.idle + counts.busy), free: Int(counts.idle), running: Int(counts.busy),
                        suspended: Int(counts.suspended), offline: Int(counts.offline))
                }
                if jobs.count >= jobListLimit {
                    limitations.append("Jobs: showing the newest \(jobListLimit) jobs, the most one poll asks ListJobs for; older ones are not listed")
                }
            } catch is NotSupportedByServer {
                extensionSupported = false
            }
        }
        let settings = try await currentSettings(fingerprint: load?.settingsFingerprint)
        if !extensionSupported {
            let panes = try await fallbackPanes(settings: settings, selectedJob: selectedJob)
            (jobs, load, limitations, fallback) = (panes.jobs, panes.load, panes.limitations, panes)
            workers = panes.workers
        }
        var selected: JobStatus?
        var selectedTasks: [TaskSummary] = []
        if let selectedJob {
            selected = try await client.getStatus(jobId: selectedJob)
            if extensionSupported, listTasksSupported {
                selectedTasks = try await tasks(ofJob: selectedJob)
            } else if let selected {
                _ = observed.observed(selected, atMs: Self.epochMilliseconds())
                selectedTasks = observed.tasks(ofJob: selectedJob)
            }
        }
        let schedulerStatus: SchedulerStatus
        if let status { schedulerStatus = status } else { schedulerStatus = try await client.getSchedulerStatus() }
        var snapshot = ClusterSnapshot(
            jobs: jobs, workers: workers, load: load, schedulerStatus: schedulerStatus, settings: settings,
            selectedJobStatus: selected, selectedJobTasks: selectedTasks, limitations: limitations)
        snapshot.workerCounts = workerCounts ?? fallback?.workerCounts
        snapshot.unknownJobIDs = fallback?.unknownJobIDs ?? []
        (snapshot.followedJobTasks, snapshot.followedJobStatuses) = await followedJobs(besides: selected)
        return snapshot
    }

    /// The settings: re-read when GetClusterLoad's settings fingerprint changed, or without one
    /// (a plain Scoot) every `settingsEvery` polls; always after an action.
    private func currentSettings(fingerprint: Int64?) async throws -> ClusterSnapshot.Settings {
        if let cachedSettings {
            if let fingerprint {
                if fingerprint == cachedSettingsFingerprint { return cachedSettings }
            } else if pollsSinceSettings < settingsEvery {
                pollsSinceSettings += 1
                return cachedSettings
            }
        }
        let settings = ClusterSnapshot.Settings(
            classLoadPercents: Dictionary(try await client.getClassLoadPercents()), requestorToClassMap: Dictionary(try await client.getRequestorToClassMap()),
            rebalanceThreshold: try await client.getRebalanceThreshold(), rebalanceMinimumDuration: try await client.getRebalanceMinimumDuration())
        cachedSettings = settings
        cachedSettingsFingerprint = fingerprint
        pollsSinceSettings = 1
        return settings
    }

    /// The task lists and statuses of the jobs followed after a kill (not the selected one: its
    /// are in the snapshot already); each job's count of polls goes down by one. What cannot be
    /// read (the job was forgotten) is left out; it never fails the poll.
    private func followedJobs(besides selected: JobStatus?) async -> (tasks: [String: [TaskSummary]], statuses: [String: JobStatus]) {
        guard !followedJobs.isEmpty else { return ([:], [:]) }
        var lists: [String: [TaskSummary]] = [:]
        var statuses: [String: JobStatus] = [:]
        var read: Set<String> = []
        var ended: Set<String> = []
        // Over a copy: a kill while this awaits (the actor is reentrant) changes the list.
        for job in followedJobs {
            let status = job.id == selected?.id ? selected : try? await client.getStatus(jobId: job.id)
            read.insert(job.id)
            // Unknown (forgotten) or finished: counting down to the end.
            if status.map({ Self.finishedStatuses.contains($0.status) }) ?? true { ended.insert(job.id) }
            guard job.id != selected?.id, let status else { continue }
            statuses[job.id] = status
            if extensionSupported, listTasksSupported {
                lists[job.id] = try? await tasks(ofJob: job.id)
            } else {
                // A plain Scoot has no ListTasks: the list is what the console saw of the job's
                // tasks, as for the selected job.
                _ = observed.observed(status, atMs: Self.epochMilliseconds())
                lists[job.id] = observed.tasks(ofJob: job.id)
            }
        }
        for index in followedJobs.indices where read.contains(followedJobs[index].id) {
            followedJobs[index].pollsLeft -= 1
            if ended.contains(followedJobs[index].id) { followedJobs[index].pollsAfterEnd -= 1 }
        }
        followedJobs.removeAll { $0.pollsLeft <= 0 || $0.pollsAfterEnd <= 0 }
        return (lists, statuses)
    }

    /// The statuses of a job that has ended.
    private static let finishedStatuses: Set<Status> = [.completed, .rolledBack]

    /// Follows `id`'s task list for the next polls.
    private func follow(_ id: String) {
        followedJobs.removeAll { $0.id == id }
        followedJobs.append(FollowedJob(id: id))
        if followedJobs.count > Self.followedJobLimit { followedJobs.removeFirst(followedJobs.count - Self.followedJobLimit) }
    }

    /// The tasks of a job with their workers and times; empty, and not asked again, when the
    /// server's extension predates ListTasks.
    private func tasks(ofJob id: String) async throws -> [TaskSummary] {
        do {
            return try await client.consoleTasks(ofJob: id)
        } catch is NotSupportedByServer {
            listTasksSupported = false
            return []
        }
    }

    /// Sends an action; returns a short confirmation, or throws the server's error.
    public func perform(_ action: ConsoleAction) async throws -> String {
        cachedSettings = nil  // the next poll shows what the action changed
        switch action {
        case .killJobs(let ids):
            var results: [String] = []
            for id in ids {
                let status = try await client.killJob(jobId: id)
                _ = observed.killRequested(id)
                follow(id)
                results.append(Self.killOutcome(id, status))
            }
            return results.joined(separator: "; ")
        case .offlineWorker(let id):
            try await client.offlineWorker(req: OfflineWorkerReq(id: id, requestor: HostEnvironment.userName))
            offlinedWorkers.insert(id)
        case .reinstateWorker(let id):
            try await client.reinstateWorker(req: ReinstateWorkerReq(id: id, requestor: HostEnvironment.userName))
            offlinedWorkers.remove(id)
        case .setMaxTasks(let value): try await client.setSchedulerStatus(maxTasks: value)
        case .setClassLoadPercents(let percents): try await client.setClassLoadPercents(loadPercents: ThriftMap(percents))
        case .setRequestorToClassMap(let map): try await client.setRequestorToClassMap(requestorToClassMap: ThriftMap(map))
        case .setRebalanceThreshold(let value): try await client.setRebalanceThreshold(threshold: value)
        case .setRebalanceMinimumDuration(let value): try await client.setRebalanceMinimumDuration(durationMin: value)
        }
        return "done: \(action)"
    }

    /// What the flash line says of a kill: Scoot answers at once with the job still in progress
    /// and its running tasks still running; it aborts them and reads COMPLETED a moment later.
    static func killOutcome(_ id: String, _ status: JobStatus) -> String {
        let running = (status.taskStatus ?? [:]).values.filter { $0 == .inProgress }.count
        guard status.status == .inProgress, running > 0 else { return "killed \(id): \(status.status.name)" }
        return "kill of \(id) accepted: the scheduler is aborting its \(running) running task\(running == 1 ? "" : "s"); the job reads killed once they stop"
    }
}

/// Reads the process environment without Foundation.
enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        return String(cString: pointer)
    }
}

#if canImport(Glibc)
import Glibc
#endif
