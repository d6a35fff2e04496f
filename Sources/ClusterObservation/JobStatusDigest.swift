import ScootAPI

/// What a CloudScoot `JobStatus` says about a job's tasks, read the way real Scoot means it: a
/// task COMPLETED with run status ABORTED and `UserRequested` was killed, with
/// `RebalanceRequested` preempted; COMPLETE with exit code 0 passed; anything else that
/// completed failed.
public struct JobStatusDigest: Sendable, Hashable {
    /// Tasks not started.
    public var waiting = 0
    /// Tasks in progress.
    public var running = 0
    /// Tasks that ended COMPLETE with exit code 0.
    public var succeeded = 0
    /// Tasks that ended any other way, kills and preemptions included.
    public var failed = 0
    /// Tasks killed by a user (ABORTED, `UserRequested`).
    public var killed = 0
    /// Tasks preempted by a rebalance (ABORTED, `RebalanceRequested`).
    public var preempted = 0

    /// The digest of `status`.
    public init(_ status: JobStatus) {
        let data = status.taskData ?? [:]
        for (taskID, state) in status.taskStatus ?? [:] {
            switch state {
            case .notStarted: waiting += 1
            case .inProgress, .rollingBack: running += 1
            default:
                let run = data[taskID]
                if run?.status == .complete && (run?.exitCode ?? 0) == 0 {
                    succeeded += 1
                } else {
                    failed += 1
                    switch Self.abortReason(run) {
                    case .user: killed += 1
                    case .rebalance: preempted += 1
                    case nil: break
                    }
                }
            }
        }
    }

    /// Why a run was aborted, by the markers Scoot puts in its error text.
    public enum AbortReason: Sendable, Hashable {
        /// `UserRequested`: a kill.
        case user
        /// `RebalanceRequested`: a rebalance preempted it.
        case rebalance
    }

    /// The abort reason of `run`, nil when it was not aborted.
    public static func abortReason(_ run: RunStatus?) -> AbortReason? {
        guard let run, run.status == .aborted else { return nil }
        let error = run.error ?? ""
        if error.contains("RebalanceRequested") { return .rebalance }
        return .user  // Scoot's kills say UserRequested; an abort without a marker was requested too
    }

    /// Whether a user killed the job: some task was killed and none is left to run.
    public var wasKilled: Bool { killed > 0 }
}
