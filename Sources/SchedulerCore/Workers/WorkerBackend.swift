/// What the scheduler asks a worker to run: one attempt of one task.
public struct RunRequest: Sendable, Hashable {
    /// Unique per attempt, chosen by the scheduler; every event about the run names it.
    public var attemptID: Int
    /// The worker that runs it.
    public var workerID: String
    /// The task.
    public var task: TaskReference
    /// The command line.
    public var argv: [String]
    /// Environment variables for the command.
    public var environment: [String: String]
    /// The snapshot to run in.
    public var snapshotID: String
    /// The effective timeout; the worker kills the command and reports TIMEDOUT after it.
    public var timeout: Duration
    /// The job's tag, for the worker's logs.
    public var tag: String

    /// Creates a run request.
    public init(
        attemptID: Int, workerID: String, task: TaskReference, argv: [String], environment: [String: String], snapshotID: String,
        timeout: Duration, tag: String
    ) {
        self.attemptID = attemptID
        self.workerID = workerID
        self.task = task
        self.argv = argv
        self.environment = environment
        self.snapshotID = snapshotID
        self.timeout = timeout
        self.tag = tag
    }
}

/// Something a worker backend reports to the scheduler.
public enum WorkerEvent: Sendable, Hashable {
    /// A worker joined the cluster (or came back).
    case joined(workerID: String)
    /// A worker left the cluster.
    case left(workerID: String)
    /// A run is not over yet (PENDING or RUNNING), with its URIs.
    case progress(attemptID: Int, status: RunStatus)
    /// A run is over; `status.state` is COMPLETE, FAILED, ABORTED, TIMEDOUT or UNKNOWN.
    case finished(attemptID: Int, status: RunStatus)
}

/// The seam between the scheduler and whatever runs commands: simulated workers, local
/// processes, remote Scoot workers. The scheduler calls it from its own serialized context at
/// each step: it starts and aborts runs, then collects what happened since the last call. A
/// backend whose work finishes asynchronously (processes, sockets) buffers its events until they
/// are collected; one driven by the scheduler's clock (simulation) computes them on collection.
public protocol WorkerBackend: Sendable {
    /// Starts a run on `request.workerID`; its progress and end come back through `collectEvents`.
    func startRun(_ request: RunRequest)
    /// Stops a run. The scheduler has already closed the attempt and ignores any later event
    /// about it.
    func abortRun(attemptID: Int)
    /// Membership changes and run reports since the previous call, in the order they happened.
    func collectEvents() -> [WorkerEvent]
    /// Registers the function to call, from any thread, each time the backend has buffered a new
    /// event, so that the scheduler collects it at once instead of at its next tick. The
    /// scheduler registers itself when it is created.
    func setEventObserver(_ observer: @escaping @Sendable () -> Void)
}

extension WorkerBackend {
    /// Backends that compute their events when collected (simulations on the scheduler's clock)
    /// have nothing to announce and ignore the observer.
    public func setEventObserver(_ observer: @escaping @Sendable () -> Void) {}
}
