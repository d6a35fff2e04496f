import ScootAPI
import ScootWorkerAPI

/// What one Scoot worker said the last time it was asked (`QueryWorker`), or why it did not.
public struct WorkerObservation: Sendable, Hashable {
    /// The worker's id as the scheduler knows it: its thrift address (`localhost:10101`), the
    /// string `OfflineWorker` and `ReinstateWorker` take.
    public var id: String
    /// Whether the last query was answered.
    public var reachable: Bool
    /// The last answer, kept while the worker is unreachable (then it is stale).
    public var status: ScootWorkerAPI.WorkerStatus?
    /// Why the last query failed, in a few words.
    public var failure: String?
    /// When the worker last answered, in milliseconds since the Unix epoch.
    public var lastAnswerAtMs: Int64?
    /// Distinct runs seen on the worker since polling started (bounded by `WorkerPoller.runsRemembered`).
    public var runsSeen: Int

    /// Creates an observation.
    public init(
        id: String, reachable: Bool, status: ScootWorkerAPI.WorkerStatus? = nil, failure: String? = nil,
        lastAnswerAtMs: Int64? = nil, runsSeen: Int = 0
    ) {
        self.id = id
        self.reachable = reachable
        self.status = status
        self.failure = failure
        self.lastAnswerAtMs = lastAnswerAtMs
        self.runsSeen = runsSeen
    }

    /// Runs the worker reported as pending or running in its last answer (none while it is
    /// unreachable: what it reported before may have ended).
    public var activeRuns: [ScootWorkerAPI.RunStatus] {
        guard reachable, let status else { return [] }
        return status.runs.filter { $0.status == .pending || $0.status == .running }
    }

    /// Whether the scheduler would give it work: it answered, is initialized and healthy.
    public var isReady: Bool {
        reachable && (status?.initialized ?? false) && (status?.isHealthy ?? false)
    }

    /// The console's view of this worker; `offline` when the operator took it out of service.
    public func workerInfo(offline: Bool) -> WorkerInfo {
        let active = activeRuns.first
        let state: WorkerState =
            if !reachable { .unreachable }
            else if offline { .offline }
            else if !isReady { .suspended }
            else if active != nil { .busy }
            else { .idle }
        let lastSnapshot = active?.snapshotId ?? status?.runs.last(where: { $0.snapshotId != nil })?.snapshotId ?? ""
        var error = failure
        if error == nil, let text = status?.error, !text.isEmpty { error = text }
        return WorkerInfo(
            id: id, state: state, currentJobId: active?.jobId, currentTaskId: active?.taskId, lastSnapshotId: lastSnapshot,
            tasksRun: Int32(clamping: runsSeen), reachable: reachable, healthy: status?.isHealthy, initialized: status?.initialized,
            error: error, runs: status.map { $0.runs.map(Self.cloudScootRunStatus) }, lastAnswerAtMs: lastAnswerAtMs)
    }

    /// A worker's run status in CloudScoot's types (the two IDLs declare the same fields).
    public static func cloudScootRunStatus(_ run: ScootWorkerAPI.RunStatus) -> ScootAPI.RunStatus {
        ScootAPI.RunStatus(
            status: ScootAPI.RunStatusState(rawValue: run.status.rawValue), runId: run.runId, outUri: run.outUri,
            errUri: run.errUri, error: run.error, exitCode: run.exitCode, snapshotId: run.snapshotId, jobId: run.jobId,
            taskId: run.taskId, tag: run.tag)
    }
}
