import Foundation
import ScootAPI
import TUIKit

/// The task timeline of one job: for each task, bars over time — waiting, then each attempt
/// (running, done, failed, killed, or retried when the task went back to waiting for another),
/// with the worker of each attempt where known. Pure: built from the Tasks table's rows (or a
/// followed job's ListTasks entries), the job's summary and what `TaskHistory` saw.
///
/// Times are milliseconds since 1970. With ListTasks (`Source.listTasks`) the latest attempt of
/// every task has the server's own start and end, earlier attempts the polls' times; without it
/// (`Source.observed`), every time is a poll's `observedAt`, right to within a poll.
/// Lanes are built on demand (`lane(at:)`), so a frame builds only the lanes it shows.
public struct TaskTimeline: Sendable {
    /// Where the times come from; the pane says it.
    public enum Source: Sendable, Hashable {
        /// ListTasks: the server's times of each task's latest attempt.
        case listTasks
        /// What this console saw change from one poll to the next.
        case observed
    }

    /// What a bar shows. Each has the role and glyph of the Tasks table's badge for that state.
    public enum Kind: Sendable, Hashable {
        case waiting, running, done, failed, killed
        /// An attempt that ended with the task going back to waiting for another.
        case retried
        /// Finished, how not known: a followed job's ListTasks entry says only COMPLETED.
        case ended

        init(_ outcome: TaskHistory.Outcome) {
            switch outcome {
            case .done: self = .done
            case .failed: self = .failed
            case .killed: self = .killed
            case .retried: self = .retried
            }
        }

        /// The Tasks table's badge of the state this kind draws (retried and ended have none).
        private var badge: StateBadge? {
            switch self {
            case .waiting: TaskState.waiting.badge
            case .running: TaskState.running.badge
            case .done: TaskState.complete.badge
            case .failed: TaskState.failed.badge
            case .killed: TaskState.killed.badge
            case .retried, .ended: nil
            }
        }

        /// The colour role: the table's badge's; a retried attempt ended in an error (docs/scoot.md,
        /// "Attempts and retries").
        public var role: StyleRole {
            switch self {
            case .retried: .stateFailed
            case .ended: .dim
            default: badge?.role ?? .normal
            }
        }

        /// The glyph that ends the bar (the badge's), nil for waiting, which has none.
        public func glyph(_ characters: BoxCharacters) -> Character? {
            switch self {
            case .waiting: nil
            case .retried: characters.retryMark
            case .ended: "?"
            default: badge?.text.first
            }
        }

        /// The word for the legend and the detail line.
        public var word: String {
            switch self {
            case .waiting: "waiting"
            case .running: "running"
            case .done: "done"
            case .failed: "failed"
            case .killed: "killed"
            case .retried: "retried"
            case .ended: "ended"
            }
        }
    }

    /// One bar of a lane.
    public struct Bar: Sendable, Hashable {
        public var kind: Kind
        public var startMs: Int64
        public var endMs: Int64
        /// The attempt's number (1 for the first); nil for waiting and for a mark.
        public var attempt: Int?
        public var workerID: String?
        /// Whether it goes on past `endMs`, the latest time known (running, waiting).
        public var isOpen: Bool
        /// Whether its start, and its end, are a poll's rather than the server's (±1 poll).
        public var startIsSeen: Bool
        public var endIsSeen: Bool
        /// Whether it had begun before the console watched: `startMs` is when it was first seen.
        public var startedUnseen: Bool
    }

    /// One task's row of bars.
    public struct Lane: Sendable, Hashable {
        public var taskID: String
        /// Waiting bars first, then the attempts in order; a later bar is drawn over an earlier one.
        public var bars: [Bar]
        /// Attempts started, as far as known.
        public var attempts: Int
        /// Of those, the ones with no bar (begun and ended between two polls, or older than
        /// the history keeps).
        public var attemptsUnseen: Int
    }

    /// One task as the timeline reads it.
    public struct Task: Sendable, Hashable {
        public var id: String
        /// The Tasks table's state; nil for a finished task whose outcome is not known.
        public var state: TaskState?
        /// ListTasks' fields: the latest attempt's worker and start, the task's end, attempts started.
        public var workerID: String?
        public var startedAtMs: Int64?
        public var endedAtMs: Int64?
        public var attempts: Int

        public init(id: String, state: TaskState?, workerID: String? = nil, startedAtMs: Int64? = nil, endedAtMs: Int64? = nil, attempts: Int = 0) {
            self.id = id
            self.state = state
            self.workerID = workerID
            self.startedAtMs = startedAtMs
            self.endedAtMs = endedAtMs
            self.attempts = attempts
        }

        /// A row of the Tasks table.
        init(_ row: TaskRow) {
            self.init(id: row.id, state: row.state, workerID: row.workerID.isEmpty ? nil : row.workerID, startedAtMs: row.startedAtMs,
                      endedAtMs: row.endedAtMs, attempts: row.attempts)
        }

