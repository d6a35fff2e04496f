/// The state of one run of a task on a worker (the IDL's `RunStatusState`).
public enum RunState: String, Sendable, Hashable, CaseIterable {
    /// UNKNOWN: counts as done and as an error.
    case unknown = "UNKNOWN"
    /// PENDING: accepted by the worker, not yet running.
    case pending = "PENDING"
    /// RUNNING: the command is running.
    case running = "RUNNING"
    /// COMPLETE: the command ran and exited, with any exit code.
    case complete = "COMPLETE"
    /// FAILED: the run machinery failed.
    case failed = "FAILED"
    /// ABORTED: killed by a user or preempted by the scheduler.
    case aborted = "ABORTED"
    /// TIMEDOUT: exceeded its timeout and was killed.
    case timedOut = "TIMEDOUT"
}

/// What is known about one run of a task (the IDL's `RunStatus`, without the fields Scoot never
/// fills in status replies: jobId, taskId, tag).
public struct RunStatus: Sendable, Hashable {
    /// Marker in the error text of tasks aborted by `kill`.
    public static let userRequested = "UserRequested"
    /// Marker in the error text of tasks stopped by a rebalance.
    public static let rebalanceRequested = "RebalanceRequested"
    /// Appended to the error text of a task whose last allowed attempt failed (`DeadLetterTrailer`).
    public static let deadLetterTrailer = " -> Error(s) encountered, canceling task."

    /// The run's state.
    public var state: RunState
    /// The worker's id for the run ("" when it never reached a worker).
    public var runID: String
    /// Where the command's standard output is.
    public var outURI: String
    /// Where the command's standard error is.
    public var errURI: String
    /// What went wrong, if anything.
    public var error: String
    /// The command's exit code (0 when not applicable).
    public var exitCode: Int32
    /// The snapshot the run used.
    public var snapshotID: String

    /// Creates a run status.
    public init(
        state: RunState, runID: String = "", outURI: String = "", errURI: String = "", error: String = "", exitCode: Int32 = 0,
        snapshotID: String = ""
    ) {
        self.state = state
        self.runID = runID
        self.outURI = outURI
        self.errURI = errURI
        self.error = error
        self.exitCode = exitCode
        self.snapshotID = snapshotID
    }
}
