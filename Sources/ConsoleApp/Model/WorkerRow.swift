import Foundation
import ScootAPI
import TUIKit

/// One row of the Workers pane, built once per snapshot.
public struct WorkerRow: Identified, Hashable {
    public let id: String
    public let worker: WorkerInfo
    let badge: StateBadge
    /// The current run's tag (polled Scoot workers only).
    let tag: String

    init(_ worker: WorkerInfo) {
        id = worker.id
        self.worker = worker
        badge = StateBadge.worker(worker)
        let run = worker.runs?.first { $0.jobId == worker.currentJobId && $0.taskId == worker.currentTaskId }
        tag = worker.currentJobId == nil ? "" : run?.tag ?? ""
    }

    /// Why a polled worker takes no work at `nowMs`, in a few words ("" when it does).
    func note(nowMs: Int64) -> String { Self.note(worker, nowMs: nowMs) }

    /// Why a polled worker takes no work, in a few words ("" when it does).
    static func note(_ worker: WorkerInfo, nowMs: Int64) -> String {
        if worker.reachable == false {
            let since = worker.lastAnswerAtMs.map { " (answered \(ageText(fromMs: $0, nowMs: nowMs)) ago)" } ?? ""
            return (worker.error ?? "no answer") + since
        }
        var parts: [String] = []
        if worker.initialized == false { parts.append("not initialized") }
        if worker.healthy == false { parts.append("unhealthy") }
        if let error = worker.error, !error.isEmpty { parts.append(error) }
        return parts.joined(separator: "; ")
    }

    /// The Workers table; TAG and NOTE are for polled Scoot workers (a gateway, or
    /// --scoot-workers), whose ids are addresses that offline and reinstate take.
    static let columns = ColumnSet<WorkerRow>(columns: [
        Column("WORKER", key: "w", width: .fill(2), ascending: { $0.id.compare($1.id, options: [.numeric]) == .orderedAscending }) { TableCell($0.id) },
        Column("STATE", key: "s", width: .length(13), by: { $0.badge.word }) { TableCell($0.badge.text, role: $0.badge.role) },
        Column("JOB", key: "b", width: .fill(2), by: { $0.worker.currentJobId ?? "" }) { TableCell($0.worker.currentJobId ?? "") },
        Column("TASK", key: "t", width: .fill(1), by: { $0.worker.currentTaskId ?? "" }) { TableCell($0.worker.currentTaskId ?? "") },
        Column("TAG", key: "g", width: .fill(1), shownFrom: .max, by: { $0.tag }) { TableCell($0.tag) },
        Column("SNAPSHOT", key: "n", width: .fill(1), by: { $0.worker.lastSnapshotId }) { TableCell($0.worker.lastSnapshotId) },
        Column("RUNS", key: "r", width: .length(6), alignment: .right, startsDescending: true, by: { $0.worker.tasksRun }) { TableCell(String($0.worker.tasksRun)) },
        Column("NOTE", key: "e", width: .fill(5), shownFrom: .max, by: { $0.note(nowMs: $0.worker.lastAnswerAtMs ?? 0) }) { row, context in
            let note = row.note(nowMs: context.nowMs)
            return TableCell(note, role: note.isEmpty ? .normal : .stateFailed)
        },
    ], defaultSort: SortOrder(column: "WORKER", ascending: true))

    /// Columns only polled workers fill.
    static let polledOnly: Set<String> = ["TAG", "NOTE"]

    var searchableText: String {
        [id, badge.text, worker.currentJobId ?? "", worker.currentTaskId ?? "", worker.lastSnapshotId].joined(separator: " ")
    }
}

/// One class of the Classes pane.
public struct ClassRow: Identified, Hashable {
    public var id: String { load.name }
    public let load: ClassLoad

    /// Whether it runs more than its share (shown as ▲).
    var isOver: Bool { load.running > load.target }

    /// The Classes pane's meters, sortable like a table.
    static let columns = ColumnSet<ClassRow>(columns: [
        Column("CLASS", key: "c", width: .length(12), by: { $0.load.name }) { TableCell($0.load.name) },
        Column("PERCENT", key: "p", width: .length(8), startsDescending: true, by: { $0.load.percent }) { TableCell("\($0.load.percent)%") },
        Column("RUNNING", key: "r", width: .length(8), startsDescending: true, by: { $0.load.running }) { TableCell(String($0.load.running)) },
        Column("WAITING", key: "w", width: .length(8), startsDescending: true, by: { $0.load.waiting }) { TableCell(String($0.load.waiting)) },
        Column("OVER", key: "o", width: .length(8), startsDescending: true, by: { $0.load.running - $0.load.target }) { TableCell(String($0.load.running - $0.load.target)) },
    ], defaultSort: SortOrder(column: "PERCENT", ascending: false))
}
