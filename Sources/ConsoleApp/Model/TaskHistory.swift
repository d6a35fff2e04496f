import Foundation
import ScootAPI

/// What this console saw of one job's tasks over successive polls: each task's attempts, when a
/// poll first showed each one started and ended (and the server's times, where ListTasks gave
/// them), so that the task timeline can draw every attempt, the retried ones included, although
/// GetStatus and ListTasks only ever describe the latest.
///
/// It follows the job whose status the polls bring (`ClusterSnapshot.selectedJobStatus`, the
/// Tasks pane's job) and starts over when that is another job. A replay feeds it the recorded
/// snapshots through the same update path, so it needs nothing of its own there.
///
/// Bounded: at most `taskCapacity` tasks (the first in task order; `tasksLeftOut` counts the
/// others of the latest poll) and `attemptCapacity` attempts per task (the newest;
/// `Task.attemptsDropped` counts the older ones).
public struct TaskHistory: Sendable {
    /// The most tasks kept (10,000).
    public static let taskCapacity = 10_000
    /// The most attempts kept per task (32; Scoot's shipped configurations allow one).
    public static let attemptCapacity = 32

    /// When a poll saw a change: by the poll answered at `atMs` (the snapshot's `observedAt`), and
    /// after the poll before it that brought this job's status (`afterMs`; nil when there was none,
    /// so the change may be older than the console's watch).
    public struct Moment: Sendable, Hashable {
        public var atMs: Int64
        public var afterMs: Int64?
    }

    /// How an attempt, or a task that never got one, ended.
    public enum Outcome: Sendable, Hashable {
        case done, failed, killed
        /// Ended without finishing the task, which went back to waiting for another attempt.
        case retried

        /// The outcome a finished task's state says (nil while it waits or runs); the Tasks
        /// table's `TaskState` is the one definition.
        init?(_ state: TaskState) {
            switch state {
            case .waiting, .running: return nil
            case .complete: self = .done
            case .exited, .timedOut, .failed: self = .failed
            case .killed, .preempted: self = .killed
            }
        }
    }

    /// One attempt of a task.
    public struct Attempt: Sendable, Hashable {
        /// 1 for the first attempt; a number may be missing when an attempt began and ended
        /// between two polls.
        public var number: Int
        public var started: Moment
        /// The start ListTasks gave while this was the latest attempt.
        public var serverStartMs: Int64?
        public var ended: Moment?
        /// The task's end as ListTasks gave it (the last attempt only).
        public var serverEndMs: Int64?
        /// Nil while it runs.
        public var outcome: Outcome?
        public var workerID: String?
        /// The worker's run id (GetStatus's `taskData`): a new one is a new attempt.
        var runID: String?
    }

    /// One task's observed life.
    public struct Task: Sendable, Hashable {
        /// The poll that first listed it.
        public var firstSeen: Moment
        /// Whether it was waiting for its first attempt then, so it has waited since the job's
        /// submission.
        public var firstSeenWaiting: Bool
        /// Oldest first, at most `attemptCapacity`.
        public var attempts: [Attempt] = []
        /// Older attempts forgotten to stay within `attemptCapacity`.
        public var attemptsDropped = 0
        /// When it was seen finished while no attempt ran (killed while waiting), and how.
        public var endedWaiting: Moment?
        public var endedWaitingOutcome: Outcome?
    }

    /// The job the history is of.
    public private(set) var jobID: String?
    /// The tasks seen, by task id.
    public private(set) var tasks: [String: Task] = [:]
    /// Tasks of the latest poll beyond `taskCapacity`, not recorded.
    public private(set) var tasksLeftOut = 0
    /// The first and the latest poll that brought the job's status (ms since 1970, the console's clock).
    public private(set) var firstPollMs: Int64?
    public private(set) var lastPollMs: Int64?
    /// The latest poll that showed a change.
    public private(set) var lastChangeMs: Int64?
    /// Grows with every change, so that a frame can tell cheaply whether it must redraw.
    public private(set) var revision = 0
    /// What the latest poll brought, to skip a poll that brought the same.
    private var lastStatus: JobStatus?
    private var lastSummaries: [TaskSummary] = []

    public init() {}

