import Foundation
import TUIKit

/// Where the timeline's parts go inside the Tasks pane: a line saying where the times come from
/// (with the legend when it fits), the time axis, one lane per task, the time cursor's line and
/// the cursor task's attempts. Drawing and the keys (a column's worth of time) both use it.
enum TaskTimelineLayout {
    /// Lines above the lanes (the source, the axis) and below them (the time cursor, the detail).
    static let linesAbove = 2
    static let linesBelow = 2

    /// The lanes shown where the table would show `tableRows` rows (it has one header line).
    static func lanes(tableRows: Int) -> Int { max(1, tableRows + 1 - linesAbove - linesBelow) }

    /// The task-id column: a sixth of the width, 8 to 20 columns.
    static func labelWidth(innerWidth: Int) -> Int { min(20, max(8, innerWidth / 6)) }

    /// The columns the bars have on a screen `screenWidth` wide.
    static func barWidth(screenWidth: Int) -> Int {
        let inner = ConsoleLayout.paneInner(Rect(width: screenWidth, height: ConsoleLayout.minimumSize.height)).width
        return max(1, inner - labelWidth(innerWidth: inner) - 1)
    }
}

/// What the timeline on screen reads besides what `FrameInputs` already compares: its cursor and
/// zoom, the history's revision, the refresh (its source line names it) and the latest time.
struct TimelineFrameInputs: Equatable {
    var view: TaskTimelineState
    var historyRevision: Int
    var refresh: Duration
    var nowMs: Int64?

    /// Nil unless the timeline is on screen.
    init?(_ state: ConsoleState) {
        guard state.pane == .tasks, state.taskTimeline.shown else { return nil }
        view = state.taskTimeline
        historyRevision = state.taskHistory.revision
        refresh = state.refreshInterval
        nowMs = state.taskTimelineModel?.nowMs
    }
}

