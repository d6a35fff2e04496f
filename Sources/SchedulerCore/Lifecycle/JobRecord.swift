import Glibc

/// A task's place in the scheduler's state machine (docs/scoot.md, "Job and task states").
enum TaskState: Sendable, Hashable {
    case notStarted
    case inProgress
    case completed
}

/// One attempt of a task on a worker.
struct Attempt: Sendable, Hashable {
    let id: Int
    let workerID: String
    let startedAt: SchedulerInstant
    /// Timeout + overhead after the start: past it the scheduler declares TIMEDOUT.
    let deadline: SchedulerInstant
}

/// When an attempt is overdue; ordered by deadline for the scheduler's timeout heap.
struct AttemptDeadline: Comparable, Sendable {
    let deadline: SchedulerInstant
    let attemptID: Int

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.deadline, lhs.attemptID) < (rhs.deadline, rhs.attemptID) }
}

/// A task inside the scheduler.
struct TaskRecord: Sendable {
    let definition: TaskDefinition
    /// The effective timeout (docs/scoot.md, "Timeouts").
    let timeout: Duration
    var state: TaskState = .notStarted
    var timesTried = 0
    /// The attempt running now, while InProgress.
    var attempt: Attempt?
    /// The worker of the latest attempt: running now, or the one that ran last.
    var lastWorkerID: String?
    /// When the latest attempt started.
    var lastStartedAt: SchedulerInstant?
    /// When the task became Completed (finished, given up, aborted or killed); nil before.
    var endedAt: SchedulerInstant?
    /// `latestReport` until the task is Completed, `finalStatus` from then on: one is never
    /// needed beside the other, and a run status is 96 bytes of every task.
    private var report: RunStatus?
    /// The latest not-yet-done report of a run; kept while the task waits for a retry, as Scoot's
    /// GetStatus shows the previous attempt's RUNNING data then. Nil once Completed.
    var latestReport: RunStatus? {
        get { state == .completed ? nil : report }
        set { report = newValue }
    }
    /// The final run status, once Completed; nil before.
    var finalStatus: RunStatus? {
        get { state == .completed ? report : nil }
        set { report = newValue }
    }

    init(definition: TaskDefinition, timeout: Duration) {
        self.definition = definition
        self.timeout = timeout
    }

    var taskID: String { definition.taskID }

    /// How a Completed task ended, as the job counts tell it; nil before it is Completed.
    var outcome: TaskOutcome? {
        guard state == .completed else { return nil }
        guard let finalStatus else { return .failed }
        if finalStatus.state == .complete, finalStatus.exitCode == 0 { return .succeeded }
        // A task a user killed (running or never started) is not a failure.
        if finalStatus.state == .aborted, finalStatus.error.hasPrefix(RunStatus.userRequested) { return .killed }
        return finalStatus.error.hasPrefix(RunStatus.rebalanceRequested) ? .preempted : .failed
    }

    /// Ends a task that never got to run (or waits for a retry) the way KillJob does.
    mutating func endByKill(at instant: SchedulerInstant) {
        state = .completed
        finalStatus = Self.endedByKill
        endedAt = instant
    }

    /// The final status of a task KillJob ended before it ran (or while it waited for a retry).
    static let endedByKill = RunStatus(state: .aborted, error: RunStatus.userRequested)

    /// The task's progress as GetStatus reports it: NOT_STARTED until tried, IN_PROGRESS while
    /// running or waiting for a retry, COMPLETED with its final status.
    var progress: ProgressStatus {
        switch (state, timesTried) {
        case (.completed, _): .completed
        case (.notStarted, 0): .notStarted
        case (.inProgress, _), (.notStarted, _): .inProgress
        }
    }
}

/// How a Completed task ended.
enum TaskOutcome: Sendable, CaseIterable {
    case succeeded
    case killed
    /// Failed for a reason other than a rebalance.
    case failed
    /// Stopped by a rebalance: a failure too.
    case preempted
}

/// A job inside the scheduler: in memory from admission until its last task completes, then kept
/// for status queries only (the role of Scoot's saga log).
struct JobRecord: Sendable {
    let id: String
    /// The definition as accepted (tag defaulted to the id, priority possibly inherited), without
    /// its tasks: they are in `tasks`, and a second array of them was 72 bytes a task.
    let definition: JobDefinition
    /// The tasks in scheduling order (descending historical mean duration); changed only through
    /// `updateTask`, which keeps the counts below. Chunked, so that changing a task while a
    /// copy of the record is being read off the actor copies a chunk, not the job.
    private(set) var tasks: ChunkedArray<TaskRecord>
    /// Task id → index in `tasks`.
    let taskIndex: [String: Int]
    /// Indices into `tasks` in ascending task id order (UTF-8 bytes, the order of the wire's
    /// maps): statuses and listings are built in this order, with no sort per call.
    let taskIDOrder: [Int32]
    let submittedAt: SchedulerInstant
    var startedAt: SchedulerInstant?
    var endedAt: SchedulerInstant?
    var killed = false
    /// When KillJob took effect; nil for a job not killed by KillJob.
    var killedAt: SchedulerInstant?
    /// The job's end is in the journal already (a kill writes it first).
    var endJournaled = false
    /// A KillJob is waiting for its journal write: a second one is refused as for a killed job.
    var killRequested = false
    private(set) var waitingCount: Int
    private(set) var completedCount = 0
    /// Completed tasks by how they ended (`TaskOutcome` order), kept by `updateTask`.
    private var outcomeCounts = [0, 0, 0, 0]
    /// No task before this index waits: where the search for waiting tasks starts.
    private var firstMaybeWaiting = 0