    /// Adds what `snapshot` shows of its job's tasks, at its `observedAt`; a snapshot of another
    /// job starts the history over, one without a job's status changes nothing.
    public mutating func record(_ snapshot: ClusterSnapshot) {
        guard let status = snapshot.selectedJobStatus else { return }
        let nowMs = Int64((snapshot.observedAt.timeIntervalSince1970 * 1000).rounded())
        if status.id != jobID {
            let next = revision + 1
            self = TaskHistory()
            jobID = status.id
            revision = next
        }
        defer { lastPollMs = nowMs }
        if firstPollMs != nil, status == lastStatus, snapshot.selectedJobTasks == lastSummaries { return }
        lastStatus = status
        lastSummaries = snapshot.selectedJobTasks
        revision += 1
        lastChangeMs = nowMs
        if firstPollMs == nil { firstPollMs = nowMs }
        let seen = Moment(atMs: nowMs, afterMs: lastPollMs)
        let statuses = status.taskStatus ?? [:]
        let summaries = Dictionary(snapshot.selectedJobTasks.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        // New tasks join while there is room, the first in task order.
        var newIDs = statuses.keys.filter { tasks[$0] == nil }
        let room = Self.taskCapacity - tasks.count
        if newIDs.count > room {
            newIDs = Array(ConsoleState.taskOrder(newIDs).prefix(max(0, room)))
        }
        tasksLeftOut = statuses.count - tasks.count - newIDs.count
        for id in newIDs {
            let waiting = statuses[id] == .notStarted && (summaries[id]?.attempts ?? 0) == 0
            tasks[id] = Task(firstSeen: seen, firstSeenWaiting: waiting)
        }
        for (id, taskStatus) in statuses where tasks[id] != nil {
            Self.observe(&tasks[id]!, status: taskStatus, run: status.taskData?[id], summary: summaries[id], seen: seen)
        }
    }

    /// Updates one task from one poll: a new attempt when the attempts counter grew, or, without
    /// one, when the task runs again or under a new run id; the open attempt ends when the task
    /// finishes (its state's outcome) or goes back to waiting (retried).
    static func observe(_ task: inout Task, status: Status, run: RunStatus?, summary: TaskSummary?, seen: Moment) {
        let state = TaskState(run, taskStatus: status)
        let runID = run.flatMap { $0.runId.isEmpty ? nil : $0.runId }
        let known = task.attempts.last?.number ?? 0
        let open = task.attempts.last.map { $0.outcome == nil } ?? false
        var number = max(known, Int(summary?.attempts ?? 0))
        if number == known {
            // No counter (a plain Scoot), or it has not moved: what the status says.
            if status == .inProgress, !open {
                number += 1
            } else if let runID, let last = task.attempts.last?.runID, runID != last {
                number += 1
            } else if status != .notStarted, status != .inProgress, known == 0, runID != nil {
                number = 1  // started and finished between two polls
            }
        }
        // The summary describes the latest attempt (a plain Scoot's, seen on the workers, may
        // not count attempts at all).
        let latestSummary = summary.flatMap { Int($0.attempts) == number || $0.attempts == 0 ? $0 : nil }
        if number > known {
            if open { Self.end(&task.attempts[task.attempts.count - 1], .retried, at: seen) }
            task.attempts.append(Attempt(
                number: number, started: seen, serverStartMs: latestSummary?.startedAtMs, workerID: latestSummary?.workerId, runID: runID))
            if task.attempts.count > attemptCapacity {
                task.attemptsDropped += task.attempts.count - attemptCapacity
                task.attempts.removeFirst(task.attempts.count - attemptCapacity)
            }
        } else if open, !task.attempts.isEmpty {
            let last = task.attempts.count - 1
            if let worker = latestSummary?.workerId { task.attempts[last].workerID = worker }
            if task.attempts[last].serverStartMs == nil { task.attempts[last].serverStartMs = latestSummary?.startedAtMs }
            if task.attempts[last].runID == nil { task.attempts[last].runID = runID }
        }
        let isOpen = task.attempts.last.map { $0.outcome == nil } ?? false
        switch status {
        case .notStarted:
            if isOpen { Self.end(&task.attempts[task.attempts.count - 1], .retried, at: seen) }
        case .inProgress:
            break
        default:
            guard let outcome = Outcome(state) else { break }
            if isOpen {
                let last = task.attempts.count - 1
                Self.end(&task.attempts[last], outcome, at: seen)
                task.attempts[last].serverEndMs = latestSummary?.endedAtMs
            } else if task.endedWaiting == nil, task.attempts.last.map({ $0.outcome == .retried }) ?? true {
                task.endedWaiting = seen
                task.endedWaitingOutcome = outcome
            }
        }
    }

    private static func end(_ attempt: inout Attempt, _ outcome: Outcome, at seen: Moment) {
        attempt.outcome = outcome
        attempt.ended = seen
    }
}