/// The Tasks pane as a timeline (`T`): one lane per task in the table's order, the cursor's row
/// highlighted, time across the width, a bar per attempt in the state colours of the table's
/// badges and ending in their glyphs, waiting drawn as dots, and the time cursor as a line.
enum TaskTimelinePane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        guard let job = state.tasksOfJob, let timeline = state.taskTimelineModel else {
            Paragraph("loading the tasks of \(state.tasksOfJob ?? "the job")…", role: .dim).render(into: &buffer, area: area)
            return
        }
        guard area.height > TaskTimelineLayout.linesAbove + TaskTimelineLayout.linesBelow else { return }
        let labelWidth = TaskTimelineLayout.labelWidth(innerWidth: area.width)
        let bars = Rect(x: area.x + labelWidth + 1, y: area.y, width: max(1, area.width - labelWidth - 1), height: area.height)
        let position = state.taskTimeline.position(for: job)
        let window = timeline.window(zoom: position.zoom, cursorMs: position.cursorMs)
        let cursorColumn = min(bars.width - 1, max(0, window.column(of: window.cursorMs, width: bars.width)))

        renderSource(state, timeline, into: &buffer, at: area.y, area: area, characters: characters)
        renderAxis(window, zone: state.timeZone, into: &buffer, y: area.y + 1, label: Rect(x: area.x, y: area.y + 1, width: labelWidth, height: 1),
                   bars: bars, cursorColumn: cursorColumn, characters: characters)

        // The table's cursor and scroll position: one cursor for both views.
        let count = timeline.tasks.count
        let laneCount = TaskTimelineLayout.lanes(tableRows: area.height - 1)
        var table = state.tables[.tasks] ?? TableState()
        table.scrollToSelection(visibleHeight: laneCount, rowCount: count)
        let top = area.y + TaskTimelineLayout.linesAbove
        for index in table.offset..<min(count, table.offset + laneCount) {
            let y = top + index - table.offset
            let selected = index == table.selected
            let label = TextTruncation.truncate(timeline.tasks[index].id, toWidth: labelWidth)
            buffer.write(selected ? label.padding(to: labelWidth) : label, x: area.x, y: y, role: selected ? .selection : .normal, maxWidth: labelWidth)
            renderLane(timeline.lane(at: index), window: window, into: &buffer, y: y, bars: bars, cursorColumn: cursorColumn, characters: characters)
        }
        let bottom = area.maxY - TaskTimelineLayout.linesBelow
        buffer.write(cursorLine(timeline, window: window, zoom: position.zoom, zone: state.timeZone, barWidth: bars.width, lineWidth: area.width), x: area.x, y: bottom,
                     role: .normal, maxWidth: area.width)
        if let selected = table.selected, selected < count {
            renderDetail(timeline.lane(at: selected), zone: state.timeZone, into: &buffer, x: area.x, y: bottom + 1, width: area.width, characters: characters)
        }
    }

    /// The first line: where the times come from, and the legend at the right when it fits.
    static func renderSource(_ state: ConsoleState, _ timeline: TaskTimeline, into buffer: inout Buffer, at y: Int, area: Rect, characters: BoxCharacters) {
        var text = switch timeline.source {
        case .listTasks: "from ListTasks (server times)"
        case .observed: "from what this console saw change, polls every \(state.refreshInterval.compactText): times ±1 poll"
        }
        if state.taskHistory.jobID == timeline.jobID, state.taskHistory.tasksLeftOut > 0 {
            text += " · \(state.taskHistory.tasksLeftOut) tasks past the first \(TaskHistory.taskCapacity) not followed"
        }
        let used = buffer.write(text, x: area.x, y: y, role: .dim, maxWidth: area.width)
        // Each kind as it is drawn, then its word: `━✓ done`.
        let items: [TaskTimeline.Kind] = [.waiting, .running, .done, .failed, .killed, .retried]
        let legendWidth = items.reduce(0) { $0 + 5 + $1.word.count } - 2
        guard used + 2 + legendWidth <= area.width else { return }
        var x = area.maxX - legendWidth
        for kind in items {
            x += buffer.write(String(kind == .waiting ? characters.waitFill : characters.barFill), x: x, y: y, role: kind.role)
            x += buffer.write(kind.glyph(characters).map(String.init) ?? String(characters.waitFill), x: x, y: y, role: kind.role)
            x += buffer.write(" " + kind.word + "  ", x: x, y: y, role: .dim, maxWidth: area.maxX - x)
        }
    }

    /// The time axis: the labels of round times that fit, and the time cursor's mark.
    static func renderAxis(
        _ window: TaskTimeline.Window, zone: TimeZone, into buffer: inout Buffer, y: Int, label: Rect, bars: Rect, cursorColumn: Int, characters: BoxCharacters
    ) {
        buffer.write("TASK", x: label.x, y: y, role: .header, maxWidth: label.width)
        let columnMs = Double(window.lengthMs) / Double(bars.width)
        let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map { $0 * 1000 }
        let step = steps.first { Double($0) / columnMs >= 10 } ?? steps[steps.count - 1]
        let offsetMs = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(window.startMs) / 1000))) * 1000
        var tick = ((window.startMs + offsetMs + step - 1) / step) * step - offsetMs
        var free = 0
        while tick <= window.startMs + window.lengthMs {
            let column = window.column(of: tick, width: bars.width)
            let text = clock(tick, zone: zone, seconds: step < 60_000)
            // A label never hides the time cursor's mark.
            if column >= free, column + text.count <= bars.width, !(column...(column + text.count)).contains(cursorColumn) {
                buffer.write(text, x: bars.x + column, y: y, role: .dim)
                free = column + text.count + 1
            }
            tick += step
        }
        buffer.write(String(characters.timeCursor), x: bars.x + cursorColumn, y: y, role: .targetMarker)
    }

    /// One task's bars: waiting first, then the attempts over them, each ending in its glyph when
    /// its end is on screen; the time cursor's line where nothing is drawn.
    static func renderLane(_ lane: TaskTimeline.Lane, window: TaskTimeline.Window, into buffer: inout Buffer, y: Int, bars: Rect, cursorColumn: Int, characters: BoxCharacters) {
        for bar in lane.bars {
            let first = window.column(of: bar.startMs, width: bars.width)
            let last = bar.endMs > bar.startMs ? max(first, window.column(of: bar.endMs - 1, width: bars.width)) : first
            guard last >= 0, first < bars.width else { continue }
            let fill = String(bar.kind == .waiting ? characters.waitFill : characters.barFill)
            for column in max(0, first)...min(bars.width - 1, last) {
                buffer.write(fill, x: bars.x + column, y: y, role: bar.kind.role)
            }
            if let glyph = bar.kind.glyph(characters), last < bars.width {
                buffer.write(String(glyph), x: bars.x + last, y: y, role: bar.kind.role)
            }
        }
        if buffer[bars.x + cursorColumn, y]?.grapheme == " " {
            buffer.write(String(characters.vertical), x: bars.x + cursorColumn, y: y, role: .targetMarker)
        }
    }

    /// The time cursor's line: its time, how far from the start and from the latest poll, the
    /// zoom, and the keys when they fit.
    static func cursorLine(_ timeline: TaskTimeline, window: TaskTimeline.Window, zoom: Int, zone: TimeZone, barWidth: Int, lineWidth: Int) -> String {
        let cursor = window.cursorMs
        let beforeNow = timeline.nowMs - cursor
        let now = beforeNow <= 0 ? "the latest poll" : "latest poll −\(relativeText(beforeNow))"
        let parts = [
            "time \(clock(cursor, zone: zone, seconds: true)) (start +\(relativeText(cursor - timeline.span.lowerBound)), \(now))",
            "zoom \(1 << min(zoom, 62))×, \(durationText(milliseconds: window.millisecondsPerColumn(width: barWidth))) a column",
            "←/→ move, ]/[ zoom, 0 fit, T table",
        ]
        return parts.dropFirst().reduce(parts[0]) { line, part in
            DisplayWidth.width(of: line) + 3 + DisplayWidth.width(of: part) <= lineWidth ? line + " · " + part : line
        }
    }

    /// A time difference to the second: `45s`, `3m10s`, `2h05m`.
    static func relativeText(_ ms: Int64) -> String {
        let seconds = max(0, ms) / 1000
        if seconds < 60 { return ms < 10_000 ? durationText(milliseconds: ms) : "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" + (seconds % 60 == 0 ? "" : String(format: "%02ds", seconds % 60)) }
        return "\(seconds / 3600)h" + String(format: "%02dm", seconds / 60 % 60)
    }

    /// The cursor task's attempts, newest first, each with its worker, its times and its end:
    /// `#2 sim-worker-1 03:12:30– ▶ running`; `≈` marks a time a poll saw, `≤` a start before
    /// the console watched.
    static func renderDetail(_ lane: TaskTimeline.Lane, zone: TimeZone, into buffer: inout Buffer, x: Int, y: Int, width: Int, characters: BoxCharacters) {
        var pieces: [(String, StyleRole)] = [(lane.taskID, .header)]
        let attempts = lane.bars.filter { $0.attempt != nil }
        if attempts.isEmpty {
            let mark = lane.bars.first { $0.kind != .waiting }
            let waiting = lane.bars.first { $0.kind == .waiting }
            if let mark, let glyph = mark.kind.glyph(characters) {
                pieces.append((" · no attempt; ", .normal))
                pieces.append(("\(glyph) \(mark.kind.word)", mark.kind.role))
                pieces.append((" at \(time(mark.endMs, seen: mark.endIsSeen, zone: zone))", .normal))
            } else if let waiting {
                pieces.append((" · no attempt yet, waiting since \(time(waiting.startMs, seen: waiting.startIsSeen, zone: zone))", .normal))
            } else {
                pieces.append((" · no attempt seen", .dim))
            }
        } else {
            let unseen = lane.attemptsUnseen > 0 ? " (\(lane.attemptsUnseen) unseen)" : ""
            pieces.append((" · \(lane.attempts == 1 ? "1 attempt" : "\(lane.attempts) attempts")\(unseen):", .normal))
            for (index, bar) in attempts.reversed().enumerated() {
                let start = bar.startedUnseen ? "≤" + clock(bar.startMs, zone: zone, seconds: true) : time(bar.startMs, seen: bar.startIsSeen, zone: zone)
                let end = bar.isOpen ? "" : time(bar.endMs, seen: bar.endIsSeen, zone: zone)
                pieces.append(("\(index == 0 ? " " : " · ")#\(bar.attempt ?? 0)\(bar.workerID.map { " " + $0 } ?? "") \(start)–\(end) ", .normal))
                pieces.append(((bar.kind.glyph(characters).map { "\($0) " } ?? "") + bar.kind.word, bar.kind.role))
            }
        }
        var column = x
        for (text, role) in pieces where column < x + width {
            column += buffer.write(text, x: column, y: y, role: role, maxWidth: x + width - column)
        }
    }

    /// A time as the detail line shows it: `≈` when a poll saw it.
    static func time(_ ms: Int64, seen: Bool, zone: TimeZone) -> String { (seen ? "≈" : "") + clock(ms, zone: zone, seconds: true) }

    /// `03:12:30` (or `03:12` without seconds) in `zone`.
    static func clock(_ ms: Int64, zone: TimeZone, seconds: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : String(value) }
        return "\(two(parts.hour)):\(two(parts.minute))" + (seconds ? ":\(two(parts.second))" : "")
    }
}
