/// A point on the scheduler's clock, as the time elapsed since the clock's origin. The core never
/// reads a wall clock itself: time comes from an injected clock, so tests and simulations can run
/// hours of cluster time in milliseconds.
public typealias SchedulerInstant = Duration

/// A task in the algorithm's view: its job and its id.
public struct TaskReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The job the task belongs to.
    public var jobID: String
    /// The task's id inside its job.
    public var taskID: String

    /// Creates a reference.
    public init(jobID: String, taskID: String) {
        self.jobID = jobID
        self.taskID = taskID
    }

    public static func < (lhs: TaskReference, rhs: TaskReference) -> Bool {
        (lhs.jobID, lhs.taskID) < (rhs.jobID, rhs.taskID)
    }

    public var description: String { "\(jobID)/\(taskID)" }
}

/// Where a task is in the `SchedulingInput` a decision was made from: the index of its job in
/// `jobs`, and the index of the task in that job's `waiting` (a task to start) or `running` (a
/// task to stop). 32 bits each: an input holds far fewer than 2³¹ jobs, and a job far fewer
/// tasks (a step needs at most one waiting task per healthy worker).
public struct TaskPosition: Sendable, Hashable {
    /// The job's index in `SchedulingInput.jobs`.
    public var job: Int32
    /// The task's index in the job's `waiting` or `running`.
    public var task: Int32

    /// Creates a position; both indices must fit in 32 bits.
    public init(job: Int, task: Int) {
        self.job = Int32(job)
        self.task = Int32(task)
    }
}

/// A running task and when it started, for rebalance stop lists.
public struct RunningTask: Sendable, Hashable {
    /// The task's id inside its job.
    public var taskID: String
    /// When its current attempt started.
    public var startedAt: SchedulerInstant

    /// Creates a running task.
    public init(taskID: String, startedAt: SchedulerInstant) {
        self.taskID = taskID
        self.startedAt = startedAt
    }
}

/// One in-memory job as the algorithm sees it.
public struct JobLoad: Sendable, Hashable {
    /// The job id.
    public var id: String
    /// Who submitted it; decides its class.
    public var requestor: String
    /// 0, 1 or 2; higher is served first inside a class (a deviation from Scoot, which ignores it).
    public var priority: Int
    /// Its running tasks.
    public var running: [RunningTask]
    /// Its first waiting task ids, in the job's task order (descending historical mean
    /// duration): all of them, or at least as many as one step can start (the healthy workers).
    public var waiting: [String]
    /// How many of its tasks wait in all.
    public var waitingCount: Int

    /// Creates a job load; `waitingCount` defaults to `waiting.count`.
    public init(
        id: String, requestor: String, priority: Int = 0, running: [RunningTask] = [], waiting: [String] = [], waitingCount: Int? = nil
    ) {
        self.id = id
        self.requestor = requestor
        self.priority = priority
        self.running = running
        self.waiting = waiting
        self.waitingCount = waitingCount ?? waiting.count
    }
}

/// Everything one step of the load-based algorithm depends on. A value: the console builds it
/// from polled data for what-if previews; the core builds it from its own state.
public struct SchedulingInput: Sendable {
    /// Healthy workers, busy or idle (W); suspended and offlined workers are not counted.
    public var healthyWorkers: Int
    /// Tasks running on healthy workers; free workers F = max(0, W − runningTasks).
    public var runningTasks: Int
    /// Class → percent, already normalized (see `ClassLoadPercents.normalized`).
    public var classLoadPercents: [String: Int]
    /// Requestor regex → class.
    public var requestorToClass: RequestorClassifier
    /// Spread, in percentage points, above which rebalancing is considered; ≤ 0 disables it.
    public var rebalanceThreshold: Int
    /// How long the spread must stay above the threshold; ≤ 0 disables rebalancing.
    public var rebalanceMinimumDuration: Duration
    /// Since when the spread has been above the threshold, if it is.
    public var thresholdExceededSince: SchedulerInstant?
    /// Since when the spread has been back at or under the threshold while the timer runs.
    public var spreadBackUnderSince: SchedulerInstant?
    /// The current time on the scheduler's clock.
    public var now: SchedulerInstant
    /// The in-memory jobs, in arrival order.
    public var jobs: [JobLoad]

