import HostEnvironment
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
        /// Scrollable text: help, a task's output, an audit entry, the message history, a row's
        /// fields in full.
        case viewer(Viewer)
        /// A dangerous action waiting for confirmation; `confirmFocused` is false at first (Cancel).
        case confirm(ConsoleAction, confirmFocused: Bool)
        /// A settings form: the text typed so far and the validation error, if any.
        case form(Form, text: TextInput, error: String?)
        case commandLine(text: TextInput, error: String?)
        case search(text: TextInput)
        /// The sort menu: the pane's columns, `selected` under the cursor.
        case sortMenu(selected: Int)
    }

    /// Text shown in a scrollable overlay, where it is scrolled to, and the search being typed.
    public struct Viewer: Sendable, Hashable {
        public var title: String
        public var lines: [ViewportLine]
        public var scroll = ViewportState()
        /// The `/` search being typed; nil when not typing.
        public var search: TextInput?

        public init(title: String, lines: [ViewportLine]) {
            self.title = title
            self.lines = lines
        }
    }

    /// A one-line message under the panes.
    public struct Flash: Sendable, Hashable {
        public var text: String
        public var isError: Bool
        public var until: Duration

        public init(text: String, isError: Bool, until: Duration) {
            self.text = text
            self.isError = isError
            self.until = until
        }
    }

    /// The endpoint shown in the header.
    public var endpoint: String
    /// A label such as `prod`, which colours the frame.
    public var label: String?
    /// Whether dangerous actions are removed.
    public var readOnly: Bool
    public var pane: Pane = .jobs
    /// The rows are rebuilt only for the parts that changed: most polls of a quiet cluster bring
    /// the same lists.
    public var snapshot: ClusterSnapshot? {
        didSet {
            var changed: Set<Pane> = []
            if snapshot?.jobs != oldValue?.jobs || snapshot?.unknownJobIDs != oldValue?.unknownJobIDs { changed.insert(.jobs) }
            if snapshot?.selectedJobStatus != oldValue?.selectedJobStatus || snapshot?.selectedJobTasks != oldValue?.selectedJobTasks { changed.insert(.tasks) }
            if snapshot?.workers != oldValue?.workers { changed.insert(.workers) }
            if snapshot?.load?.classes != oldValue?.load?.classes { changed.insert(.classes) }
            rebuild(changed)
        }
    }
    /// When the snapshot was taken.
    public var snapshotAt: Duration?
    public var connection: Connection = .connecting
    public var now: Duration = .zero
    /// Polling.
    public var refreshInterval: Duration = .seconds(1) { didSet { onTimeAgeText = Self.onTimeAgeText(refreshInterval, paused: paused) } }
    /// A poll is handed to the runtime (waiting for `pollStartsAt`, or running) and its answer
    /// is not in yet.
    public var pollInFlight = false
    public var pollRequestID = 0
    /// When the next poll is due.
    public var nextPollAt: Duration = .zero
    /// When the poll in flight was asked to start.
    public var pollStartsAt: Duration = .zero
    public var consecutiveFailures = 0
    public var paused = false { didSet { onTimeAgeText = Self.onTimeAgeText(refreshInterval, paused: paused) } }
    /// The header's age while polls arrive on time, made once per refresh setting (the header
    /// asks for it on every frame).
    private var onTimeAgeText = ConsoleState.onTimeAgeText(.seconds(1), paused: false)

    private static func onTimeAgeText(_ interval: Duration, paused: Bool) -> String {
        "data < \((interval * 2).compactText) old, every \(interval.compactText)\(paused ? " (paused)" : "")"
    }
    /// Each pane's cursor and scroll position, kept across frames.
    public var tables: [Pane: TableState] = [:]
    /// The terminal's size, for the visible height of tables and overlays.
    public var screen = (width: 120, height: 40) {
        didSet { for pane in Pane.allCases { scrollToSelection(in: pane) } }
    }
    /// When the cursor last moved: rows do not re-sort for `orderFrozenFor` after (htop's rule).
    public var cursorMovedAt: Duration?
    /// Whether some pane kept its old row order because the cursor was moving.
    public private(set) var orderFrozen = false
    /// The sort of each pane (absent: the pane's default).
    public var sorts: [Pane: SortOrder] = [:] { didSet { rebuild(Set(Pane.allCases.filter { sorts[$0] != oldValue[$0] })) } }
    /// The `:` lines entered, for ↑/↓ on the command line.
    public var commandHistory = InputHistory()
    /// Marked job ids.
    public var marks: Set<String> = []
    /// The job filter (`/` in the Jobs pane).
    public var jobFilter = "" { didSet { if jobFilter != oldValue { rebuild([.jobs]) } } }
    /// The search text of the Tasks and Workers panes (`/`), which `n`/`N` jump between.
    public var rowSearch = ""
    /// The load over the last polls, for the Classes pane's sparklines.
    public var loadHistory = LoadHistory()
    /// The job whose tasks the Tasks pane shows.
    public var tasksOfJob: String?
    /// The Tasks pane's timeline (`T`): shown or not, its time cursor and zoom.
    public var taskTimeline = TaskTimelineState()
    /// The selected job's tasks as the polls showed them, for the timeline (bounded by
    /// `TaskHistory.taskCapacity` and `attemptCapacity`).
    public var taskHistory = TaskHistory()
    public var overlay: Overlay? {
        didSet {
            // A confirmation opens at its top.
            if case .confirm = overlay, case .confirm = oldValue {} else { dialogScroll = 0 }
        }
    }
    /// Whether the open confirmation's warnings were shown once (the next enter sends it).
    public var warningsAcknowledged = false
    /// How far a confirmation taller than the screen is scrolled (↑/↓); reset when one opens.
    public var dialogScroll = 0 { didSet { dialogScroll = max(0, dialogScroll) } }
    /// The operating-system user, written to the audit log as the operator.
    public var operatorName: String
    /// Actions sent and not answered yet, with the values they change as confirmed.
    public var actionsInFlight: [SentAction] = []
    /// The audit log as last read, for the Audit pane.
    public var audit = AuditListing() { didSet { if audit.entries != oldValue.entries { rebuild([.audit]) } } }
    /// What the console saw happen, for the Events pane (bounded by `EventLog.capacity`).
    public var events = EventLog() { didSet { if events != oldValue { rebuild([.events]) } } }
    /// The zone the Events pane shows times in (the operator's own).
    public var timeZone = TimeZone.current { didSet { rebuild([.audit, .events]) } }
    public var flash: Flash? {
        didSet { if let flash, flash != oldValue { flashHistory.record(flash.text, isError: flash.isError, at: Date()) } }
    }
    /// The last messages of the flash line, in full (`L` shows them).
    public var flashHistory = FlashHistory()
    public var wantsQuit = false
    /// Set in `scoot-console replay`: the console shows a recording, read-only, and never polls.
    public var replay: ReplayState?
    /// What is wrong with the flight recording, while something is (the header says `REC!`).
    public var recordingProblem: String?

    /// Creates the state for a console connected to `endpoint`.
    public init(endpoint: String, label: String? = nil, readOnly: Bool = false, operatorName: String = HostEnvironment.userName) {
        self.endpoint = endpoint
        self.label = label
        self.readOnly = readOnly
        self.operatorName = operatorName
    }

    /// Every pane's rows, filtered and sorted; rebuilt when their data, the filter or the sort
    /// change, so that drawing a frame never re-sorts.
    public private(set) var rows = PaneRows()

    /// How long after a cursor move rows keep their order.
    public static let orderFrozenFor: Duration = .seconds(2)

    /// Whether the cursor moved within `orderFrozenFor`.
    var isCursorMoving: Bool { cursorMovedAt.map { now - $0 < Self.orderFrozenFor } ?? false }

    /// The sort `pane` uses.
    public func sort(of pane: Pane) -> SortOrder? { sorts[pane] ?? PaneRows.sortColumns(of: pane)?.defaultSort }

    /// Rebuilds the rows of `panes`; the cursor stays on the row it was on (by id), and while the
    /// cursor is moving the rows keep their order (new rows go to the end).
    mutating func rebuild(_ panes: Set<Pane>) {
        for pane in panes {
            let previousIDs = rows.ids(in: pane)
            let selectedID = tables[pane].flatMap { $0.selected }.flatMap { previousIDs.indices.contains($0) ? previousIDs[$0] : nil }
            let freeze = isCursorMoving && !previousIDs.isEmpty
            guard let sort = sort(of: pane) else { continue }
            rows.rebuild(
                pane, snapshot: snapshot, filter: jobFilter, audit: audit.entries, events: events, timeZone: timeZone, sort: sort,
                keepingOrderOf: freeze ? previousIDs : nil)
            if freeze { orderFrozen = true }
            if let selectedID, let row = rows.ids(in: pane).firstIndex(of: selectedID) {
                tables[pane, default: TableState()].selected = row
            }
            scrollToSelection(in: pane)
        }
    }

    /// Re-sorts every pane once the cursor has stopped (after a frozen rebuild).
    mutating func thawOrderIfDue() {
        guard orderFrozen, !isCursorMoving else { return }
        orderFrozen = false
        rebuild(Set(Pane.allCases))
    }

    /// Keeps `pane`'s cursor inside its rows and on screen.
    mutating func scrollToSelection(in pane: Pane) {
        guard pane != .settings else { return }
        tables[pane, default: TableState()].scrollToSelection(visibleHeight: visibleRows(of: pane), rowCount: rows.count(in: pane))
    }

    /// How fresh the data is, as the header says it: a bound while polls arrive on time
    /// (`data < 2s old, every 1s`: nothing to redraw between them), then the age in whole seconds
    /// (`data 7s old`) once the data is older than two refresh intervals; nil before the first poll.
    public var dataAgeText: String? {
        guard replay == nil, let snapshotAt else { return nil }
        let age = now - snapshotAt
        if !isDataLate { return onTimeAgeText }
        return "data \(Int((age / .seconds(1)).rounded(.down)))s old\(paused ? " (paused)" : "")"
    }

    /// Whether the data is older than two refresh intervals (polls are late): the header's age
    /// is then drawn as a warning.
    public var isDataLate: Bool {
        guard replay == nil, let snapshotAt else { return false }
        return now - snapshotAt >= refreshInterval * 2
    }

    /// The next moment something changes without a key or a message: a poll is due, the flash
    /// expires, the data turns late (or its age text ticks on), the retry countdown ticks, the
    /// held row order thaws. The runtime sleeps until then; nil means nothing is scheduled.
    public func nextDeadline() -> Duration? {
        var deadlines: [Duration] = []
        if let replay {
            // A replay never polls, and its data is never late: only the play clock counts.
            if let flash { deadlines.append(flash.until) }
            if let next = replay.nextPollDeadline(now: now) { deadlines.append(next) }
            if orderFrozen, let cursorMovedAt { deadlines.append(cursorMovedAt + Self.orderFrozenFor) }
            return deadlines.min()
        }
        if !paused, !pollInFlight { deadlines.append(nextPollAt) }
        if let flash { deadlines.append(flash.until) }
        if let snapshotAt {
            let lateAt = snapshotAt + refreshInterval * 2
            // Once late, the age is shown in whole seconds: the next second boundary.
            let ageMs = Int64((now - snapshotAt) / .milliseconds(1))
            deadlines.append(now < lateAt ? lateAt : now + .milliseconds(1000 - ageMs % 1000))
        }
        if case .disconnected = connection { deadlines.append(now + .seconds(1)) }
        if orderFrozen, let cursorMovedAt { deadlines.append(cursorMovedAt + Self.orderFrozenFor) }
        return deadlines.min()
    }

    /// Whether a tick changed anything drawn: the data age text, the retry countdown, or the
    /// flash message expiring.
    func differsOnScreen(from before: ConsoleState) -> Bool {
        dataAgeText != before.dataAgeText || flash != before.flash || connection != before.connection
            || replay?.shownSecond != before.replay?.shownSecond
    }

    /// The selected row of `pane`, clamped to `count` rows.
    public func selection(in pane: Pane, count: Int) -> Int {
        guard count > 0 else { return 0 }
        return min(max(0, tables[pane]?.selected ?? 0), count - 1)
    }

    /// The job under the cursor in the Jobs pane.
    public var selectedJob: JobSummary? {
        rows.jobs.isEmpty ? nil : rows.jobs[selection(in: .jobs, count: rows.jobs.count)].job
    }

    /// The worker under the cursor in the Workers pane.
    public var selectedWorker: WorkerInfo? {
        rows.workers.isEmpty ? nil : rows.workers[selection(in: .workers, count: rows.workers.count)].worker
    }

    /// The task under the cursor in the Tasks pane: its id and latest run.
    public var selectedTask: (id: String, run: RunStatus?)? {
        guard !rows.tasks.isEmpty else { return nil }
        let row = rows.tasks[selection(in: .tasks, count: rows.tasks.count)]
        return (row.id, row.run)
    }

    /// The words of row `row` in `pane` that `/` searches (case-insensitively): ids, states,
    /// workers, jobs and errors as the pane shows them.
    public func searchableText(row: Int, in pane: Pane) -> String { rows.searchableText(row: row, in: pane) }

    /// Task ids in the Tasks pane's order: numbers inside ids compare as numbers, so `task-2`
    /// comes before `task-10`.
    public static func taskOrder(_ ids: some Collection<String>) -> [String] {
        ids.sorted { $0.compare($1, options: [.numeric]) == .orderedAscending }
    }

    /// Rows in `pane`, for cursor movement.
    public func rowCount(in pane: Pane) -> Int { rows.count(in: pane) }
}
