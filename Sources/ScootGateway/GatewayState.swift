import ClusterObservation
import Foundation
import Logging
import SchedulerCore
import ScootAPI
import ScootServer
import ScootWorkerAPI



/// Everything the gateway knows about the cluster behind it: the jobs it forwarded or found on
/// workers with their last statuses, where each task ran, the workers' last answers, the
/// scheduler's settings and the workers an operator took offline. The console extension calls
/// are answered from here; the record is kept in a `GatewayStore`.
///
/// Bounds: jobs are capped by `GatewayStore.maximumJobs` (the oldest finished jobs are forgotten
/// first), as `ObservedJobs` documents.
public actor GatewayState {
    /// The scheduler's load-based settings, as last read upstream.
    public struct Settings: Sendable, Hashable {
        /// Class → percent (normalized, as Scoot returns it).
        public var classLoadPercents: [String: Int]
        /// Requestor regex → class.
        public var requestorToClassMap: [String: String]
        /// Rebalance spread threshold (percentage points).
        public var rebalanceThreshold: Int
        /// Rebalance minimum duration (minutes).
        public var rebalanceMinimumDuration: Int

        /// Creates settings.
        public init(classLoadPercents: [String: Int], requestorToClassMap: [String: String], rebalanceThreshold: Int, rebalanceMinimumDuration: Int) {
            self.classLoadPercents = classLoadPercents
            self.requestorToClassMap = requestorToClassMap
            self.rebalanceThreshold = rebalanceThreshold
            self.rebalanceMinimumDuration = rebalanceMinimumDuration
        }

        /// Scoot's defaults, until the scheduler's own are read.
        static let scootDefaults = Settings(
            classLoadPercents: ClassLoadPercents.scootDefaults, requestorToClassMap: RequestorClassifier.scootDefaults,
            rebalanceThreshold: 0, rebalanceMinimumDuration: 4)
    }

    private let store: GatewayStore
    private let logger: Logger
    private var observed: ObservedJobs
    private var offlined: Set<String> = []
    private var settings = Settings.scootDefaults
    private var classifier = RequestorClassifier.scootDefault
    /// Why the last upstream call of the gateway's own (status reads, settings) failed, if it did.
    private(set) var upstreamFailure: String?

    /// A state over `store`, reading statuses within `schedule`.
    public init(store: GatewayStore, schedule: StatusRefreshSchedule = StatusRefreshSchedule(), logger: Logger) {
        self.store = store
        self.logger = logger
        observed = ObservedJobs(maximumJobs: GatewayStore.maximumJobs, schedule: schedule)
    }

    /// Loads the record: jobs with their last statuses, and which workers are offline (the
    /// outcome of the last successful offline or reinstate of each).
    public func load() async throws {
        for job in try await store.loadJobs() { observed.insert(job) }
        for action in try await store.actions(limit: GatewayStore.maximumActions).reversed() { apply(action) }
    }

    // MARK: What the gateway saw

    /// A job it forwarded and the scheduler accepted.
    public func forwarded(_ definition: ScootAPI.JobDefinition, id: String, caller: String, atMs: Int64) async {
        let tag = (definition.tag ?? "").isEmpty ? id : definition.tag!
        let job = ObservedJob(
            id: id, origin: .forwarded, requestor: definition.requestor ?? "", tag: tag, basis: definition.basis ?? "",
            priority: definition.priority ?? 0, jobType: definition.jobType ?? "", taskIDs: definition.tasks.compactMap { $0.taskId },
            submittedAtMs: atMs, caller: caller)
        observed.insert(job)
        await persist { try await $0.insert(job, definition: definition) }
    }

    /// A status read upstream (by a client through the gateway, or by the gateway itself).
    public func observed(_ status: ScootAPI.JobStatus, atMs: Int64) async {
        guard let job = observed.observed(status, atMs: atMs) else { return }
        await persist { try await $0.update(job) }
    }

    /// Workers' answers: discovers jobs running on them and remembers where each task ran.
    public func observed(workers observations: [WorkerObservation], atMs: Int64) async {
        for job in observed.observed(workers: observations, atMs: atMs) {
            await persist { try await $0.insert(job, definition: nil) }
        }
    }

    /// A kill was forwarded (successfully or not): its job's status is read again at once.
    public func killForwarded(jobID: String, status: ScootAPI.JobStatus?, atMs: Int64) async {
        guard let job = observed.killRequested(jobID) else { return }
        if let status { await observed(status, atMs: atMs) } else { await persist { try await $0.update(job) } }
    }

    /// An action forwarded, with its outcome.
    public func recorded(_ action: GatewayStore.Action) async {
        apply(action)
        await persist { try await $0.append(action) }
    }

    private func apply(_ action: GatewayStore.Action) {
        guard action.outcome == "ok" else { return }
        if action.method == "OfflineWorker" { offlined.insert(action.target) }
        if action.method == "ReinstateWorker" { offlined.remove(action.target) }
    }

    /// The scheduler's settings, as just read upstream.
    public func settingsRead(_ new: Settings) {
        settings = new
        if let compiled = try? RequestorClassifier(new.requestorToClassMap) { classifier = compiled }
        upstreamFailure = nil
    }

    /// The gateway's own upstream call failed (nil: it succeeded again).
    public func upstream(failure: String?) {
        upstreamFailure = failure
    }

    /// The jobs whose statuses to read now, within the budget.
    public func statusReadsDue(nowMs: Int64) -> [String] {
        observed.statusReadsDue(nowMs: nowMs)
    }

    // MARK: The console extension

    /// ListJobs: newest first, filtered.
    public func listJobs(_ filter: JobFilter) throws -> [ScootAPI.JobSummary] {
        let limit = Int(filter.limit ?? 500)
        guard limit > 0 else { throw InvalidRequest(message: "limit must be positive, got \(limit)") }
        let statuses = filter.statuses.map(Set.init)
        return observed.newestFirst.lazy
            .map(summary)
            .filter { job in
                (statuses?.contains(job.status) ?? true) && (filter.requestor.map { $0 == job.requestor } ?? true)
                    && (filter.className.map { $0 == job.className } ?? true)
            }
            .prefix(limit)
            .map { $0 }
    }

    /// ListTasks: the job's tasks with the worker each ran on.
    public func listTasks(jobID: String) throws -> [TaskSummary] {
        guard !jobID.isEmpty else { throw InvalidRequest(message: "jobId must not be empty") }
        return observed.tasks(ofJob: jobID)
    }

    /// ListWorkers: every polled worker.
    public func listWorkers() -> [WorkerInfo] {
        observed.workerObservations.map { $0.workerInfo(offline: offlined.contains($0.id)) }
    }

    /// GetClusterLoad: class loads computed now from the jobs' requestors (through the requestor
    /// map, with the scheduler core's classifier and algorithm) and the tasks running on workers.
    public func clusterLoad(schedulerStatus: ScootAPI.SchedulerStatus, nowMs: Int64) -> ClusterLoad {
        let percents = ClassLoadPercents.normalized(settings.classLoadPercents)
        let ready = observed.workerObservations.filter { $0.isReady && !offlined.contains($0.id) }
        var runningByJob: [String: [RunningTask]] = [:]
        for worker in ready {
            for run in worker.activeRuns {
                guard let jobID = run.jobId else { continue }
                runningByJob[jobID, default: []].append(RunningTask(taskID: run.taskId ?? run.runId, startedAt: .zero))
            }
        }
        // A job found on a worker has an unknown requestor, so no class: its tasks occupy
        // workers (they count as running) but no class's numbers.
        let unfinished = observed.jobs.values.filter { !$0.isFinished }
        let anonymousRunning = unfinished.filter { $0.origin == .discovered }.reduce(0) { $0 + (runningByJob[$1.id]?.count ?? 0) }
        let forwarded = unfinished.filter { $0.origin == .forwarded }
            .sorted { $0.submittedAtMs != $1.submittedAtMs ? $0.submittedAtMs < $1.submittedAtMs : $0.id < $1.id }
        let loads = forwarded.map { job in
            let running = runningByJob[job.id] ?? []
            let runningIDs = Set(running.map(\.taskID))
            let waiting = (job.status?.taskStatus ?? [:]).filter { $0.value == .notStarted && !runningIDs.contains($0.key) }.keys.sorted()
            return JobLoad(id: job.id, requestor: job.requestor, priority: Int(job.priority), running: running, waiting: waiting)
        }
        let input = SchedulingInput(
            healthyWorkers: ready.count, runningTasks: loads.reduce(anonymousRunning) { $0 + $1.running.count }, classLoadPercents: percents,
            requestorToClass: classifier, rebalanceThreshold: settings.rebalanceThreshold,
            rebalanceMinimumDuration: .seconds(60 * settings.rebalanceMinimumDuration), jobs: loads)
        let decision = LoadBasedScheduler.step(input)
        let classes = ClassLoadPercents.descendingOrder(percents).compactMap { name -> ClassLoad? in
            guard let load = decision.classes[name] else { return nil }
            return ClassLoad(
                name: name, percent: Int32(clamping: load.percent), target: Int32(clamping: load.target), running: Int32(clamping: load.running),
                waiting: Int32(clamping: load.waiting), loaned: Int32(clamping: load.loaned), starting: Int32(clamping: load.start),
                stopping: Int32(clamping: load.stop))
        }
        let states = listWorkers().map(\.state)
        func count(_ matches: (WorkerState) -> Bool) -> Int32 { Int32(clamping: states.filter(matches).count) }
        return ClusterLoad(
            classes: classes, spread: Int32(clamping: decision.spread), rebalanceThreshold: Int32(clamping: settings.rebalanceThreshold),
            rebalanceMinimumDurationMin: Int32(clamping: settings.rebalanceMinimumDuration), computedAtMs: nowMs,
            schedulerStatus: schedulerStatus,
            workers: WorkerStateCounts(
                idle: count { $0 == .idle }, busy: count { $0 == .busy }, suspended: count { $0 == .suspended || $0 == .unreachable },
                offline: count { $0 == .offline }),
            jobsFingerprint: jobsFingerprint(), settingsFingerprint: settingsFingerprint(),
            danglingClasses: classifier.danglingClasses(against: settings.classLoadPercents))
    }

    // MARK: Helpers

    private func summary(_ job: ObservedJob) -> ScootAPI.JobSummary {
        let className = job.origin == .discovered ? "" : classifier.classify(job.requestor, percents: settings.classLoadPercents)?.className ?? ""
        return observed.summary(job, className: className)
    }

    /// Changes whenever ListJobs would answer differently: the jobs' revision, the settings (a
    /// job's class depends on them) and this process (a restart changes it).
    private func jobsFingerprint() -> Int64 {
        var hasher = Hasher()
        hasher.combine(observed.revision)
        hasher.combine(settingsFingerprint())
        return Int64(truncatingIfNeeded: hasher.finalize())
    }

    /// The same fingerprint `serve` gives its settings.
    private func settingsFingerprint() -> Int64 {
        SchedulerService.settingsFingerprint(
            percents: settings.classLoadPercents, map: settings.requestorToClassMap, threshold: settings.rebalanceThreshold,
            minimumDuration: settings.rebalanceMinimumDuration)
    }

    private func persist(_ write: @Sendable (GatewayStore) async throws -> Void) async {
        do {
            try await write(store)
        } catch {
            logger.error("cannot write the gateway record \(store.path): \(error)")
        }
    }
}

extension GatewayState {
    /// The gateway's own numbers for `/admin/metrics.json` (keys under `gateway/`).
    public func metrics() -> [String: Double] {
        let jobs = observed.jobs.values
        let workers = observed.workerObservations
        return [
            "gateway/jobs": Double(jobs.count),
            "gateway/unfinishedJobs": Double(jobs.filter { !$0.isFinished }.count),
            "gateway/discoveredJobs": Double(jobs.filter { $0.origin == .discovered }.count),
            "gateway/workers": Double(workers.count),
            "gateway/reachableWorkers": Double(workers.filter(\.reachable).count),
            "gateway/offlinedWorkers": Double(offlined.count),
            "gateway/upstreamReachable": upstreamFailure == nil ? 1 : 0,
        ]
    }
}
