import Foundation
import AuditLog
import ScootAPI
import TUIKit

/// Everything the console shows and remembers, changed only by `ConsoleUpdate.update`.
public struct ConsoleState: Sendable {
    /// How the data source is doing.
    public enum Connection: Sendable, Hashable {
        case connecting
        case connected
        /// The last poll failed with `error`; the next try is at `retryAt`.
        case disconnected(error: String, retryAt: Duration)
    }

    /// A settings form being edited.
    public enum Form: Sendable, Hashable {
        case maxTasks, percents, requestorMap, threshold, duration

        /// The dialog title.
        public var title: String {
            switch self {
            case .maxTasks: "Max tasks (-1 = unlimited)"
            case .percents: "Class load percents (class=percent,…)"
            case .requestorMap: "Requestor map (regex=class,…)"
            case .threshold: "Rebalance threshold (percentage points, 0 = off)"
            case .duration: "Rebalance minimum duration (minutes)"
            }
        }
    }

    /// What sits on top of the panes and takes the keys.
    public enum Overlay: Sendable, Hashable {
        case help
        /// A dangerous action waiting for confirmation; `confirmFocused` is false at first (Cancel).
        case confirm(ConsoleAction, confirmFocused: Bool)
        /// A settings form: the text typed so far and the validation error, if any.
        case form(Form, text: String, error: String?)
        case commandLine(text: String, error: String?)
        /// A task's stdout and stderr (the last lines, bounded).
        case output(title: String, lines: [String])
        case search(text: String)
    }

    /// A one-line message under the panes.
    public struct Flash: Sendable, Hashable {
        public var text: String
        public var isError: Bool
        public var until: Duration
    }

    /// The endpoint shown in the header.
    public var endpoint: String
    /// A label such as `prod`, which colours the frame.
    public var label: String?
    /// Whether dangerous actions are removed.
    public var readOnly: Bool
    public var pane: Pane = .jobs
    /// The jobs and the shown job's tasks are re-sorted only when they changed: most polls of a
    /// quiet cluster bring the same lists.
    public var snapshot: ClusterSnapshot? {
        didSet {
            if snapshot?.jobs != oldValue?.jobs { refreshVisibleJobs() }
            let tasks = snapshot?.selectedJobStatus?.taskStatus
            if tasks != oldValue?.selectedJobStatus?.taskStatus { taskIDs = Self.taskOrder(tasks.map { Array($0.keys) } ?? []) }
        }
    }
    /// When the snapshot was taken.
    public var snapshotAt: Duration?
    public var connection: Connection = .connecting
    public var now: Duration = .zero
    /// Polling.
    public var refreshInterval: Duration = .seconds(1)
    public var pollInFlight = false
    public var pollRequestID = 0
    public var nextPollAt: Duration = .zero
    public var consecutiveFailures = 0
    public var paused = false
    /// Selected row per pane.
    public var selectedRow: [Pane: Int] = [:]
    /// Marked job ids.
    public var marks: Set<String> = []
    /// The job filter (`/` in the Jobs pane).
    public var jobFilter = "" { didSet { refreshVisibleJobs() } }
    /// The search text of the Tasks and Workers panes (`/`), which `n`/`N` jump between.
    public var rowSearch = ""
    /// The load over the last polls, for the Classes pane's sparklines.
    public var loadHistory = LoadHistory()
    /// The jobs table's sort column index (default AGE: newest first) and direction.
    public var sortColumn = JobColumns.titles.count - 1 { didSet { refreshVisibleJobs() } }
    public var sortDescending = false { didSet { refreshVisibleJobs() } }
    /// The job whose tasks the Tasks pane shows.
    public var tasksOfJob: String?
    public var overlay: Overlay?
    /// Whether the open confirmation's warnings were shown once (the next enter sends it).
    public var warningsAcknowledged = false
    /// The operating-system user, written to the audit log as the operator.
    public var operatorName: String
    /// Actions sent and not answered yet, with the values they change as confirmed.
    public var actionsInFlight: [SentAction] = []
    /// The audit log as last read, for the Audit pane.
    public var audit = AuditListing()
    /// What the console saw happen, for the Events pane (bounded by `EventLog.capacity`).
    public var events = EventLog()
    /// The zone the Events pane shows times in (the operator's own).
    public var timeZone = TimeZone.current
    public var flash: Flash?
    public var wantsQuit = false

    /// Creates the state for a console connected to `endpoint`.
    public init(endpoint: String, label: String? = nil, readOnly: Bool = false, operatorName: String = AuditEntry.currentOperator) {
        self.endpoint = endpoint
        self.label = label
        self.readOnly = readOnly
        self.operatorName = operatorName
    }

    /// The jobs the Jobs pane lists: filtered (`/`) and sorted. Kept up to date when the
    /// snapshot, the filter or the sort change, so that drawing a frame never re-sorts.
    public private(set) var visibleJobs: [JobSummary] = []

