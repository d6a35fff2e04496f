import Foundation
import ScootAPI

/// The jobs of a plain Scoot cluster as seen from outside: the ones a gateway forwarded, the
/// ones found running on workers and the ones tracked by id, with their last statuses, where
/// each task ran, and which statuses to read next. Shared by the gateway and the console.
///
/// Bounds: at most `maximumJobs` jobs (past it the oldest finished jobs are forgotten; while
/// every job is unfinished nothing is), task traces only for known jobs.
public struct ObservedJobs: Sendable {
    /// Where one task ran, as the workers showed it.
    struct TaskTrace: Sendable, Hashable {
        var workerID: String
        var firstSeenAtMs: Int64
        var runIDs: Set<String>
        var endedAtMs: Int64?
    }

    /// The most jobs kept.
    public let maximumJobs: Int
    /// Every job known, by id; every change to it bumps `revision`.
    private(set) public var jobs: [String: ObservedJob] = [:] { didSet { revision &+= 1 } }
    /// Changes whenever anything a job summary shows changes: a job, a status, the runs the
    /// workers report. Compare for equality only.
    private(set) public var revision = 0
    private var traces: [String: [String: TaskTrace]] = [:]
    private var workers: [WorkerObservation] = [] { didSet { runningTasks = Self.runningTasks(on: workers) } }
    /// The task ids the workers report running, by job: derived from `workers` once per answer,
    /// not per job summary.
    private var runningTasks: [String: Set<String>] = [:]
    private var urgent: Set<String> = []
    private var schedule: StatusRefreshSchedule

    /// An empty collection reading statuses within `schedule`.
    public init(maximumJobs: Int, schedule: StatusRefreshSchedule) {
        self.maximumJobs = maximumJobs
        self.schedule = schedule
    }

    /// Adds a job (ignored when already known); its status is read as soon as the budget allows.
    /// Returns whether it was new.
    @discardableResult
    public mutating func insert(_ job: ObservedJob) -> Bool {
        guard jobs[job.id] == nil else { return false }
        jobs[job.id] = job
        urgent.insert(job.id)
        forgetOldJobs()
        return true
    }

    /// Forgets a job.
    public mutating func remove(_ id: String) {
        jobs[id] = nil
        traces[id] = nil
        urgent.remove(id)
    }

    /// A status read from the scheduler. Returns the job when what is known of it changed.
    public mutating func observed(_ status: JobStatus, atMs: Int64) -> ObservedJob? {
        guard var job = jobs[status.id] else { return nil }
        urgent.remove(job.id)
        // Scoot answers an unknown id with NOT_STARTED and no tasks: nothing to learn from it
        // once something better is known.
        if status.status == .notStarted, (status.taskStatus ?? [:]).isEmpty, job.status != nil { return nil }
        let changed = job.status != status
        job.status = status
        job.statusAtMs = atMs
        if job.taskIDs.isEmpty, let tasks = status.taskStatus { job.taskIDs = tasks.keys.sorted(by: TaskOrder.precedes) }
        if job.isFinished, job.endedAtMs == nil { job.endedAtMs = atMs }
        for (taskID, state) in status.taskStatus ?? [:] where state == .completed && traces[job.id]?[taskID]?.endedAtMs == nil {
            traces[job.id]?[taskID]?.endedAtMs = atMs
        }
        jobs[job.id] = job
        return changed ? job : nil
    }

    /// The workers' answers: jobs found running on them are added (as `discovered`), and where
    /// each task runs is remembered. Returns the jobs discovered.
    public mutating func observed(workers observations: [WorkerObservation], atMs: Int64) -> [ObservedJob] {
        if observations.map(Self.activeRunKeys) != workers.map(Self.activeRunKeys) { revision &+= 1 }
        workers = observations
        var discovered: [ObservedJob] = []
        for worker in observations where worker.reachable {
            for run in worker.status?.runs ?? [] {
                guard let jobID = run.jobId, !jobID.isEmpty, let taskID = run.taskId else { continue }
                let active = run.status == .running || run.status == .pending
                if jobs[jobID] == nil {
                    guard active else { continue }
                    let job = ObservedJob(id: jobID, origin: .discovered, tag: run.tag ?? "", submittedAtMs: atMs)
                    if insert(job) { discovered.append(job) }
                } else if jobs[jobID]?.tag.isEmpty == true, let tag = run.tag {
                    jobs[jobID]?.tag = tag
                }
                var trace = traces[jobID]?[taskID] ?? TaskTrace(workerID: worker.id, firstSeenAtMs: atMs, runIDs: [])
                if active, !trace.runIDs.contains(run.runId) {
                    if !trace.runIDs.isEmpty { trace.firstSeenAtMs = atMs }
                    trace.workerID = worker.id
                    trace.runIDs.insert(run.runId)
                    trace.endedAtMs = nil
                }
                traces[jobID, default: [:]][taskID] = trace
            }
        }
        return discovered
    }

    /// A kill was sent: the job's status is read again at once. Returns the job.
    public mutating func killRequested(_ id: String) -> ObservedJob? {
        guard jobs[id] != nil else { return nil }
        jobs[id]?.killRequested = true
        urgent.insert(id)
        return jobs[id]
    }

