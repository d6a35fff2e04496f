import ClusterObservation
import Foundation
import Logging
import SchedulerCore
import ScootAPI
import ScootWorkerAPI



/// Everything the gateway knows about the cluster behind it: the jobs it forwarded or found on
/// workers with their last statuses, where each task ran, the workers' last answers, the
/// scheduler's settings and the workers an operator took offline. The console extension calls
/// are answered from here; the record is kept in a `GatewayStore`.
///
/// Bounds: jobs are capped by `GatewayStore.maximumJobs` (the oldest finished jobs are forgotten
/// first); task traces live inside their job.
public actor GatewayState {
    /// Where one task ran, as the workers showed it.
    struct TaskTrace: Sendable, Hashable {
        var workerID: String
        var firstSeenAtMs: Int64
        var runIDs: Set<String>
        var endedAtMs: Int64?
    }

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
    }

    private let store: GatewayStore
    private let logger: Logger
    private var jobs: [String: GatewayJob] = [:]
    private var traces: [String: [String: TaskTrace]] = [:]
    private var workers: [WorkerObservation] = []
    private var offlined: Set<String> = []
    private var settings: Settings?
    private var classifier = RequestorClassifier.scootDefault
    private var schedule: StatusRefreshSchedule
    private var urgent: Set<String> = []
    /// Why the last upstream call of the gateway's own (status reads, settings) failed, if it did.
    private(set) var upstreamFailure: String?

    /// A state over `store`, reading statuses within `schedule`.
    public init(store: GatewayStore, schedule: StatusRefreshSchedule = StatusRefreshSchedule(), logger: Logger) {
        self.store = store
        self.schedule = schedule
        self.logger = logger
    }

    /// Loads the record: jobs with their last statuses, and which workers are offline (the
    /// outcome of the last successful offline or reinstate of each).
    public func load() async throws {
        for job in try await store.loadJobs() { jobs[job.id] = job }
        for action in try await store.actions(limit: GatewayStore.maximumActions).reversed() where action.outcome == "ok" {
            if action.method == "OfflineWorker" { offlined.insert(action.target) }
            if action.method == "ReinstateWorker" { offlined.remove(action.target) }
        }
    }

    // MARK: What the gateway saw

    /// A job it forwarded and the scheduler accepted.
    public func forwarded(_ definition: ScootAPI.JobDefinition, id: String, caller: String, atMs: Int64) async {
        let tag = (definition.tag ?? "").isEmpty ? id : definition.tag!
        let job = GatewayJob(
            id: id, origin: .forwarded, requestor: definition.requestor ?? "", tag: tag, basis: definition.basis ?? "",
            priority: definition.priority ?? 0, jobType: definition.jobType ?? "", taskIDs: definition.tasks.compactMap { $0.taskId },
            submittedAtMs: atMs, caller: caller)
        jobs[id] = job
        urgent.insert(id)
        await persist { try await $0.insert(job, definition: definition) }
        forgetOldJobs()
    }

    /// A status read upstream (by a client through the gateway, or by the gateway itself).
    public func observed(_ status: ScootAPI.JobStatus, atMs: Int64) async {
        guard var job = jobs[status.id] else { return }
        // Scoot answers an unknown id with NOT_STARTED and no tasks: nothing to learn from it.
        if status.status == .notStarted, (status.taskStatus ?? [:]).isEmpty, job.status != nil { return }
        let changed = job.status != status
        job.status = status
        job.statusAtMs = atMs
        if job.taskIDs.isEmpty, let tasks = status.taskStatus { job.taskIDs = tasks.keys.sorted() }
        if job.isFinished, job.endedAtMs == nil { job.endedAtMs = atMs }
        for (taskID, state) in status.taskStatus ?? [:] where state == .completed {
            if traces[job.id]?[taskID] != nil, traces[job.id]?[taskID]?.endedAtMs == nil { traces[job.id]?[taskID]?.endedAtMs = atMs }
        }
        jobs[job.id] = job
        urgent.remove(job.id)
        if changed { await persist { [job] in try await $0.update(job) } }
    }

    /// Workers' answers: discovers jobs running on them and remembers where each task ran.
    public func observed(workers observations: [WorkerObservation], atMs: Int64) async {
        workers = observations
        for worker in observations {
            for run in worker.status?.runs ?? [] {
                guard let jobID = run.jobId, !jobID.isEmpty, let taskID = run.taskId else { continue }
                if jobs[jobID] == nil {
                    guard run.status == .running || run.status == .pending else { continue }
                    let job = GatewayJob(id: jobID, origin: .discovered, tag: run.tag ?? "", submittedAtMs: atMs)
                    jobs[jobID] = job
                    urgent.insert(jobID)
                    await persist { try await $0.insert(job, definition: nil) }
                }
                var trace = traces[jobID]?[taskID] ?? TaskTrace(workerID: worker.id, firstSeenAtMs: atMs, runIDs: [])
                if !trace.runIDs.contains(run.runId) && (run.status == .running || run.status == .pending) {
                    if trace.workerID != worker.id || !trace.runIDs.isEmpty { trace.firstSeenAtMs = atMs }
                    trace.workerID = worker.id
                    trace.runIDs.insert(run.runId)
                    trace.endedAtMs = nil
                }
                traces[jobID, default: [:]][taskID] = trace
            }
        }
        forgetOldJobs()
    }

    /// A kill was forwarded (successfully or not): its job's status is read again at once.
    public func killForwarded(jobID: String, status: ScootAPI.JobStatus?, atMs: Int64) async {
        guard var job = jobs[jobID] else { return }
        job.killRequested = true
        jobs[jobID] = job
        urgent.insert(jobID)
        if let status { await observed(status, atMs: atMs) } else { await persist { [job] in try await $0.update(job) } }
    }

    /// An action forwarded, with its outcome.
    public func recorded(_ action: GatewayStore.Action) async {
        if action.outcome == "ok" {
            if action.method == "OfflineWorker" { offlined.insert(action.target) }
            if action.method == "ReinstateWorker" { offlined.remove(action.target) }
        }
        await persist { try await $0.append(action) }
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
        let running = Set(workers.flatMap { $0.activeRuns.compactMap(\.jobId) })
        let candidates = jobs.values.filter { !$0.isFinished || urgent.contains($0.id) }.map { job in
            StatusRefreshSchedule.Candidate(
                jobID: job.id, lastReadAtMs: job.statusAtMs, runningOnWorker: running.contains(job.id), urgent: urgent.contains(job.id))
        }
        return schedule.due(candidates, nowMs: nowMs)
    }

    // MARK: The console extension

    /// ListJobs: newest first, filtered.
    public func listJobs(_ filter: JobFilter) throws -> [ScootAPI.JobSummary] {
        let limit = Int(filter.limit ?? 500)
        guard limit > 0 else { throw InvalidRequest(message: "limit must be positive, got \(limit)") }
        let statuses = filter.statuses.map(Set.init)
        return jobs.values
            .sorted { $0.submittedAtMs != $1.submittedAtMs ? $0.submittedAtMs > $1.submittedAtMs : $0.id < $1.id }
            .lazy
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
        guard let job = jobs[jobID] else { return [] }
        let states = job.status?.taskStatus ?? [:]
        let ids = job.taskIDs.isEmpty ? states.keys.sorted() : job.taskIDs
        let jobTraces = traces[jobID] ?? [:]
        return ids.map { taskID in
            let trace = jobTraces[taskID]
            var state = states[taskID] ?? .notStarted
            if state == .notStarted, let trace, trace.endedAtMs == nil, isRunningNow(jobID: jobID, taskID: taskID) { state = .inProgress }
            return TaskSummary(
                taskId: taskID, status: state, workerId: trace?.workerID, startedAtMs: trace?.firstSeenAtMs,
                endedAtMs: state == .completed ? trace?.endedAtMs ?? job.endedAtMs : nil, attempts: Int32(clamping: trace?.runIDs.count ?? 0))
        }
    }

    /// ListWorkers: every polled worker.
    public func listWorkers() -> [WorkerInfo] {
        workers.map { $0.workerInfo(offline: offlined.contains($0.id)) }
    }

    /// GetClusterLoad: class loads computed now from the jobs' requestors (through the requestor
    /// map, with the scheduler core's classifier and algorithm) and the tasks running on workers.
    public func clusterLoad(schedulerStatus: ScootAPI.SchedulerStatus, nowMs: Int64) -> ClusterLoad {
        let settings = self.settings ?? Settings(
            classLoadPercents: ClassLoadPercents.scootDefaults, requestorToClassMap: RequestorClassifier.scootDefaults,
            rebalanceThreshold: 0, rebalanceMinimumDuration: 4)
        let percents = ClassLoadPercents.normalized(settings.classLoadPercents)
        let ready = workers.filter { $0.isReady && !offlined.contains($0.id) }
        var runningByJob: [String: [RunningTask]] = [:]
        for worker in ready {
            for run in worker.activeRuns {
                guard let jobID = run.jobId else { continue }
                runningByJob[jobID, default: []].append(RunningTask(taskID: run.taskId ?? run.runId, startedAt: .zero))
            }
        }
        let loads = jobs.values.filter { !$0.isFinished }.sorted { $0.submittedAtMs < $1.submittedAtMs }.map { job in
            let running = runningByJob[job.id] ?? []
            let runningIDs = Set(running.map(\.taskID))
            let waiting = (job.status?.taskStatus ?? [:]).filter { $0.value == .notStarted && !runningIDs.contains($0.key) }.keys.sorted()
            return JobLoad(id: job.id, requestor: job.requestor, priority: Int(job.priority), running: running, waiting: waiting)
        }
        let input = SchedulingInput(
            healthyWorkers: ready.count, runningTasks: loads.reduce(0) { $0 + $1.running.count }, classLoadPercents: percents,
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
        let counts = listWorkers().reduce(into: (idle: 0, busy: 0, suspended: 0, offline: 0)) { counts, worker in
            switch worker.state {
            case .idle: counts.idle += 1
            case .busy: counts.busy += 1
            case .offline: counts.offline += 1
            default: counts.suspended += 1
            }
        }
        return ClusterLoad(
            classes: classes, spread: Int32(clamping: decision.spread), rebalanceThreshold: Int32(clamping: settings.rebalanceThreshold),
            rebalanceMinimumDurationMin: Int32(clamping: settings.rebalanceMinimumDuration), computedAtMs: nowMs,
            schedulerStatus: schedulerStatus,
            workers: WorkerStateCounts(
                idle: Int32(clamping: counts.idle), busy: Int32(clamping: counts.busy), suspended: Int32(clamping: counts.suspended),
                offline: Int32(clamping: counts.offline)),
            jobsFingerprint: jobsFingerprint(), settingsFingerprint: settingsFingerprint(settings))
    }

    // MARK: Helpers

    private func summary(_ job: GatewayJob) -> ScootAPI.JobSummary {
        let digest = job.status.map(JobStatusDigest.init)
        let running = Set(workers.flatMap { $0.activeRuns.filter { $0.jobId == job.id }.compactMap(\.taskId) })
        let taskCount = max(job.taskIDs.count, job.status?.taskStatus?.count ?? 0)
        let waiting = digest.map { max(0, $0.waiting - running.count) } ?? max(0, taskCount - running.count)
        let status: ScootAPI.Status = job.status?.status ?? (running.isEmpty ? .notStarted : .inProgress)
        let className = classifier.classify(job.requestor, percents: settings?.classLoadPercents ?? ClassLoadPercents.scootDefaults)?.className ?? ""
        let started = traces[job.id]?.values.map(\.firstSeenAtMs).min()
        return ScootAPI.JobSummary(
            id: job.id, requestor: job.requestor, className: className, tag: job.tag, basis: job.basis, priority: job.priority,
            status: status, killed: job.killRequested || (digest?.wasKilled ?? false),
            waitingTasks: Int32(clamping: waiting), runningTasks: Int32(clamping: max(running.count, digest?.running ?? 0)),
            completedTasks: Int32(clamping: digest?.succeeded ?? 0), failedTasks: Int32(clamping: digest?.failed ?? 0),
            submittedAtMs: job.submittedAtMs, startedAtMs: started, endedAtMs: job.endedAtMs,
            jobType: job.jobType.isEmpty ? nil : job.jobType, statusAtMs: job.statusAtMs,
            unknownFields: job.origin == .discovered ? ["requestor", "basis", "priority", "submittedAt", "jobType"] : nil)
    }

    private func isRunningNow(jobID: String, taskID: String) -> Bool {
        workers.contains { $0.activeRuns.contains { $0.jobId == jobID && $0.taskId == taskID } }
    }

    private func jobsFingerprint() -> Int64 {
        var sum = Int64(jobs.count)
        for job in jobs.values { sum &+= Int64(truncatingIfNeeded: summary(job).hashValue) }
        return sum
    }

    private func settingsFingerprint(_ settings: Settings) -> Int64 {
        var hasher = Hasher()
        for (name, percent) in settings.classLoadPercents.sorted(by: { $0.key < $1.key }) { hasher.combine(name); hasher.combine(percent) }
        for (pattern, name) in settings.requestorToClassMap.sorted(by: { $0.key < $1.key }) { hasher.combine(pattern); hasher.combine(name) }
        hasher.combine(settings.rebalanceThreshold)
        hasher.combine(settings.rebalanceMinimumDuration)
        return Int64(truncatingIfNeeded: hasher.finalize())
    }

    private func forgetOldJobs() {
        guard jobs.count > GatewayStore.maximumJobs else { return }
        let finished = jobs.values.filter(\.isFinished).sorted { $0.submittedAtMs < $1.submittedAtMs }
        for job in finished.prefix(jobs.count - GatewayStore.maximumJobs) {
            jobs[job.id] = nil
            traces[job.id] = nil
        }
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
        let unfinished = jobs.values.filter { !$0.isFinished }
        return [
            "gateway/jobs": Double(jobs.count),
            "gateway/unfinishedJobs": Double(unfinished.count),
            "gateway/discoveredJobs": Double(jobs.values.filter { $0.origin == .discovered }.count),
            "gateway/workers": Double(workers.count),
            "gateway/reachableWorkers": Double(workers.filter(\.reachable).count),
            "gateway/offlinedWorkers": Double(offlined.count),
            "gateway/upstreamReachable": upstreamFailure == nil ? 1 : 0,
        ]
    }
}