    init(id: String, definition: JobDefinition, tasks: [TaskRecord], submittedAt: SchedulerInstant) {
        self.id = id
        var withoutTasks = definition
        withoutTasks.tasks = []
        self.definition = withoutTasks
        self.tasks = ChunkedArray(tasks)
        self.submittedAt = submittedAt
        waitingCount = tasks.count
        taskIndex = Dictionary(uniqueKeysWithValues: tasks.enumerated().map { ($0.element.taskID, $0.offset) })
        taskIDOrder = tasks.indices.sorted { TaskIDOrder.precedes(tasks[$0].taskID, tasks[$1].taskID) }.map { Int32($0) }
    }

    /// Changes the task at `index` in place and keeps the per-state counts.
    mutating func updateTask(at index: Int, _ change: (inout TaskRecord) -> Void) {
        let before = tasks[index].state
        // Only a Completed task has an outcome: a report or a start costs no classification.
        let outcomeBefore = before == .completed ? tasks[index].outcome : nil
        change(&tasks[index])
        let after = tasks[index].state
        let outcomeAfter = after == .completed ? tasks[index].outcome : nil
        if outcomeBefore != outcomeAfter {
            if let outcomeBefore { outcomeCounts[outcomeBefore.countIndex] -= 1 }
            if let outcomeAfter { outcomeCounts[outcomeAfter.countIndex] += 1 }
        }
        guard before != after else { return }
        if before == .notStarted { waitingCount -= 1 }
        if after == .notStarted {
            waitingCount += 1
            firstMaybeWaiting = min(firstMaybeWaiting, index)
        }
        if before == .completed { completedCount -= 1 }
        if after == .completed { completedCount += 1 }
    }

    /// Completed tasks that ended with `outcome` in the record (a killed job's waiting tasks,
    /// ended by derivation only, are not among them).
    func completedCount(_ outcome: TaskOutcome) -> Int { outcomeCounts[outcome.countIndex] }

    /// The indices of the first `limit` waiting tasks, in task order: what one step may start,
    /// or a kill slice ends. Costs the tasks it looks at, not the job's size: the search starts
    /// past the leading tasks that no longer wait.
    mutating func firstWaitingTaskIndices(limit: Int) -> [Int] {
        var indices: [Int] = []
        var index = firstMaybeWaiting
        while index < tasks.count, tasks[index].state != .notStarted { index += 1 }
        firstMaybeWaiting = index
        while index < tasks.count, indices.count < limit {
            if tasks[index].state == .notStarted { indices.append(index) }
            index += 1
        }
        return indices
    }

    /// Every task is Completed in the record.
    var isFinished: Bool { completedCount == tasks.count }
    /// Tasks not Completed as clients see them: a killed job's waiting tasks count as ended.
    var unfinishedTaskCount: Int { killedAt != nil ? runningCount : tasks.count - completedCount }
    var hasWaitingTask: Bool { waitingCount > 0 }
    /// A task waits and may be scheduled: the job is not killed.
    var hasTaskToSchedule: Bool { waitingCount > 0 && !killed }
    /// Tasks neither waiting nor Completed in the record.
    var runningCount: Int { tasks.count - waitingCount - completedCount }
    /// Every task is Completed as clients see it (docs/scoot.md, "How GetStatus is derived").
    var appearsFinished: Bool { isFinished || (killedAt != nil && runningCount == 0) }

    /// The task as clients see it: after a KillJob, a task still waiting in the record is already
    /// ended (ABORTED, `UserRequested`, at the kill), by derivation; a later step ends it in the
    /// record as well.
    func shown(_ task: TaskRecord) -> TaskRecord {
        guard let killedAt, task.state == .notStarted else { return task }
        var shown = task
        shown.endByKill(at: killedAt)
        return shown
    }

    /// What GetStatus shows of the task at `position`, as `shown(_:)` derives it: its progress
    /// and its run status (the final one once Completed, the latest report while IN_PROGRESS).
    /// Reads the record in place, copying none of it but the run status.
    func shownProgressAndData(at position: Int) -> (ProgressStatus, RunStatus?) {
        if killedAt != nil, tasks[position].state == .notStarted { return (.completed, TaskRecord.endedByKill) }
        let progress = tasks[position].progress
        switch progress {
        case .completed: return (progress, tasks[position].finalStatus)
        case .inProgress: return (progress, tasks[position].latestReport)
        case .notStarted: return (progress, nil)
        }
    }
}

extension TaskOutcome {
    fileprivate var countIndex: Int {
        switch self {
        case .succeeded: 0
        case .killed: 1
        case .failed: 2
        case .preempted: 3
        }
    }
}

/// The order of task ids on the wire: their UTF-8 bytes (not Swift's Unicode order).
enum TaskIDOrder {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        let order = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                let bytes = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return bytes != 0 ? bytes < 0 : left.count < right.count
            }
        }
        if let order = order ?? nil { return order }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
