import ScootAPI
import TUIKit

/// A job's state as the console shows, filters, sorts and counts it: the one definition.
public enum JobState: String, Sendable, Hashable, CaseIterable {
    /// Not finished and no task running.
    case waiting
    /// Not finished, a task running.
    case running
    /// Finished with every task complete and exit 0.
    case done
    /// Finished with a failed task (not counting tasks a rebalance stopped, when that is all).
    case failed
    /// Killed by a user.
    case killed
    /// Finished, its only failures tasks a rebalance stopped.
    case preempted
    /// A tracked id the scheduler does not know.
    case unknown

    /// The glyph and word the STATUS column shows.
    var badge: StateBadge {
        switch self {
        case .waiting: StateBadge(text: "… waiting", role: .stateWaiting)
        case .running: StateBadge(text: "▶ running", role: .stateRunning)
        case .done: StateBadge(text: "✓ done", role: .stateDone)
        case .failed: StateBadge(text: "✗ failed", role: .stateFailed)
        case .killed: StateBadge(text: "⊘ killed", role: .stateKilled)
        case .preempted: StateBadge(text: "⊘ preempted", role: .stateKilled)
        case .unknown: StateBadge(text: "? unknown", role: .stateFailed)
        }
    }

    /// The state of `job`; `unknown` when the scheduler said it has no such job.
    init(_ job: JobSummary, unknown: Bool = false) {
        if unknown { self = .unknown; return }
        if job.killed { self = .killed; return }
        if job.status == .completed {
            let preempted = Int(job.preemptedTasks ?? 0)
            if preempted > 0, Int(job.failedTasks) == preempted { self = .preempted; return }
            self = job.failedTasks > 0 ? .failed : .done
            return
        }
        self = job.runningTasks > 0 ? .running : .waiting
    }
}

/// One row of the Jobs pane, built once per snapshot.
public struct JobRow: Identified, Hashable {
    public let id: String
    public let job: JobSummary
    public let state: JobState

    init(_ job: JobSummary, unknown: Bool) {
        id = job.id
        self.job = job
        state = JobState(job, unknown: unknown)
    }

    /// The age shown at `nowMs` (`45s`, `≥12m` for a job first seen on a worker, `?` when unknown).
    func age(nowMs: Int64) -> String {
        guard job.submittedAtMs > 0 else { return "?" }
        let age = ageText(fromMs: job.submittedAtMs, nowMs: nowMs)
        return unknownFields.contains("submittedAt") ? "≥" + age : age
    }

    /// How old the row's status is at `nowMs`, for the SEEN column (nil when it is current).
    func seen(nowMs: Int64) -> String? { job.statusAtMs.map { ageText(fromMs: $0, nowMs: Swift.max(nowMs, $0)) } }

    private var unknownFields: Set<String> { Set(job.unknownFields ?? []) }

    /// The Jobs table. What the server could not learn (a job found on a worker) is shown as
    /// such: `?` for the requestor, a blank priority, the age as "at least".
    static let columns = ColumnSet<JobRow>(columns: [
        Column("ID", key: "i", width: .length(12), by: { $0.id }, cell: { TableCell($0.id) }),
        Column("REQUESTOR", key: "r", width: .fill(2), by: { $0.job.requestor }) { row in
            row.unknownFields.contains("requestor") ? TableCell("?", role: .dim) : TableCell(row.job.requestor)
        },
        Column("CLASS", key: "c", width: .length(10), by: { $0.job.className }, cell: { TableCell($0.job.className) }),
        Column("TAG", key: "t", width: .fill(1), by: { $0.job.tag }, cell: { TableCell($0.job.tag) }),
        Column("BASIS", key: "b", width: .fill(1), shownFrom: 100, by: { $0.job.basis }, cell: { TableCell($0.job.basis) }),
        Column("PRI", key: "p", width: .length(3), alignment: .right, startsDescending: true, by: { $0.job.priority }) { row in
            TableCell(row.unknownFields.contains("priority") ? "" : String(row.job.priority))
        },
        Column("STATUS", key: "s", width: .length(11), by: { $0.state.rawValue }, cell: { TableCell($0.state.badge.text, role: $0.state.badge.role) }),
        Column("DONE", key: "d", width: .length(5), alignment: .right, startsDescending: true, by: { $0.job.completedTasks }) { TableCell(String($0.job.completedTasks)) },
        Column("RUN", key: "u", width: .length(5), alignment: .right, startsDescending: true, by: { $0.job.runningTasks }) { TableCell(String($0.job.runningTasks)) },
        Column("WAIT", key: "w", width: .length(5), alignment: .right, startsDescending: true, by: { $0.job.waitingTasks }) { TableCell(String($0.job.waitingTasks)) },
        Column("FAIL", key: "f", width: .length(5), alignment: .right, startsDescending: true, by: { $0.job.failedTasks }) { row in
            TableCell(String(row.job.failedTasks), role: row.job.failedTasks > 0 ? .stateFailed : .normal)
        },
        // Ascending age is youngest first: a later submission is a smaller age.
        Column("AGE", key: "a", width: .length(5), alignment: .right, ascending: { $0.job.submittedAtMs > $1.job.submittedAtMs }, cellAt: { row, context in TableCell(row.age(nowMs: context.nowMs)) }),
        // Behind a gateway (or on a plain Scoot) statuses are read within a budget: SEEN says how
        // old each row's status is. The pane adds it when some row has one.
        Column("SEEN", key: "e", width: .length(5), alignment: .right, shownFrom: .max, by: { $0.job.statusAtMs ?? .max }) { row, context in
            TableCell(row.seen(nowMs: context.nowMs) ?? "–", role: .dim)
        },
    ], defaultSort: SortOrder(column: "AGE", ascending: true))

    /// The words `/` looks in and `n`/`N` step through.
    var searchableText: String { [id, job.requestor, job.className, job.tag, state.badge.text].joined(separator: " ") }
}