    /// The jobs whose statuses to read now, within the budget: unfinished ones, and finished
    /// ones just added or killed.
    public mutating func statusReadsDue(nowMs: Int64) -> [String] {
        let running = runningJobIDs
        let candidates = jobs.values.filter { !$0.isFinished || urgent.contains($0.id) }.map { job in
            StatusRefreshSchedule.Candidate(
                jobID: job.id, lastReadAtMs: job.statusAtMs, runningOnWorker: running.contains(job.id), urgent: urgent.contains(job.id))
        }
        return schedule.due(candidates, nowMs: nowMs)
    }

    /// What of a worker's answer a job summary depends on.
    private static func activeRunKeys(_ worker: WorkerObservation) -> [String] {
        worker.activeRuns.map { "\($0.jobId ?? "")/\($0.taskId ?? "")/\($0.runId)" }
    }

    /// Jobs with a task a worker reports running.
    public var runningJobIDs: Set<String> { Set(runningTasks.keys) }

    /// The workers' last answers.
    public var workerObservations: [WorkerObservation] { workers }

    /// The task ids a worker reports running for `jobID`.
    public func runningTaskIDs(ofJob jobID: String) -> Set<String> { runningTasks[jobID] ?? [] }

    private static func runningTasks(on workers: [WorkerObservation]) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for run in workers.flatMap(\.activeRuns) {
            guard let jobID = run.jobId else { continue }
            result[jobID, default: []].insert(run.taskId ?? run.runId)
        }
        return result
    }

    /// A job as the Jobs pane lists it; `className` classifies its requestor.
    public func summary(_ job: ObservedJob, className: String) -> JobSummary {
        let digest = job.status.map(JobStatusDigest.init)
        let running = runningTaskIDs(ofJob: job.id)
        let taskCount = max(job.taskIDs.count, job.status?.taskStatus?.count ?? 0)
        // A task a worker runs may still read NOT_STARTED in a status read a moment earlier.
        let waiting = job.status.map { status in (status.taskStatus ?? [:]).count { $0.value == .notStarted && !running.contains($0.key) } }
            ?? max(0, taskCount - running.count)
        let status = job.status?.status ?? (running.isEmpty ? .notStarted : .inProgress)
        let started = traces[job.id]?.values.map(\.firstSeenAtMs).min()
        var unknown: [String]?
        if job.origin == .discovered {
            unknown = ["requestor", "className", "basis", "priority", "submittedAt", "jobType"] + (job.tag.isEmpty ? ["tag"] : [])
        }
        return JobSummary(
            id: job.id, requestor: job.requestor, className: className, tag: job.tag, basis: job.basis, priority: job.priority,
            status: status, killed: job.killRequested || (digest?.wasKilled ?? false),
            waitingTasks: Int32(clamping: waiting), runningTasks: Int32(clamping: max(running.count, digest?.running ?? 0)),
            // Tasks a user killed are not failures: the job reads killed.
            completedTasks: Int32(clamping: digest?.succeeded ?? 0), failedTasks: Int32(clamping: (digest?.failed ?? 0) - (digest?.killed ?? 0)),
            submittedAtMs: job.submittedAtMs, startedAtMs: started, endedAtMs: job.endedAtMs,
            jobType: job.jobType.isEmpty ? nil : job.jobType, statusAtMs: job.statusAtMs, unknownFields: unknown,
            preemptedTasks: (digest?.preempted ?? 0) > 0 ? Int32(clamping: digest?.preempted ?? 0) : nil)
    }

    /// Every job, newest first.
    public var newestFirst: [ObservedJob] {
        jobs.values.sorted { $0.submittedAtMs != $1.submittedAtMs ? $0.submittedAtMs > $1.submittedAtMs : $0.id < $1.id }
    }

    /// A job's tasks with the worker each ran on (as the workers showed it), when it was first
    /// seen running and how many runs were seen.
    public func tasks(ofJob jobID: String) -> [TaskSummary] {
        guard let job = jobs[jobID] else { return [] }
        let states = job.status?.taskStatus ?? [:]
        let ids = job.taskIDs.isEmpty ? states.keys.sorted(by: TaskOrder.precedes) : job.taskIDs
        let jobTraces = traces[jobID] ?? [:]
        let running = runningTaskIDs(ofJob: jobID)
        return ids.map { taskID in
            let trace = jobTraces[taskID]
            var state = states[taskID] ?? .notStarted
            if state == .notStarted, running.contains(taskID) { state = .inProgress }
            return TaskSummary(
                taskId: taskID, status: state, workerId: trace?.workerID, startedAtMs: trace?.firstSeenAtMs,
                endedAtMs: state == .completed ? trace?.endedAtMs ?? job.endedAtMs : nil,
                attempts: Int32(clamping: trace?.runIDs.count ?? 0))
        }
    }

    private mutating func forgetOldJobs() {
        guard jobs.count > maximumJobs else { return }
        let finished = jobs.values.filter(\.isFinished).sorted { $0.submittedAtMs < $1.submittedAtMs }
        for job in finished.prefix(jobs.count - maximumJobs) { remove(job.id) }
    }
}

/// Task ids in natural order: `task-2` before `task-10`.
enum TaskOrder {
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }
}
