import ClusterObservation
import Foundation
import ScootAPI
import TUIKit

/// A task's state as the Tasks pane shows, searches and sorts it: the one definition.
public enum TaskState: Sendable, Hashable {
    case waiting, running, complete
    /// Completed with a non-zero exit code.
    case exited(Int32)
    /// Aborted by a user (`UserRequested`).
    case killed
    /// Aborted by a rebalance (`RebalanceRequested`).
    case preempted
    case timedOut, failed

    /// From the task's status and its latest run.
    init(_ run: RunStatus?, taskStatus: Status) {
        switch taskStatus {
        case .notStarted: self = .waiting; return
        case .inProgress: self = .running; return
        default: break
        }
        if taskStatus == .completed, let reason = JobStatusDigest.abortReason(run) {
            self = reason == .user ? .killed : .preempted
            return
        }
        switch run?.status {
        case .complete?: self = (run?.exitCode).map { $0 == 0 ? .complete : .exited($0) } ?? .complete
        case .aborted?: self = .killed
        case .timedout?: self = .timedOut
        default: self = .failed
        }
    }

    var badge: StateBadge {
        switch self {
        case .waiting: StateBadge(text: "… waiting", role: .stateWaiting)
        case .running: StateBadge(text: "▶ running", role: .stateRunning)
        case .complete: StateBadge(text: "✓ complete", role: .stateDone)
        case .exited(let code): StateBadge(text: "✗ exit \(code)", role: .stateFailed)
        case .killed: StateBadge(text: "⊘ killed", role: .stateKilled)
        case .preempted: StateBadge(text: "⊘ preempted", role: .stateKilled)
        case .timedOut: StateBadge(text: "✗ timed out", role: .stateFailed)
        case .failed: StateBadge(text: "✗ failed", role: .stateFailed)
        }
    }

    /// Whether the task ended with an exit code (COMPLETE runs only): the EXIT column shows it.
    var exitCode: Int32? {
        switch self {
        case .complete: 0
        case .exited(let code): code
        default: nil
        }
    }
}

/// One row of the Tasks pane, built once per snapshot: the task's status and latest run, with the
/// worker and times ListTasks adds (blank against a server without it).
public struct TaskRow: Identified, Hashable {
    public let id: String
    public let state: TaskState
    let run: RunStatus?
    let workerID: String
    /// When the latest attempt started and ended (ListTasks); nil when not known.
    let startedAtMs: Int64?
    let endedAtMs: Int64?
    /// Attempts started (ListTasks); 0 when not known.
    let attempts: Int

    init(id: String, status: JobStatus, summary: TaskSummary?) {
        self.id = id
        run = status.taskData?[id]
        state = TaskState(run, taskStatus: status.taskStatus?[id] ?? .notStarted)
        workerID = summary?.workerId ?? ""
        startedAtMs = summary?.startedAtMs
        endedAtMs = summary?.endedAtMs
        attempts = Int(summary?.attempts ?? 0)
    }

    /// The DURATION column's order without a clock: finished attempts by how long they ran,
    /// running ones after them (longest so far first when descending), not started ones first.
    var durationKey: Int64 { startedAtMs.map { (endedAtMs ?? Int64.max / 4) - $0 } ?? -1 }

    /// How long the latest attempt ran, or has run by `nowMs`; nil before it started.
    func durationMs(nowMs: Int64) -> Int64? { startedAtMs.map { (endedAtMs ?? nowMs) - $0 } }

    static let columns = ColumnSet<TaskRow>(columns: [
        // Numbers inside ids compare as numbers: task-2 before task-10.
        Column("TASK", key: "t", width: .fill(2), ascending: { $0.id.compare($1.id, options: [.numeric]) == .orderedAscending }) { TableCell($0.id) },
        Column("STATE", key: "s", width: .length(12), by: { $0.state.badge.word }) { TableCell($0.state.badge.text, role: $0.state.badge.role) },
        Column("WORKER", key: "w", width: .fill(2), by: { $0.workerID }) { TableCell($0.workerID) },
        Column("RUN", key: "r", width: .length(8), by: { Int($0.run?.runId ?? "") ?? -1 }) { TableCell($0.run?.runId ?? "") },
        Column("DURATION", key: "d", width: .length(8), alignment: .right, startsDescending: true, by: \.durationKey) { row, context in
            TableCell(row.durationMs(nowMs: context.nowMs).map { durationText(milliseconds: $0) } ?? "")
        },
        Column("EXIT", key: "e", width: .length(5), alignment: .right, startsDescending: true, by: { $0.state.exitCode ?? -1 }) { row in
            TableCell(row.state.exitCode.map(String.init) ?? "")
        },
        // Below 100 columns OUTPUT gives way (enter on a task shows its output).
        Column("OUTPUT", key: "o", width: .fill(2), shownFrom: 100, by: { $0.run?.outUri ?? "" }) { TableCell($0.run?.outUri ?? "") },
        Column("ERROR", key: "x", width: .fill(3), by: { $0.run?.error ?? "" }) { row in
            TableCell(row.run?.error ?? "", role: (row.run?.error ?? "").isEmpty ? .normal : .stateFailed)
        },
    ], defaultSort: SortOrder(column: "TASK", ascending: true))

    var searchableText: String {
        [id, state.badge.text, workerID, run?.error ?? "", state.exitCode.map { "exit \($0)" } ?? ""].joined(separator: " ")
    }
}
