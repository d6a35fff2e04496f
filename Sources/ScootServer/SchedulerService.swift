import SchedulerCore
import ScootAPI
import Thrift

/// The CloudScoot API, and scoot-console's extension of it, served by the scheduler core.
///
/// Errors: validation → the IDL's `InvalidRequest`; admission limits and the throttle →
/// `CanNotScheduleNow`; everything Scoot reports as a plain error (kill of an unknown job,
/// offline of an unknown node …) → `TApplicationException(INTERNAL_ERROR)` with Scoot's text.
/// A disk short of space (`DiskSpaceGuard`, when given) refuses RunJob with `CanNotScheduleNow`.
public struct SchedulerService: ScootConsoleHandler {
    /// The scheduler that does the work.
    public let scheduler: Scheduler
    /// Counts calls and their latencies for `/admin/metrics.json`.
    public let metrics: ServerMetrics
    /// Refuses RunJob while the data directory's disk is short of space, when set.
    public let diskSpaceGuard: DiskSpaceGuard?
    /// Reads the time for latencies.
    private let clock = ContinuousClock()

    /// Serves `scheduler`, recording calls in `metrics`, asking `diskSpaceGuard` (if any) before
    /// each RunJob.
    public init(scheduler: Scheduler, metrics: ServerMetrics, diskSpaceGuard: DiskSpaceGuard? = nil) {
        self.scheduler = scheduler
        self.metrics = metrics
        self.diskSpaceGuard = diskSpaceGuard
    }

    // MARK: CloudScoot

    public func runJob(job: ScootAPI.JobDefinition) async throws -> JobId {
        try await timed(Self.runJobCall) {
            let definition = try wire { () throws(SchedulerError) in try WireConversions.jobDefinition(job) }
            if let refusal = await diskSpaceGuard?.refusal() { throw Self.wireError(refusal) }
            return JobId(id: try await scheduled { () throws(SchedulerError) in try await scheduler.runJob(definition) })
        }
    }

    public func getStatus(jobId: String) async throws -> ScootAPI.JobStatus {
        await Self.converted(statusSnapshot(jobId: jobId))
    }

    public func killJob(jobId: String) async throws -> ScootAPI.JobStatus {
        try await Self.converted(killSnapshot(jobId: jobId))
    }

    /// GetStatus's answer as the scheduler's snapshot of the job (`ServeProcessor`
    /// writes the reply from it).
    public func statusSnapshot(jobId: String) async -> JobStatusSnapshot {
        await timed(Self.statusCall) { await scheduler.statusSnapshot(of: jobId) }
    }

    /// KillJob's answer as the scheduler's snapshot of the job right after the kill; throws the
    /// wire's errors.
    public func killSnapshot(jobId: String) async throws -> JobStatusSnapshot {
        try await timed(Self.killCall) {
            try await scheduled { () throws(SchedulerError) in try await scheduler.killWithSnapshot(jobID: jobId) }
        }
    }

    /// The wire's status of `snapshot`: built where the call runs for a small job, on the global
    /// executor for a large one.
    private static func converted(_ snapshot: JobStatusSnapshot) async -> ScootAPI.JobStatus {
        guard snapshot.taskCount > largeJobTaskCount else { return WireConversions.jobStatus(JobStatus(snapshot)) }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { WireConversions.jobStatus(JobStatus(snapshot)) }
    }

    /// The requestor checked against `--admins`: the caller's certificate name on the TLS
    /// listener (`ThriftCallContext.peerIdentity`), else the one the request claims.
    public func offlineWorker(req: OfflineWorkerReq) async throws {
        let requestor = ThriftCallContext.peerIdentity ?? req.requestor
        try await scheduled { () throws(SchedulerError) in try await scheduler.offlineWorker(id: req.id, requestor: requestor) }
    }

    /// The requestor is chosen as for `offlineWorker(req:)`.
    public func reinstateWorker(req: ReinstateWorkerReq) async throws {
        let requestor = ThriftCallContext.peerIdentity ?? req.requestor
        try await scheduled { () throws(SchedulerError) in try await scheduler.reinstateWorker(id: req.id, requestor: requestor) }
    }

    public func getSchedulerStatus() async throws -> ScootAPI.SchedulerStatus {
        await Self.schedulerStatus(of: scheduler)
    }

    public func setSchedulerStatus(maxTasks: Int32) async throws {
        try await scheduled { () throws(SchedulerError) in try await scheduler.setMaxTasks(Int(maxTasks)) }
    }

    public func getClassLoadPercents() async throws -> ThriftMap<String, Int32> {
        await Self.classLoadPercents(of: scheduler)
    }

