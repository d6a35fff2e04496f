/// A job's status as GetStatus shows it, kept as a copy of the job's record at one moment (the
/// copy shares the record's storage, so taking it costs nothing) and read task by task: a server
/// can encode a 100,000-task status straight from it, without building a `JobStatus` first.
public struct JobStatusSnapshot: Sendable {
    /// The job id, echoed even when unknown.
    public let id: String
    /// NOT_STARTED for an unknown id, IN_PROGRESS until every task is completed, then COMPLETED.
    public let status: ProgressStatus
    /// The record; nil for an unknown job, which has no tasks.
    private let job: JobRecord?

    /// The status of an unknown job.
    public init(unknownJob id: String) {
        self.id = id
        status = .notStarted
        job = nil
    }

    init(_ job: JobRecord) {
        id = job.id
        status = job.appearsFinished ? .completed : .inProgress
        self.job = job
    }

    /// The number of tasks.
    public var taskCount: Int { job?.tasks.count ?? 0 }

    /// Calls `body` with every task in task id order (UTF-8 bytes, the order of the wire's maps):
    /// its id, its progress and, when it has one, its run status (the final one when COMPLETED,
    /// the latest RUNNING report while IN_PROGRESS). A killed job's waiting tasks are shown
    /// ended, as they are from the moment of the kill.
    public func forEachTask(_ body: (_ taskID: String, _ progress: ProgressStatus, _ data: RunStatus?) throws -> Void) rethrows {
        guard let job else { return }
        for index in job.taskIDOrder {
            let task = job.shown(job.tasks[Int(index)])
            let progress = task.progress
            switch progress {
            case .completed: try body(task.taskID, progress, task.finalStatus)
            case .inProgress: try body(task.taskID, progress, task.latestReport)
            case .notStarted: try body(task.taskID, progress, nil)
            }
        }
    }
}

extension JobStatus {
    /// The status the snapshot shows, every task in it.
    public init(_ snapshot: JobStatusSnapshot) {
        var tasks: [Task] = []
        tasks.reserveCapacity(snapshot.taskCount)
        snapshot.forEachTask { taskID, progress, data in tasks.append(Task(taskID: taskID, progress: progress, data: data)) }
        self.init(id: snapshot.id, status: snapshot.status, orderedTasks: tasks)
    }
}
