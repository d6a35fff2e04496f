import AuditLog
import ClusterObservation
import ScootAPI
import SchedulerCore
import TUIKit

/// Draws a pane's rows as a table: the columns that fit, the sort arrow, the cursor and the
/// scroll position kept in the state.
enum PaneTable {
    static func render<Row>(
        _ rows: [Row], columns set: ColumnSet<Row>, including optional: Set<String> = [], sort: SortOrder?, table: TableState?,
        marks: Set<String> = [], showsMarks: Bool = false, context: CellContext = CellContext(nowMs: 0), timeOnly: Bool = false,
        into buffer: inout Buffer, area: Rect, characters: BoxCharacters
    ) {
        let shown = set.shown(width: area.width, including: optional)
        var state = table ?? TableState()
        state.marked = marks
        // Only the clock moved: redraw just the cells that read it, over the last frame.
        let only = timeOnly ? Set(shown.indices.filter { shown[$0].readsTime }) : nil
        var table = Table(columns: shown.map(\.tableColumn), rowCount: rows.count, sort: sort.flatMap { set.tableSort($0, shown: shown) },
                          showsMarks: showsMarks, characters: characters) { index in
            set.tableRow(rows[index], shown: shown, context: context, only: only)
        }
        table.onlyColumns = only
        table.render(into: &buffer, area: area, state: &state)
    }
}

enum JobsPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters, timeOnly: Bool = false) {
        let rows = state.rows.jobs
        guard !rows.isEmpty else {
            guard !timeOnly else { return }
            Paragraph(state.snapshot == nil ? "waiting for the first poll…" : "no jobs\(state.jobFilter.isEmpty ? "" : " match /\(state.jobFilter)")", role: .dim)
                .render(into: &buffer, area: area)
            return
        }
        let seen: Set<String> = rows.contains { $0.job.statusAtMs != nil } ? ["SEEN"] : []
        PaneTable.render(rows, columns: JobRow.columns, including: seen, sort: state.sort(of: .jobs), table: state.tables[.jobs], marks: state.marks,
                         showsMarks: true, context: PaneRows.cellContext(state.snapshot, for: .jobs), timeOnly: timeOnly, into: &buffer, area: area,
                         characters: characters)
    }
}

enum TasksPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters, timeOnly: Bool = false) {
        guard let job = state.tasksOfJob else {
            guard !timeOnly else { return }
            Paragraph("select a job in the Jobs pane and press enter", role: .dim).render(into: &buffer, area: area)
            return
        }
        // The timeline reads no clock: a frame that only the clock changed leaves it alone.
        if state.taskTimeline.shown {
            if !timeOnly { TaskTimelinePane.render(state, into: &buffer, area: area, characters: characters) }
            return
        }
        guard let status = state.snapshot?.selectedJobStatus, status.id == job else {
            guard !timeOnly else { return }
            let text = state.replay != nil
                ? "the recording has no task list of \(job) at this moment: the console that recorded it did not have the job open"
                : "loading the tasks of \(job)…"
            Paragraph(text, role: .dim).render(into: &buffer, area: area)
            return
        }
        PaneTable.render(state.rows.tasks, columns: TaskRow.columns, sort: state.sort(of: .tasks), table: state.tables[.tasks],
                         context: PaneRows.cellContext(state.snapshot, for: .tasks), timeOnly: timeOnly, into: &buffer, area: area,
                         characters: characters)
    }
}

enum WorkersPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters, timeOnly: Bool = false) {
        let rows = state.rows.workers
        guard !rows.isEmpty else {
            guard !timeOnly else { return }
            // A plain Scoot scheduler lists no workers: its metrics' counts, and why. With the
            // extension the list comes with the first poll after the pane opens.
            let extensionCounts = state.snapshot?.workerCounts.map { $0.available + $0.suspended + ($0.offline ?? 0) > 0 } ?? false
            var text = state.snapshot?.limitation(of: .workers) ?? (extensionCounts ? "loading the workers…" : "no workers")
            if let counts = state.snapshot?.workerCounts {
                text = "Available \(counts.available) (free \(counts.free), running \(counts.running))\nSuspended \(counts.suspended)"
                    + (counts.offline.map { "\nOffline \($0)" } ?? "") + "\n\n" + text
            }
            Paragraph(text, role: .dim).render(into: &buffer, area: area)
            return
        }
        // Polled Scoot workers (a gateway, or --scoot-workers) also say their current run's tag
        // and why one is unreachable, unhealthy or not initialized.
        let polled = rows.contains { $0.worker.reachable != nil }
        PaneTable.render(rows, columns: WorkerRow.columns, including: polled ? WorkerRow.polledOnly : [], sort: state.sort(of: .workers),
                         table: state.tables[.workers], context: PaneRows.cellContext(state.snapshot, for: .workers), timeOnly: timeOnly,
                         into: &buffer, area: area, characters: characters)
    }
}