    public func setClassLoadPercents(loadPercents: ThriftMap<String, Int32>) async throws {
        try await scheduled { () throws(SchedulerError) in try await scheduler.setClassLoadPercents(WireConversions.intMap(loadPercents)) }
    }

    public func getRequestorToClassMap() async throws -> ThriftMap<String, String> {
        await Self.requestorToClassMap(of: scheduler)
    }

    public func setRequestorToClassMap(requestorToClassMap: ThriftMap<String, String>) async throws {
        try await scheduled { () throws(SchedulerError) in try await scheduler.setRequestorToClassMap(Dictionary(requestorToClassMap)) }
    }

    public func getRebalanceMinimumDuration() async throws -> Int32 {
        await Self.rebalanceMinimumDuration(of: scheduler)
    }

    public func setRebalanceMinimumDuration(durationMin: Int32) async throws {
        try await scheduled { () throws(SchedulerError) in try await scheduler.setRebalanceMinimumDuration(Int(durationMin)) }
    }

    public func getRebalanceThreshold() async throws -> Int32 {
        await Self.rebalanceThreshold(of: scheduler)
    }

    // MARK: Reads on the scheduler's executor

    // What the reads answer, read on the scheduler's executor: awaited by the calls above, run at
    // once by `ServeProcessor.processWithoutWaiting` on the event loop the scheduler runs on.

    static func schedulerStatus(of scheduler: isolated Scheduler) -> ScootAPI.SchedulerStatus {
        let status = scheduler.schedulerStatus()
        return ScootAPI.SchedulerStatus(currentTasks: Int32(clamping: status.currentTasks), maxTasks: Int32(clamping: status.maxTasks))
    }

    static func classLoadPercents(of scheduler: isolated Scheduler) -> ThriftMap<String, Int32> {
        WireConversions.int32Map(scheduler.getClassLoadPercents())
    }

    static func requestorToClassMap(of scheduler: isolated Scheduler) -> ThriftMap<String, String> {
        ThriftMap(scheduler.getRequestorToClassMap())
    }

    static func rebalanceMinimumDuration(of scheduler: isolated Scheduler) -> Int32 {
        Int32(clamping: scheduler.getRebalanceMinimumDuration())
    }

    static func rebalanceThreshold(of scheduler: isolated Scheduler) -> Int32 {
        Int32(clamping: scheduler.getRebalanceThreshold())
    }

    /// GetStatus's snapshot, counted and timed as `statusSnapshot(jobId:)`, if the job has at
    /// most `largeJobTaskCount` tasks; nil (nothing counted) for a larger one.
    func smallJobStatusSnapshot(jobId: String, on scheduler: isolated Scheduler) -> JobStatusSnapshot? {
        let start = clock.now
        let snapshot = scheduler.statusSnapshot(of: jobId)
        guard snapshot.taskCount <= Self.largeJobTaskCount else { return nil }
        metrics.recordCall(Self.statusCall, latency: start.duration(to: clock.now))
        return snapshot
    }

    public func setRebalanceThreshold(threshold: Int32) async throws {
        try await scheduled { () throws(SchedulerError) in try await scheduler.setRebalanceThreshold(Int(threshold)) }
    }

    // MARK: ScootConsole extension

    public func listJobs(filter: JobFilter) async throws -> [ScootAPI.JobSummary] {
        let limit = Int(filter.limit ?? 500)
        guard limit > 0 else { throw InvalidRequest(message: "limit must be positive, got \(limit)") }
        let statuses = filter.statuses.map { Set($0.compactMap(WireConversions.progress)) }
        let jobs = await scheduler.jobs()
            .filter { job in
                (statuses?.contains(job.status) ?? true)
                    && (filter.requestor.map { $0 == job.requestor } ?? true)
                    && (filter.className.map { $0 == job.className } ?? true)
            }
            .sorted { $0.submittedAt != $1.submittedAt ? $0.submittedAt > $1.submittedAt : $0.id < $1.id }
        return jobs.prefix(limit).map(WireConversions.jobSummary)
    }

    public func listWorkers() async throws -> [WorkerInfo] {
        await scheduler.workers().map(WireConversions.workerInfo)
    }

