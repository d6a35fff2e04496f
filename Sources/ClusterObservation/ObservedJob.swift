import ScootAPI

/// One job known to a gateway or a console: forwarded by a gateway (with everything its submitter said) or found
/// running on a worker (then only its id and tag are known), and the last status read from the scheduler.
public struct ObservedJob: Sendable, Hashable {
    /// How the job became known.
    public enum Origin: String, Sendable, Hashable {
        /// Submitted through a gateway: requestor, tag, basis, priority and definition known.
        case forwarded
        /// Found running on a worker, or tracked by id: its submitter is unknown.
        case discovered
    }

    /// The scheduler's job id.
    public var id: String
    /// How it became known.
    public var origin: Origin
    /// Who submitted it ("" when discovered).
    public var requestor: String
    /// Its tag (the job id when the submitter left it empty, as Scoot does).
    public var tag: String
    /// Its basis.
    public var basis: String
    /// Its priority, as submitted.
    public var priority: Int32
    /// Its job type, as submitted.
    public var jobType: String
    /// Its task ids, in definition order (empty when discovered, until a status is read).
    public var taskIDs: [String]
    /// When it was forwarded (or discovered), in milliseconds since the Unix epoch.
    public var submittedAtMs: Int64
    /// The address of the client that submitted it ("" when discovered).
    public var caller: String
    /// The last status read from the scheduler, if any.
    public var status: JobStatus?
    /// When `status` was read.
    public var statusAtMs: Int64?
    /// Whether a kill was sent for it.
    public var killRequested: Bool
    /// When it was first seen finished.
    public var endedAtMs: Int64?

    /// Creates a job record.
    public init(
        id: String, origin: Origin, requestor: String = "", tag: String = "", basis: String = "", priority: Int32 = 0,
        jobType: String = "", taskIDs: [String] = [], submittedAtMs: Int64, caller: String = "", status: JobStatus? = nil,
        statusAtMs: Int64? = nil, killRequested: Bool = false, endedAtMs: Int64? = nil
    ) {
        self.id = id
        self.origin = origin
        self.requestor = requestor
        self.tag = tag
        self.basis = basis
        self.priority = priority
        self.jobType = jobType
        self.taskIDs = taskIDs
        self.submittedAtMs = submittedAtMs
        self.caller = caller
        self.status = status
        self.statusAtMs = statusAtMs
        self.killRequested = killRequested
        self.endedAtMs = endedAtMs
    }

    /// Whether the scheduler reported it finished (Scoot's COMPLETED, also for a killed job).
    public var isFinished: Bool {
        status?.status == .completed || status?.status == .rolledBack
    }
}
