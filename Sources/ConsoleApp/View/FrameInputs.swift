import AuditLog
import Foundation
import TUIKit

/// Everything a frame shows, gathered without drawing it: two states with equal inputs draw the
/// same frame, so a poll that brought nothing new (the usual case on a quiet cluster) costs no
/// render at all. The clock is left out except through the texts it changes on screen (the
/// header's age and countdowns, the visible rows' ages and durations).
struct FrameInputs: Equatable {
    var pane: Pane
    var overlay: ConsoleState.Overlay?
    var flash: ConsoleState.Flash?
    var connectionWithoutTime: String
    var readOnly: Bool
    var recordingProblem: String?
    var label: String?
    var endpoint: String
    var screen: [Int]
    var tables: [Pane: TableState]
    var sorts: [Pane: SortOrder]
    var marks: Set<String>
    var jobFilter: String
    var orderFrozen: Bool
    var tasksOfJob: String?
    var warningsAcknowledged: Bool
    var dialogScroll: Int
    var audit: AuditListing
    var events: EventLog
    var timeZone: TimeZone
    var rows: PaneRows
    /// The sparklines' data: recorded on every poll, shown only on the Classes pane.
    var loadHistory: LoadHistory?
    /// The replay without its clock (the position's second is among `timeTexts`).
    var replay: ReplayState?
    /// The task timeline's own inputs while it is on screen.
    var timeline: TimelineFrameInputs?
    /// The snapshot with its timestamps cleared.
    var snapshot: ClusterSnapshot?
    /// The texts the clock changes on screen: the header's, then the visible rows'.
    var timeTexts: [String]
    /// How many of `timeTexts` are the header's.
    var headerTimeTextCount: Int

    init(_ state: ConsoleState) {
        pane = state.pane
        overlay = state.overlay
        flash = state.flash
        switch state.connection {
        case .connecting: connectionWithoutTime = "connecting"
        case .connected: connectionWithoutTime = "connected"
        case .disconnected(let error, _): connectionWithoutTime = "disconnected: " + error
        }
        readOnly = state.readOnly
        recordingProblem = state.recordingProblem
        label = state.label
        endpoint = state.endpoint
        screen = [state.screen.width, state.screen.height]
        tables = state.tables
        sorts = state.sorts
        marks = state.marks
        jobFilter = state.jobFilter
        orderFrozen = state.orderFrozen
        tasksOfJob = state.tasksOfJob
        warningsAcknowledged = state.warningsAcknowledged
        dialogScroll = state.dialogScroll
        audit = state.audit
        events = state.events
        timeZone = state.timeZone
        rows = state.rows
        loadHistory = state.pane == .classes ? state.loadHistory : nil
        var replay = state.replay
        replay?.position = .distantPast
        replay?.advancedAt = nil
        self.replay = replay
        timeline = TimelineFrameInputs(state)
        var snapshot = state.snapshot
        snapshot?.observedAt = .distantPast
        snapshot?.load?.computedAtMs = 0
        snapshot?.load?.rebalanceFiresAtMs = nil
        self.snapshot = snapshot
        let header = Self.headerTimeTexts(state)
        headerTimeTextCount = header.count
        timeTexts = header + Self.cellTimeTexts(state)
    }

    /// Whether the header's time texts differ from `other`'s (else the header need not be redrawn).
    func headerTimeDiffers(from other: FrameInputs) -> Bool {
        timeTexts.prefix(headerTimeTextCount) != other.timeTexts.prefix(other.headerTimeTextCount)
    }

    /// Whether `other` shows the same frame but for what the clock changes.
    func differsOnlyInTime(from other: FrameInputs) -> Bool {
        var same = other
        same.timeTexts = timeTexts
        same.headerTimeTextCount = headerTimeTextCount
        return same == self
    }

    /// The header's time texts and the visible rows' time-dependent cells.
    static func headerTimeTexts(_ state: ConsoleState) -> [String] {
        var texts = [state.dataAgeText ?? ""]
        if let replay = state.replay { texts += replay.shownSecond.map(String.init) }
        if case .disconnected(_, let retryAt) = state.connection {
            texts.append(String(max(0, Int(((retryAt - state.now) / .seconds(1)).rounded(.up)))))
        }
        if let load = state.snapshot?.load, let firesAt = load.rebalanceFiresAtMs { texts.append(String(max(0, (firesAt - load.computedAtMs) / 1000))) }
        // A confirmation may say how old its numbers are.
        if case .confirm(let action, _) = state.overlay { texts += action.confirmationLines(in: state) }
        return texts
    }

    /// The time-dependent cells of the pane's visible rows.
    static func cellTimeTexts(_ state: ConsoleState) -> [String] {
        var texts: [String] = []
        let pane = state.pane
        let visible = ConsoleLayout.visibleRows(of: pane, screen: state.screen)
        let offset = state.tables[pane]?.offset ?? 0
        let nowMs = PaneRows.nowMs(state.snapshot, for: pane)
        func window<Row>(_ rows: [Row]) -> ArraySlice<Row> { rows.dropFirst(offset).prefix(visible + 1) }
        switch pane {
        case .jobs: texts += window(state.rows.jobs).map { $0.age(nowMs: nowMs) + ($0.seen(nowMs: nowMs) ?? "") }
        case .tasks: texts += window(state.rows.tasks).map { $0.durationMs(nowMs: nowMs).map { durationText(milliseconds: $0) } ?? "" }
        case .workers: texts += window(state.rows.workers).map { $0.note(nowMs: nowMs) }
        case .classes, .settings, .audit, .events: break
        }
        return texts
    }
}
