import AuditLog
import Foundation
import ScootAPI

/// The rows every pane lists, built from the snapshot (and the audit log and the events) once
/// when they change, filtered and sorted: what badges, filters, sorting, counts and the cursor
/// all read, so no frame re-derives a state or re-sorts.
public struct PaneRows: Sendable, Hashable {
    public var jobs: [JobRow] = []
    public var tasks: [TaskRow] = []
    public var workers: [WorkerRow] = []
    public var classes: [ClassRow] = []
    public var audit: [AuditRow] = []
    public var events: [EventRow] = []

    public init() {}

    /// The ids of `pane`'s rows, in order.
    func ids(in pane: Pane) -> [String] {
        switch pane {
        case .jobs: jobs.map(\.id)
        case .tasks: tasks.map(\.id)
        case .workers: workers.map(\.id)
        case .classes: classes.map(\.id)
        case .audit: audit.map(\.id)
        case .events: events.map(\.id)
        case .settings: []
        }
    }

    func count(in pane: Pane) -> Int {
        switch pane {
        case .jobs: jobs.count
        case .tasks: tasks.count
        case .workers: workers.count
        case .classes: classes.count
        case .audit: audit.count
        case .events: events.count
        case .settings: 0
        }
    }

    /// The words of row `row` that `/` searches.
    func searchableText(row: Int, in pane: Pane) -> String {
        switch pane {
        case .jobs: jobs.indices.contains(row) ? jobs[row].searchableText : ""
        case .tasks: tasks.indices.contains(row) ? tasks[row].searchableText : ""
        case .workers: workers.indices.contains(row) ? workers[row].searchableText : ""
        case .classes: classes.indices.contains(row) ? classes[row].id : ""
        case .audit: audit.indices.contains(row) ? audit[row].searchableText : ""
        case .events: events.indices.contains(row) ? events[row].searchableText : ""
        case .settings: ""
        }
    }

    /// A pane's sorting as its sort keys and menu see it: the sort it starts with, the columns
    /// the menu offers, and what picking one does (nil: the pane has no rows).
    static func sortColumns(of pane: Pane) -> SortColumns? {
        switch pane {
        case .jobs: SortColumns(JobRow.columns)
        case .tasks: SortColumns(TaskRow.columns)
        case .workers: SortColumns(WorkerRow.columns)
        case .classes: SortColumns(ClassRow.columns)
        case .audit: SortColumns(AuditRow.columns)
        case .events: SortColumns(EventRow.columns)
        case .settings: nil
        }
    }

    // MARK: Building

    /// Builds `pane`'s rows from their data, sorted by `sort`; with `previous` (ids), in that
    /// order instead, new rows last (the cursor is moving).
    mutating func rebuild(
        _ pane: Pane, snapshot: ClusterSnapshot?, filter: String, audit entries: [AuditEntry], events log: EventLog, timeZone: TimeZone,
        sort: SortOrder, keepingOrderOf previous: [String]?
    ) {
        func ordered<Row: Identified>(_ rows: [Row]) -> [Row] { previous.map { rows.keepingOrder(of: $0) } ?? rows }
        switch pane {
        case .jobs: jobs = ordered(Self.jobs(snapshot, filter: filter, sort: sort))
        case .tasks: tasks = ordered(Self.tasks(snapshot, sort: sort))
        case .workers: workers = ordered(Self.workers(snapshot, sort: sort))
        case .classes: classes = ordered(Self.classes(snapshot, sort: sort))
        case .audit: audit = ordered(Self.audit(entries, timeZone: timeZone, sort: sort))
        case .events: events = ordered(Self.events(log, timeZone: timeZone, sort: sort))
        case .settings: break
        }
    }

    /// The time rows are aged against: the scheduler's clock where it says it, else the newest
    /// time in the data.
    static func nowMs(_ snapshot: ClusterSnapshot?, for pane: Pane = .jobs) -> Int64 {
        guard let snapshot else { return 0 }
        if let computed = snapshot.load?.computedAtMs { return computed }
        switch pane {
        case .tasks: return snapshot.selectedJobTasks.compactMap { $0.endedAtMs ?? $0.startedAtMs }.max() ?? 0
        case .workers: return snapshot.workers.compactMap(\.lastAnswerAtMs).max() ?? 0
        default: return snapshot.jobs.map(\.submittedAtMs).max() ?? 0
        }
    }

    /// What `pane`'s cells read besides their rows: the time.
    static func cellContext(_ snapshot: ClusterSnapshot?, for pane: Pane) -> CellContext { CellContext(nowMs: nowMs(snapshot, for: pane)) }

    static func jobs(_ snapshot: ClusterSnapshot?, filter: String, sort: SortOrder) -> [JobRow] {
        guard let snapshot else { return [] }
        let query = JobFilterQuery(filter)
        // Ties keep the newest first, whatever the column.
        let rows = snapshot.jobs.sorted { $0.submittedAtMs > $1.submittedAtMs }
            .map { JobRow($0, unknown: snapshot.unknownJobIDs.contains($0.id)) }
            .filter(query.matches)
        return JobRow.columns.sorted(rows, by: sort)
    }

    static func tasks(_ snapshot: ClusterSnapshot?, sort: SortOrder) -> [TaskRow] {
        guard let snapshot, let status = snapshot.selectedJobStatus else { return [] }
        let summaries = Dictionary(snapshot.selectedJobTasks.map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        let ids = ConsoleState.taskOrder(status.taskStatus.map { Array($0.keys) } ?? [])
        let rows = ids.map { TaskRow(id: $0, status: status, summary: summaries[$0]) }
        return TaskRow.columns.sorted(rows, by: sort)
    }

    static func workers(_ snapshot: ClusterSnapshot?, sort: SortOrder) -> [WorkerRow] {
        guard let snapshot else { return [] }
        return WorkerRow.columns.sorted(snapshot.workers.map { WorkerRow($0) }, by: sort)
    }

    static func classes(_ snapshot: ClusterSnapshot?, sort: SortOrder) -> [ClassRow] {
        ClassRow.columns.sorted((snapshot?.load?.classes ?? []).map { ClassRow(load: $0) }, by: sort)
    }

    /// The audit entries as read (newest first), sorted.
    static func audit(_ entries: [AuditEntry], timeZone: TimeZone, sort: SortOrder) -> [AuditRow] {
        AuditRow.columns.sorted(entries.map { AuditRow($0, timeZone: timeZone) }, by: sort)
    }

    static func events(_ log: EventLog, timeZone: TimeZone, sort: SortOrder) -> [EventRow] {
        let rows = log.events.enumerated().map { EventRow($1, sequence: log.appended - $0, timeZone: timeZone) }
        return EventRow.columns.sorted(rows, by: sort)
    }
}

/// One pane's columns as far as sorting goes, whatever its row type.
struct SortColumns: Sendable {
    let defaultSort: SortOrder
    /// Titles and sort-menu letters, in column order.
    let titles: [(title: String, key: Character)]
    private let pick: @Sendable (String, SortOrder) -> SortOrder

    init<Row>(_ set: ColumnSet<Row>) {
        defaultSort = set.defaultSort
        titles = set.columns.map { ($0.title, $0.key) }
        pick = { set.picking($0, current: $1) }
    }

    /// The sort after picking `title` (the current column reverses).
    func picking(_ title: String, current: SortOrder) -> SortOrder { pick(title, current) }
}