    private mutating func refreshVisibleJobs() {
        let filter = JobFilterQuery(jobFilter)
        let jobs = (snapshot?.jobs ?? []).filter(filter.matches)
        visibleJobs = JobColumns.sorted(jobs, column: sortColumn, descending: sortDescending)
    }

    /// The Tasks pane's task ids in order, kept with the snapshot so that drawing a frame or
    /// searching never re-sorts.
    public private(set) var taskIDs: [String] = []

    /// How fresh the data is, as the header says it: a bound while polls arrive on time
    /// (`data < 2s old, every 1s`: nothing to redraw between them), then the age in whole seconds
    /// (`data 7s old`) once the data is older than two refresh intervals; nil before the first poll.
    public var dataAgeText: String? {
        guard let snapshotAt else { return nil }
        let age = now - snapshotAt
        let paused = paused ? " (paused)" : ""
        if !isDataLate { return "data < \((refreshInterval * 2).compactText) old, every \(refreshInterval.compactText)\(paused)" }
        return "data \(Int((age / .seconds(1)).rounded(.down)))s old\(paused)"
    }

    /// Whether the data is older than two refresh intervals (polls are late): the header's age
    /// is then drawn as a warning.
    public var isDataLate: Bool {
        guard let snapshotAt else { return false }
        return now - snapshotAt >= refreshInterval * 2
    }

    /// Whether a tick changed anything drawn: the data age text, the retry countdown, or the
    /// flash message expiring.
    func differsOnScreen(from before: ConsoleState) -> Bool {
        dataAgeText != before.dataAgeText || flash != before.flash || connection != before.connection
    }

    /// The selected row of `pane`, clamped to `count` rows.
    public func selection(in pane: Pane, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return min(max(0, selectedRow[pane] ?? 0), count - 1)
    }

    /// The job under the cursor in the Jobs pane.
    public var selectedJob: JobSummary? {
        let jobs = visibleJobs
        return jobs.isEmpty ? nil : jobs[selection(in: .jobs, count: jobs.count)]
    }

    /// The worker under the cursor in the Workers pane.
    public var selectedWorker: WorkerInfo? {
        let workers = snapshot?.workers ?? []
        return workers.isEmpty ? nil : workers[selection(in: .workers, count: workers.count)]
    }

    /// The task under the cursor in the Tasks pane: its id and latest run.
    public var selectedTask: (id: String, run: RunStatus?)? {
        guard let status = snapshot?.selectedJobStatus, !taskIDs.isEmpty else { return nil }
        let id = taskIDs[selection(in: .tasks, count: taskIDs.count)]
        return (id, status.taskData?[id])
    }

    /// The words of row `row` in `pane` that `/` searches (case-insensitively): ids, states,
    /// workers, jobs and errors as the pane shows them.
    public func searchableText(row: Int, in pane: Pane) -> String {
        switch pane {
        case .tasks:
            guard let status = snapshot?.selectedJobStatus, taskIDs.indices.contains(row) else { return "" }
            let id = taskIDs[row], run = status.taskData?[id]
            let badge = StateBadge.run(run?.status, taskStatus: status.taskStatus?[id] ?? .notStarted)
            let worker = snapshot?.selectedJobTasks.first { $0.taskId == id }?.workerId ?? ""
            return [id, badge.text, worker, run?.error ?? "", run?.exitCode.map { "exit \($0)" } ?? ""].joined(separator: " ")
        case .workers:
            guard let workers = snapshot?.workers, workers.indices.contains(row) else { return "" }
            let worker = workers[row]
            return [worker.id, StateBadge.worker(worker.state).text, worker.currentJobId ?? "", worker.currentTaskId ?? "", worker.lastSnapshotId]
                .joined(separator: " ")
        case .jobs:
            guard visibleJobs.indices.contains(row) else { return "" }
            let job = visibleJobs[row]
            return [job.id, job.requestor, job.className, job.tag, StateBadge.job(job).text].joined(separator: " ")
        case .classes:
            guard let classes = snapshot?.load?.classes, classes.indices.contains(row) else { return "" }
            return classes[row].name
        case .audit:
            guard audit.entries.indices.contains(row) else { return "" }
            return AuditPane.searchableText(audit.entries[row])
        case .events:
            guard events.events.indices.contains(row) else { return "" }
            let event = events.events[row]
            return event.kind.rawValue + " " + event.text
        case .settings: return ""
        }
    }

    /// Task ids in the Tasks pane's order: numbers inside ids compare as numbers, so `task-2`
    /// comes before `task-10`.
    public static func taskOrder(_ ids: some Collection<String>) -> [String] {
        ids.sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
    }

    /// Rows in `pane`, for cursor movement.
    public func rowCount(in pane: Pane) -> Int {
        switch pane {
        case .jobs: visibleJobs.count
        case .tasks: taskIDs.count
        case .workers: snapshot?.workers.count ?? 0
        case .classes: snapshot?.load?.classes.count ?? 0
        case .audit: audit.entries.count
        case .events: events.events.count
        case .settings: 0
        }
    }
}