enum ClassesPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        guard let load = state.snapshot?.load else {
            Paragraph(state.snapshot?.limitation(of: .classes) ?? "class loads are not available from this server", role: .dim).render(into: &buffer, area: area)
            renderHistory(state.loadHistory, classes: [], into: &buffer, area: area, top: area.y + 2, characters: characters)
            return
        }
        let threshold = Double(state.snapshot?.settings.rebalanceThreshold ?? 0)
        let classes = state.rows.classes.map(\.load)
        Meter(value: Double(load.spread), maximum: max(100, Double(load.spread)), target: threshold > 0 ? threshold : nil, warnAt: 0.2, criticalAt: 0.4,
              label: "spread \(load.spread)pp\(threshold > 0 ? " / threshold \(Int(threshold))" : " (rebalancing off)")", characters: characters)
            .render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
        // Rows from /admin/metrics.json say where they come from and how old they may be.
        if let note = state.snapshot?.limitation(of: .classes), area.height > 1 {
            buffer.write(note, x: area.x, y: area.y + 1, role: .dim, maxWidth: area.width)
        }
        let maximum = Double(max(1, classes.map { max($0.target, $0.running) }.max() ?? 1))
        for (index, item) in classes.enumerated() {
            let y = area.y + 2 + index
            guard y < area.maxY else { break }
            let name = TextTruncation.truncate(item.name, toWidth: 12)
            buffer.write(name, x: area.x, y: y, role: .header)
            let over = item.running > item.target
            Meter(value: Double(item.running), maximum: maximum, target: Double(item.target), warnAt: 2, criticalAt: 2,
                  label: "\(item.percent)%  run \(item.running)/\(item.target)  wait \(item.waiting)\(item.loaned > 0 ? "  loaned \(item.loaned)" : "")\(item.stopping > 0 ? "  stopping \(item.stopping)" : "")\(over ? " ▲" : "")",
                  characters: characters)
                .render(into: &buffer, area: Rect(x: area.x + 13, y: y, width: area.width - 13, height: 1))
        }
        renderHistory(state.loadHistory, classes: classes, into: &buffer, area: area, top: area.y + 3 + classes.count, characters: characters)
    }

    /// Sparklines of the last polls under the meters: tasks in progress, then running tasks per
    /// class scaled to the larger of its target and its peak, with the latest value at the right.
    static func renderHistory(_ history: LoadHistory, classes: [ClassLoad], into buffer: inout Buffer, area: Rect, top: Int, characters: BoxCharacters) {
        guard top + 1 < area.maxY, !history.tasks.isEmpty else { return }
        buffer.write("History, one column per poll (newest right):", x: area.x, y: top, role: .header, maxWidth: area.width)
        var rows: [(name: String, values: [Int], scale: Int?, latest: String)] = [
            ("in progress", history.tasks, nil, String(history.tasks.last ?? 0)),
        ]
        for item in classes {
            let values = history.runningByClass[item.name] ?? []
            rows.append((item.name, values, max(Int(item.target), values.max() ?? 0), "\(item.running)/\(item.target)"))
        }
        let graphWidth = max(0, area.width - 13 - 10)
        for (offset, row) in rows.enumerated() {
            let y = top + 1 + offset
            guard y < area.maxY else { break }
            buffer.write(TextTruncation.truncate(row.name, toWidth: 12), x: area.x, y: y, role: .dim)
            Sparkline(values: row.values.map(Double.init), maximum: row.scale.map { Double(max(1, $0)) }, role: .stateRunning, characters: characters)
                .render(into: &buffer, area: Rect(x: area.x + 13, y: y, width: graphWidth, height: 1))
            buffer.write(" " + row.latest, x: area.x + 13 + graphWidth, y: y, role: .normal, maxWidth: 10)
        }
    }
}

enum SettingsPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect) {
        guard let snapshot = state.snapshot else { return }
        let settings = snapshot.settings
        var lines = ["Class load percents (p to edit):"]
        lines += settings.classLoadPercents.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "  \($0.key) \($0.value)%" }
        // A pattern whose class has no percent is kept (as Scoot keeps it) but matches no one.
        lines += ["", "Requestor map (M to edit):"] + settings.requestorToClassMap.sorted { $0.key < $1.key }.map { pattern, className in
            settings.classLoadPercents[className] == nil
                ? "  \(pattern) → \(className)   ⚠ no class \(className): its requestors go to the smallest class"
                : "  \(pattern) → \(className)"
        }
        lines += ["", "Rebalance threshold: \(settings.rebalanceThreshold) (t)   minimum duration: \(settings.rebalanceMinimumDuration) min (d)",
                  "Max tasks: \(snapshot.schedulerStatus.maxTasks < 0 ? "unlimited" : String(snapshot.schedulerStatus.maxTasks)) (m)"]
        for (offset, line) in lines.enumerated() where area.y + offset < area.maxY {
            buffer.write(line, x: area.x, y: area.y + offset, role: line.hasSuffix(":") ? .header : line.contains("⚠") ? .stateFailed : .normal)
        }
    }
}