        /// A followed job's ListTasks entry, which has a status but no run.
        init(_ summary: TaskSummary) {
            let state: TaskState? = switch summary.status {
            case .notStarted: .waiting
            case .inProgress: .running
            default: nil
            }
            self.init(id: summary.taskId, state: state, workerID: summary.workerId, startedAtMs: summary.startedAtMs, endedAtMs: summary.endedAtMs,
                      attempts: Int(summary.attempts))
        }
    }

    /// What part of the span a screen shows: from `startMs`, `lengthMs` long, with the time
    /// cursor at `cursorMs`.
    public struct Window: Sendable, Hashable {
        public var startMs: Int64
        public var lengthMs: Int64
        public var cursorMs: Int64

        /// The column (of `width`) that holds `ms`; outside `0..<width` when the window does not show it.
        public func column(of ms: Int64, width: Int) -> Int {
            let offset = Double(ms - startMs) * Double(width) / Double(lengthMs)
            return Int(offset.rounded(.down))
        }

        /// How much time one of `width` columns stands for.
        public func millisecondsPerColumn(width: Int) -> Int64 { max(1, lengthMs / Int64(max(1, width))) }
    }

    /// The job's id.
    public let jobID: String
    public let source: Source
    /// The tasks, in the table's order.
    public let tasks: [Task]
    /// From the job's submission (else the first poll) to its end, or to `nowMs` while it runs.
    public private(set) var span: ClosedRange<Int64> = 0...0
    /// The latest time the data speaks for: where open bars end.
    public let nowMs: Int64
    /// When the job was submitted, if known.
    public let submittedAtMs: Int64?
    private let history: TaskHistory?

    /// The shortest span a screen shows, so that a job of one instant still has a width.
    public static let minimumSpanMs: Int64 = 1000
    /// The finest zoom: one column for 100 ms.
    public static let finestColumnMs: Int64 = 100

    /// The timeline of `jobID`'s `tasks`; `history` counts only when it is of that job.
    public init(jobID: String, tasks: [Task], job: JobSummary?, history: TaskHistory?, source: Source, nowMs: Int64) {
        self.jobID = jobID
        self.tasks = tasks
        self.source = source
        self.nowMs = nowMs
        self.history = history?.jobID == jobID ? history : nil
        submittedAtMs = job.flatMap { $0.submittedAtMs > 0 ? $0.submittedAtMs : nil }
        let finished = job.map { $0.status != .notStarted && $0.status != .inProgress } ?? false
        var end = finished ? job?.endedAtMs ?? nowMs : nowMs
        if source == .observed, let changed = self.history?.lastChangeMs { end = max(end, changed) }
        var start = submittedAtMs ?? self.history?.firstPollMs
        if start == nil {
            // Neither the job nor a poll says when it began: its earliest bar does.
            start = lanes.compactMap { $0.bars.map(\.startMs).min() }.min()
        }
        let lower = min(start ?? end, end)
        span = lower...max(end, lower + Self.minimumSpanMs)
    }

    /// The lane of the task at `index` of `tasks`.
    public func lane(at index: Int) -> Lane { lane(for: tasks[index]) }

    /// Every lane, in order (a frame asks only for the ones it shows).
    public var lanes: [Lane] { tasks.map(lane(for:)) }

    /// The part of the span shown at `zoom` (0 fits the whole span; each step halves it) around
    /// the time cursor (nil: the latest time), kept inside the span.
    public func window(zoom: Int, cursorMs: Int64?) -> Window {
        let spanLength = span.upperBound - span.lowerBound
        let length = max(1, spanLength >> Int64(max(0, min(zoom, 62))))
        let cursor = min(max(cursorMs ?? span.upperBound, span.lowerBound), span.upperBound)
        let start = min(max(cursor - length / 2, span.lowerBound), span.upperBound - length)
        return Window(startMs: start, lengthMs: length, cursorMs: cursor)
    }

    /// Whether one more zoom step still gives a column at least `finestColumnMs` on `width` columns.
    public func canZoom(beyond zoom: Int, width: Int) -> Bool {
        zoom < 62 && window(zoom: zoom + 1, cursorMs: nil).lengthMs >= Self.finestColumnMs * Int64(max(1, width))
    }

    /// An attempt as the lane draws it.
    private struct AttemptTimes {
        var number: Int
        var start: Int64
        var end: Int64?
        var kind: Kind?
        var workerID: String?
        var startIsSeen: Bool
        var endIsSeen: Bool
        var startedUnseen: Bool
    }