    public func getClusterLoad() async throws -> ClusterLoad {
        let report = await scheduler.currentClassLoads()
        let classes = report.classes.map { load in
            ClassLoad(
                name: load.name, percent: Int32(clamping: load.percent), target: Int32(clamping: load.target),
                running: Int32(clamping: load.running), waiting: Int32(clamping: load.waiting), loaned: Int32(clamping: load.loaned),
                starting: Int32(clamping: load.starting), stopping: Int32(clamping: load.stopping))
        }
        return ClusterLoad(
            classes: classes, spread: Int32(clamping: report.spread),
            rebalanceThreshold: Int32(clamping: await scheduler.getRebalanceThreshold()),
            rebalanceMinimumDurationMin: Int32(clamping: await scheduler.getRebalanceMinimumDuration()),
            thresholdExceededSinceMs: report.rebalanceExceededSince.map(WireConversions.epochMilliseconds),
            rebalanceFiresAtMs: report.rebalanceFiresAt.map(WireConversions.epochMilliseconds),
            computedAtMs: WireConversions.epochMilliseconds(report.decidedAt),
            schedulerStatus: try await getSchedulerStatus(),
            workers: Self.workerStateCounts(await scheduler.workers()),
            jobsFingerprint: Self.fingerprint(of: await scheduler.jobs()),
            settingsFingerprint: Self.settingsFingerprint(
                percents: await scheduler.getClassLoadPercents(), map: await scheduler.getRequestorToClassMap(),
                threshold: await scheduler.getRebalanceThreshold(), minimumDuration: await scheduler.getRebalanceMinimumDuration()),
            danglingClasses: await scheduler.danglingRequestorClasses(),
            recentRebalances: await scheduler.recentRebalances().map(WireConversions.rebalance),
            journal: await scheduler.journalHealth().map(WireConversions.journalState))
    }

    /// A hash of the four load-based settings, in a stable order.
    public static func settingsFingerprint(percents: [String: Int], map: [String: String], threshold: Int, minimumDuration: Int) -> Int64 {
        var hasher = Hasher()
        hasher.combine(percents.count)
        for (name, percent) in percents.sorted(by: { $0.key < $1.key }) { hasher.combine(name); hasher.combine(percent) }
        hasher.combine(map.count)
        for (pattern, name) in map.sorted(by: { $0.key < $1.key }) { hasher.combine(pattern); hasher.combine(name) }
        hasher.combine(threshold)
        hasher.combine(minimumDuration)
        return Int64(truncatingIfNeeded: hasher.finalize())
    }

    /// Workers by state, as GetClusterLoad and the metrics report count them.
    static func workerStateCounts(_ workers: [WorkerSummary]) -> WorkerStateCounts {
        func count(_ state: WorkerSummary.State) -> Int32 { Int32(clamping: workers.count { $0.state == state }) }
        return WorkerStateCounts(idle: count(.idle), busy: count(.busy), suspended: count(.suspended), offline: count(.offline))
    }

    /// Order-independent: the sum of every job's hash and the count, so it changes when any
    /// job that ListJobs would list changes, appears or goes.
    static func fingerprint(of jobs: [SchedulerCore.JobSummary]) -> Int64 {
        var sum = Int64(jobs.count)
        for job in jobs { sum &+= Int64(truncatingIfNeeded: job.hashValue) }
        return sum
    }

    public func listTasks(jobId: String) async throws -> [ScootAPI.TaskSummary] {
        guard !jobId.isEmpty else { throw InvalidRequest(message: "jobId must not be empty") }
        return (await scheduler.tasks(ofJob: jobId) ?? []).map(WireConversions.taskSummary)
    }

    // MARK: Error mapping and timing

    /// Runs a conversion, mapping its `SchedulerError` to the wire.
    private func wire<T>(_ body: () throws(SchedulerError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.wireError(error)
        }
    }

    /// Runs a scheduler call, mapping its `SchedulerError` to the wire.
    private func scheduled<T>(_ body: () async throws(SchedulerError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.wireError(error)
        }
    }

    /// The IDL exception, or the plain error that becomes `INTERNAL_ERROR`, for a scheduler error.
    static func wireError(_ error: SchedulerError) -> any Error {
        switch error {
        case .invalidRequest(let message): InvalidRequest(message: message)
        case .canNotScheduleNow(let retryAfterMs, _): CanNotScheduleNow(retryAfterMs: Int64(retryAfterMs))
        case .notFound(let message), .failed(let message): CloudScootError(message)
        }
    }

    /// Scoot's stat names of the timed calls.
    private static let runJobCall = ServerMetrics.Call("runJob")
    private static let statusCall = ServerMetrics.Call("jobStatus")
    private static let killCall = ServerMetrics.Call("jobKill")

    /// Counts the call and records its latency under Scoot's stat names (`runJobRpmCounter`,
    /// `runJobLatency_ms` …).
    private func timed<T>(_ call: ServerMetrics.Call, _ body: () async throws -> T) async rethrows -> T {
        let start = clock.now
        defer { metrics.recordCall(call, latency: start.duration(to: clock.now)) }
        return try await body()
    }

    /// Jobs of more tasks than this have their status built and converted on Swift's global
    /// executor: on the event loop the scheduler shares with the connections it would hold up
    /// the other calls for milliseconds.
    static let largeJobTaskCount = 2_000
}