    /// Creates an input.
    public init(
        healthyWorkers: Int, runningTasks: Int, classLoadPercents: [String: Int], requestorToClass: RequestorClassifier,
        rebalanceThreshold: Int = 0, rebalanceMinimumDuration: Duration = .seconds(240),
        thresholdExceededSince: SchedulerInstant? = nil, spreadBackUnderSince: SchedulerInstant? = nil, now: SchedulerInstant = .zero,
        jobs: [JobLoad]
    ) {
        self.healthyWorkers = healthyWorkers
        self.runningTasks = runningTasks
        self.classLoadPercents = classLoadPercents
        self.requestorToClass = requestorToClass
        self.rebalanceThreshold = rebalanceThreshold
        self.rebalanceMinimumDuration = rebalanceMinimumDuration
        self.thresholdExceededSince = thresholdExceededSince
        self.spreadBackUnderSince = spreadBackUnderSince
        self.now = now
        self.jobs = jobs
    }
}

extension SchedulingInput {
    /// The waiting task at `position`, an element of `SchedulingDecision.tasksToStart`.
    public func waitingTask(at position: TaskPosition) -> TaskReference {
        let job = jobs[Int(position.job)]
        return TaskReference(jobID: job.id, taskID: job.waiting[Int(position.task)])
    }

    /// The running task at `position`, an element of `SchedulingDecision.tasksToStop`.
    public func runningTask(at position: TaskPosition) -> TaskReference {
        let job = jobs[Int(position.job)]
        return TaskReference(jobID: job.id, taskID: job.running[Int(position.task)].taskID)
    }
}

/// One class's numbers in a scheduling decision.
public struct ClassDecision: Sendable, Hashable {
    /// Normalized percent.
    public var percent: Int
    /// Entitlement in workers (T).
    public var target: Int
    /// Running tasks (R).
    public var running: Int
    /// Waiting tasks before this step.
    public var waiting: Int
    /// Workers on loan to this class: max(0, running − target).
    public var loaned: Int { max(0, running - target) }
    /// Tasks to start this step.
    public var start: Int
    /// Tasks to stop this step (rebalance only).
    public var stop: Int
}

/// What one step of the algorithm decided.
public struct SchedulingDecision: Sendable, Hashable {
    /// Per class numbers, by class name.
    public var classes: [String: ClassDecision]
    /// The current spread in percentage points (0 when rebalancing is disabled or fewer than two
    /// classes are considered).
    public var spread: Int
    /// Whether this step rebalanced.
    public var rebalanced: Bool
    /// The new "exceeded since" state of the rebalance timer.
    public var thresholdExceededSince: SchedulerInstant?
    /// The new "back under since" state of the timer (a short dip keeps it running).
    public var spreadBackUnderSince: SchedulerInstant?
    /// When the pending rebalance will fire, if the spread stays above the threshold.
    public var rebalanceFiresAt: SchedulerInstant?
    /// Tasks to start, in order, as positions in the input (`SchedulingInput.waitingTask(at:)`);
    /// assignment places as many as there are idle workers. At most the healthy workers.
    public var tasksToStart: [TaskPosition]
    /// Tasks to abort with `RebalanceRequested`, as positions in the input
    /// (`SchedulingInput.runningTask(at:)`). At most the running tasks.
    public var tasksToStop: [TaskPosition]
    /// Jobs whose requestor maps to no class with a percent (put in the smallest class).
    public var unknownClassJobs: Int
    /// Jobs ignored because their class has 0 %.
    public var ignoredJobs: Int
}
