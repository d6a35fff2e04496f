/// One task of a job: a command to run on a worker.
public struct TaskDefinition: Sendable, Hashable, Codable {
    /// The command line; must not be empty.
    public var argv: [String]
    /// Environment variables for the command.
    public var environment: [String: String]
    /// The snapshot the command runs in ("" for none).
    public var snapshotID: String
    /// The task's id, unique inside its job; must not be empty.
    public var taskID: String
    /// The task's own timeout; used only when positive (`timeoutMs` in the IDL).
    public var timeout: Duration?

    /// Creates a task definition.
    public init(taskID: String, argv: [String], environment: [String: String] = [:], snapshotID: String = "", timeout: Duration? = nil) {
        self.taskID = taskID
        self.argv = argv
        self.environment = environment
        self.snapshotID = snapshotID
        self.timeout = timeout
    }
}

/// A job as submitted by `runJob`: a list of tasks and the metadata Scoot keeps with them.
public struct JobDefinition: Sendable, Hashable, Codable {
    /// The tasks; at least one.
    public var tasks: [TaskDefinition]
    /// Timeout for tasks without a positive timeout of their own (`defaultTaskTimeoutMs`); any
    /// value, even zero or negative, is taken as given (docs/scoot.md, "Timeouts").
    public var defaultTaskTimeout: Duration?
    /// 0, 1 or 2.
    public var priority: Int
    /// Groups related jobs; an empty tag becomes the job's id.
    public var tag: String
    /// Jobs of one requestor and basis with another tag are killed when this job is added.
    public var basis: String
    /// Who submitted the job; decides admission limits and the scheduling class.
    public var requestor: String
    /// Stored and reported only.
    public var jobType: String

    /// Creates a job definition.
    public init(
        tasks: [TaskDefinition], defaultTaskTimeout: Duration? = nil, priority: Int = 0, tag: String = "", basis: String = "",
        requestor: String = "", jobType: String = ""
    ) {
        self.tasks = tasks
        self.defaultTaskTimeout = defaultTaskTimeout
        self.priority = priority
        self.tag = tag
        self.basis = basis
        self.requestor = requestor
        self.jobType = jobType
    }
}

extension JobDefinition {
    /// The bytes of text the definition carries: every argument, environment name and value,
    /// task and snapshot id, and the tag, basis and requestor (UTF-8).
    public var textByteCount: Int {
        var total = tag.utf8.count + basis.utf8.count + requestor.utf8.count
        for task in tasks {
            total += task.taskID.utf8.count + task.snapshotID.utf8.count
            for argument in task.argv { total += argument.utf8.count }
            for (name, value) in task.environment { total += name.utf8.count + value.utf8.count }
        }
        return total
    }
}
