/// A job's status as `GetStatus` reports it (docs/scoot.md, "How GetStatus is derived").
public struct JobStatus: Sendable, Hashable {
    /// One task's entry: its progress and, when it has one, its latest run status.
    public struct Task: Sendable, Hashable {
        /// The task id.
        public var taskID: String
        /// NOT_STARTED until tried, IN_PROGRESS while running or waiting for a retry, COMPLETED.
        public var progress: ProgressStatus
        /// The final run status when COMPLETED, the latest RUNNING report while IN_PROGRESS.
        public var data: RunStatus?
    }

    /// The job id, echoed even when unknown.
    public var id: String
    /// NOT_STARTED for an unknown id, IN_PROGRESS until every task is completed, then COMPLETED.
    public var status: ProgressStatus
    /// Every task of the job, ascending by task id in UTF-8 byte order: the order of the wire's
    /// maps, so that they are filled without a sort.
    public private(set) var tasks: [Task]

    /// Every task of the job by task id.
    public var taskStatus: [String: ProgressStatus] { Dictionary(uniqueKeysWithValues: tasks.map { ($0.taskID, $0.progress) }) }
    /// The latest run status of each task that has one.
    public var taskData: [String: RunStatus] {
        Dictionary(uniqueKeysWithValues: tasks.compactMap { task in task.data.map { (task.taskID, $0) } })
    }

    /// Creates a job status from maps (a data entry without a status entry is dropped).
    public init(id: String, status: ProgressStatus, taskStatus: [String: ProgressStatus] = [:], taskData: [String: RunStatus] = [:]) {
        self.id = id
        self.status = status
        tasks = taskStatus.keys.sorted(by: TaskIDOrder.precedes).map { Task(taskID: $0, progress: taskStatus[$0]!, data: taskData[$0]) }
    }

    /// A status whose `tasks` are in task id order already.
    init(id: String, status: ProgressStatus, orderedTasks: [Task]) {
        self.id = id
        self.status = status
        tasks = orderedTasks
    }
}
