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

    /// The sort a pane starts with, and the titles its sort menu offers (nil: the pane has no rows).
    static func sortColumns(of pane: Pane) -> (defaultSort: SortOrder, titles: [(title: String, key: Character)])? {
        func describe<Row>(_ set: ColumnSet<Row>) -> (SortOrder, [(title: String, key: Character)]) {
            (set.defaultSort, set.columns.map { ($0.title, $0.key) })
        }
        switch pane {
        case .jobs: return describe(JobRow.columns)
        case .tasks: return describe(TaskRow.columns)
        case .workers: return describe(WorkerRow.columns)
        case .classes: return describe(ClassRow.columns)
        case .audit: return describe(AuditRow.columns)
        case .events: return describe(EventRow.columns)
        case .settings: return nil
        }
    }

    /// The sort after picking `title` in `pane`'s menu (the current column reverses).
    static func picking(_ title: String, in pane: Pane, current: SortOrder) -> SortOrder {
        switch pane {
        case .jobs: JobRow.columns.picking(title, current: current)
        case .tasks: TaskRow.columns.picking(title, current: current)
        case .workers: WorkerRow.columns.picking(title, current: current)
        case .classes: ClassRow.columns.picking(title, current: current)
        case .audit: AuditRow.columns.picking(title, current: current)
        case .events: EventRow.columns.picking(title, current: current)
        case .settings: current
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
