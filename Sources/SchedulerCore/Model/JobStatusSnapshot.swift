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
    ///
    /// `inTaskIDOrder: false` visits them in the record's own order instead, which reads the
    /// record sequentially: about twice as fast on a large job, for what does not need the order
    /// (counts, sizes).
    public func forEachTask(
        inTaskIDOrder: Bool = true, _ body: (_ taskID: String, _ progress: ProgressStatus, _ data: RunStatus?) throws -> Void
    ) rethrows {
        guard let job else { return }
        if inTaskIDOrder {
            for index in job.taskIDOrder {
                let (progress, data) = job.shownProgressAndData(at: Int(index))
                try body(job.tasks[Int(index)].taskID, progress, data)
            }
        } else {
            for position in job.tasks.indices {
                let (progress, data) = job.shownProgressAndData(at: position)
                try body(job.tasks[position].taskID, progress, data)
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