    func lane(for task: Task) -> Lane {
        let recorded = history?.tasks[task.id]
        let server = source == .listTasks
        var attempts: [AttemptTimes] = (recorded?.attempts ?? []).map { attempt in
            let serverStart = server ? attempt.serverStartMs : nil
            let serverEnd = server ? attempt.serverEndMs : nil
            return AttemptTimes(
                number: attempt.number, start: serverStart ?? attempt.started.atMs, end: attempt.ended.map { serverEnd ?? $0.atMs },
                kind: attempt.outcome.map(Kind.init), workerID: attempt.workerID, startIsSeen: serverStart == nil,
                endIsSeen: attempt.ended != nil && serverEnd == nil, startedUnseen: serverStart == nil && attempt.started.afterMs == nil)
        }
        // ListTasks describes the latest attempt with the server's own times. Without a history
        // of the task (a replay opened after it started, a killed job nobody had open), a plain
        // Scoot's task list does too, with the times this console saw on the workers (±1 poll).
        let listed = server || recorded == nil
        if listed, task.attempts > 0, let started = task.startedAtMs {
            attempts.removeAll { $0.number > task.attempts }
            var latest = attempts.last?.number == task.attempts ? attempts.removeLast()
                : AttemptTimes(number: task.attempts, start: started, kind: nil, workerID: nil, startIsSeen: false, endIsSeen: false, startedUnseen: false)
            latest.start = started
            latest.startIsSeen = !server
            latest.startedUnseen = false
            latest.workerID = task.workerID ?? latest.workerID
            if let ended = task.endedAtMs {
                latest.end = ended
                latest.endIsSeen = !server
            }
            attempts.append(latest)
        }
        // An earlier attempt had ended by the time the next one started (a poll may see the end
        // later than the server's start of the next, or not at all).
        for index in attempts.indices.dropLast() where attempts[index].end.map({ $0 > attempts[index + 1].start }) ?? true {
            attempts[index].end = max(attempts[index].start, attempts[index + 1].start)
            attempts[index].endIsSeen = attempts[index + 1].startIsSeen
            attempts[index].kind = .retried
        }
        // A finished task's latest attempt ends as the table says.
        let finished: Kind? = switch task.state {
        case nil: .ended
        case .waiting?, .running?: nil
        case let state?: TaskHistory.Outcome(state).map(Kind.init)
        }
        let endedWaiting = attempts.isEmpty || attempts.last?.kind == .retried
        if let finished, !endedWaiting, let last = attempts.indices.last {
            attempts[last].kind = finished
            if attempts[last].end == nil {
                attempts[last].end = task.endedAtMs ?? nowMs
                attempts[last].endIsSeen = task.endedAtMs == nil
            }
        }

        var waits: [Bar] = []
        var bars: [Bar] = []
        func wait(from start: (ms: Int64, seen: Bool), to end: (ms: Int64, seen: Bool)?) {
            waits.append(Bar(kind: .waiting, startMs: start.ms, endMs: max(start.ms, end?.ms ?? nowMs), attempt: nil, workerID: nil, isOpen: end == nil,
                             startIsSeen: start.seen, endIsSeen: end?.seen ?? false, startedUnseen: false))
        }
        // It waited from the job's submission when ListTasks says so or the first poll saw it
        // waiting (then from that poll if the submission is not known).
        let seenWaiting = recorded?.firstSeenWaiting == true
        let firstWait: (ms: Int64, seen: Bool)? = server || seenWaiting
            ? submittedAtMs.map { ($0, false) } ?? (seenWaiting ? recorded.map { ($0.firstSeen.atMs, true) } : nil) : nil
        if let first = attempts.first, first.number == 1, !first.startedUnseen, let firstWait {
            wait(from: firstWait, to: (first.start, first.startIsSeen))
        }
        for (index, attempt) in attempts.enumerated() {
            let previous = index > 0 ? attempts[index - 1] : nil
            if let previous, previous.number == attempt.number - 1, let previousEnd = previous.end, previousEnd < attempt.start {
                wait(from: (previousEnd, previous.endIsSeen), to: (attempt.start, attempt.startIsSeen))
            }
            bars.append(Bar(
                kind: attempt.kind ?? .running, startMs: attempt.start, endMs: max(attempt.start, attempt.end ?? nowMs), attempt: attempt.number,
                workerID: attempt.workerID, isOpen: attempt.end == nil, startIsSeen: attempt.startIsSeen, endIsSeen: attempt.endIsSeen,
                startedUnseen: attempt.startedUnseen))
        }
        // Waiting for the first attempt, or for the next after a retry; a task killed meanwhile
        // ends with its mark.
        if endedWaiting {
            let from = attempts.last.flatMap { attempt in attempt.end.map { ($0, attempt.endIsSeen) } } ?? firstWait
            if let finished {
                let serverEnd = server ? task.endedAtMs : nil
                if let end = serverEnd ?? recorded?.endedWaiting?.atMs {
                    let seen = serverEnd == nil
                    if let from { wait(from: from, to: (end, seen)) }
                    bars.append(Bar(kind: finished, startMs: end, endMs: end, attempt: nil, workerID: nil, isOpen: false, startIsSeen: seen, endIsSeen: seen,
                                    startedUnseen: false))
                }
            } else if let from {
                wait(from: from, to: nil)
            }
        }
        let started = max(task.attempts, attempts.last?.number ?? 0)
        return Lane(taskID: task.id, bars: waits + bars, attempts: started, attemptsUnseen: max(0, started - attempts.count))
    }
}
