import ScootAPI
import TUIKit

/// Renders the whole console from its state into a buffer: header, tabs, the active pane,
/// the flash line and the key hints, then any overlay. A pure function of the state.
public enum ConsoleView {
    /// Draws `state` into `buffer`; `characters` selects UTF-8 or ASCII box drawing.
    public static func render(_ state: ConsoleState, into buffer: inout Buffer, characters: BoxCharacters = .unicode) {
        // `--ascii`: whatever was drawn (state glyphs, header marks, server text), in ASCII.
        defer { if characters == .ascii { buffer.transliterateToASCII() } }
        let area = buffer.area
        let minimum = ConsoleLayout.minimumSize
        guard area.width >= minimum.width, area.height >= minimum.height else {
            let text = "terminal too small: need \(minimum.width)×\(minimum.height), have \(area.width)×\(area.height)"
            Paragraph(text, role: .flashError).render(into: &buffer, area: area)
            return
        }
        let compact = ConsoleLayout.isCompact(area)
        let rows = ConsoleLayout.rows(area)
        renderHeader(state, into: &buffer, area: rows[0])
        var index = 1
        if !compact {
            Tabs(titles: Pane.allCases.map(\.title), selected: state.pane.rawValue - 1).render(into: &buffer, area: rows[1])
            index = 2
        }
        let frameRole: StyleRole = state.label == nil ? .border : .prodFrame
        let title = "\(state.pane.rawValue) \(state.pane.title)\(paneSubtitle(state))"
        let inner = Block(title: title, borderRole: frameRole, characters: characters).render(into: &buffer, area: rows[index])
        switch state.pane {
        case .jobs: JobsPane.render(state, into: &buffer, area: inner, characters: characters)
        case .tasks: TasksPane.render(state, into: &buffer, area: inner, characters: characters)
        case .workers: WorkersPane.render(state, into: &buffer, area: inner, characters: characters)
        case .classes: ClassesPane.render(state, into: &buffer, area: inner, characters: characters)
        case .settings: SettingsPane.render(state, into: &buffer, area: inner)
        case .audit: AuditPane.render(state, into: &buffer, area: inner, characters: characters)
        case .events: EventsPane.render(state, into: &buffer, area: inner, characters: characters)
        }
        if isStale(state) { buffer.setRole(.stale, in: inner) }
        renderFlash(state, into: &buffer, area: rows[index + 1])
        if !compact { renderHints(state, into: &buffer, area: rows[index + 2]) }
        OverlayView.render(state, into: &buffer, area: area, characters: characters)
    }

    /// Redraws, over the last frame of the same state but an earlier clock, only what the clock
    /// changes: the header and the time cells of the pane's visible rows (ages, durations). The
    /// result equals `render` (a test holds it to that). Returns false where that is not known
    /// to hold (an overlay, a lost connection, a small terminal): draw a full frame then.
    static func renderTimeOnly(_ state: ConsoleState, into buffer: inout Buffer, characters: BoxCharacters = .unicode, header: Bool = true) -> Bool {
        let area = buffer.area
        guard state.overlay == nil, state.connection == .connected,
              area.width >= ConsoleLayout.minimumSize.width, area.height >= ConsoleLayout.minimumSize.height else { return false }
        if header {
            let rows = ConsoleLayout.rows(area)[0]
            buffer.fill(rows, with: .blank)
            renderHeader(state, into: &buffer, area: rows)
        }
        let inner = ConsoleLayout.paneInner(area)
        switch state.pane {
        case .jobs: JobsPane.render(state, into: &buffer, area: inner, characters: characters, timeOnly: true)
        case .tasks: TasksPane.render(state, into: &buffer, area: inner, characters: characters, timeOnly: true)
        case .workers: WorkersPane.render(state, into: &buffer, area: inner, characters: characters, timeOnly: true)
        case .classes, .settings, .audit, .events: break  // nothing there reads the clock
        }
        if characters == .ascii { buffer.transliterateToASCII() }
        return true
    }

    /// Whether the data on screen is from before a failed poll: it stays visible, dimmed.
    static func isStale(_ state: ConsoleState) -> Bool {
        if case .disconnected = state.connection { return state.snapshot != nil }
        return false
    }

    private static func paneSubtitle(_ state: ConsoleState) -> String {
        // Where the cursor is in a list, as htop and k9s say it.
        let rows = state.rowCount(in: state.pane)
        let position = rows > 1 && state.pane != .classes ? " · row \(state.selection(in: state.pane, count: rows) + 1)/\(rows)" : ""
        let frozen = state.orderFrozen ? " · order held while moving" : ""
        switch state.pane {
        case .jobs:
            let filter = state.jobFilter.isEmpty ? "" : " /\(state.jobFilter)"
            let marks = state.marks.isEmpty ? "" : " · \(state.marks.count) marked"
            return " (\(state.rows.jobs.count))\(filter)\(marks)\(position)\(frozen)"
        case .tasks: return (state.tasksOfJob.map { " of \($0)" } ?? "") + (state.taskTimeline.shown ? " · timeline" : "") + position + frozen
        default: return position + frozen
        }
    }

    static func renderHeader(_ state: ConsoleState, into buffer: inout Buffer, area: Rect) {
        let label = state.label.map { " [\($0)]" } ?? ""
        let connection: (String, StyleRole) = switch state.connection {
        case .connecting: ("○ connecting", .dim)
        case .connected: ("● connected", .stateRunning)
        case .disconnected(_, let retryAt):
            ("✖ DISCONNECTED, retry in \(max(0, Int(((retryAt - state.now) / .seconds(1)).rounded(.up))))s", .danger)
        }
        if let replay = state.replay {
            ReplayBar.render(replay, source: state.endpoint, timeZone: state.timeZone, into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
        } else {
            var x = area.x
            x += buffer.write("scoot-console \(state.endpoint)\(label)  ", x: x, y: area.y, role: state.label == nil ? .title : .prodFrame)
            x += buffer.write(connection.0, x: x, y: area.y, role: connection.1)
            if let age = state.dataAgeText { x += buffer.write("  \(age)", x: x, y: area.y, role: state.isDataLate ? .flashError : .dim) }
            if state.readOnly { x += buffer.write("  READ-ONLY", x: x, y: area.y, role: .danger) }
            if state.recordingProblem != nil { buffer.write("  REC!", x: x, y: area.y, role: .danger) }
        }
        guard let snapshot = state.snapshot else { return }
        let maxTasks = snapshot.schedulerStatus.maxTasks < 0 ? "∞" : String(snapshot.schedulerStatus.maxTasks)
        // A plain Scoot scheduler lists no workers: its metrics still count them.
        let counts = snapshot.workers.isEmpty ? snapshot.workerCounts : WorkerCounts(workers: snapshot.workers)
        let threshold = snapshot.settings.rebalanceThreshold == 0 ? "off" : "\(snapshot.settings.rebalanceThreshold)pp"
        // One source for the rebalance settings (GetRebalanceThreshold and its duration): the
        // countdown shows only while they say rebalancing is on.
        let rebalancing = snapshot.settings.rebalanceThreshold > 0 && snapshot.settings.rebalanceMinimumDuration > 0
        let firesIn = rebalancing ? snapshot.load.flatMap { load in load.rebalanceFiresAtMs.map { max(0, ($0 - load.computedAtMs) / 1000) } } : nil
        var line = "tasks \(snapshot.schedulerStatus.currentTasks)/\(maxTasks)"
        if let counts { line += "  workers \(counts.summary)" }
        line += "  rebalance \(threshold) / \(snapshot.settings.rebalanceMinimumDuration)m"
        if let load = snapshot.load { line += "  spread \(load.spread)" }
        if let firesIn { line += "  rebalance in \(firesIn)s" }
        if line.count > area.width {
            // Narrow terminals: the same facts, shorter; the spread and the countdown must stay.
            line = "tasks \(snapshot.schedulerStatus.currentTasks)/\(maxTasks)"
            if let counts {
                line += "  workers \(counts.available) (free \(counts.free))"
                if counts.suspended > 0 { line += " susp \(counts.suspended)" }
                if let offline = counts.offline, offline > 0 { line += " off \(offline)" }
            }
            line += "  rebal \(threshold)/\(snapshot.settings.rebalanceMinimumDuration)m"
            if let load = snapshot.load { line += "  spread \(load.spread)" }
            if let firesIn { line += " → rebal in \(firesIn)s" }
        }
        buffer.write(line, x: area.x, y: area.y + 1, role: .normal)
    }

    static func renderFlash(_ state: ConsoleState, into buffer: inout Buffer, area: Rect) {
        if let flash = state.flash {
            FlashLine(flash.text, kind: flash.isError ? .error : .info).render(into: &buffer, area: area)
        } else if case .disconnected(let error, _) = state.connection {
            // Before any data: say what to check; after: say the screen is the last good poll.
            let tail = state.snapshot == nil ? "; is the scheduler running there? (--connect HOST:PORT)" : " — showing the last data"
            let text = PollFailure.isUpstreamDown(error)
                ? "\(state.endpoint): \(error) — showing the last data"
                : "cannot reach \(state.endpoint): \(error)\(tail)"
            FlashLine(text, kind: .error).render(into: &buffer, area: area)
        } else if let failure = state.snapshot?.load?.journal?.failure {
            // The server refuses work while its job log cannot be written: say so until it can.
            let text = "the scheduler's job log cannot be written (\(failure)): RunJob is refused, kills and settings changes fail"
            FlashLine(text, kind: .error).render(into: &buffer, area: area)
        } else if let limitation = state.snapshot?.limitations.first {
            FlashLine(limitation, kind: .info).render(into: &buffer, area: area)
        }
    }

    static func renderHints(_ state: ConsoleState, into buffer: inout Buffer, area: Rect) {
        let table = state.replay != nil ? replayHints : state.readOnly ? readOnlyHints : hints
        KeyHintBar(hints: table[state.pane] ?? []).render(into: &buffer, area: area)
    }

    /// Each pane's key hints, derived once from the key table.
    private static let hints = hintTable(readOnly: false)
    private static let readOnlyHints = hintTable(readOnly: true)
    private static let replayHints = hintTable(readOnly: true, replay: true)

    private static func hintTable(readOnly: Bool, replay: Bool = false) -> [Pane: [KeyHintBar.Hint]] {
        Dictionary(uniqueKeysWithValues: Pane.allCases.map { pane in
            // A replay's own keys come first: they are what a replay is about.
            let bindings = KeyTable.bindings(in: pane, readOnly: readOnly, replay: replay).filter(\.hinted)
            return (pane, (bindings.filter(\.replayOnly) + bindings.filter { !$0.replayOnly }).map {
                KeyHintBar.Hint(key: $0.keys[0].description, description: $0.description.split(separator: " (").first.map(String.init) ?? $0.description)
            })
        })
    }
}
