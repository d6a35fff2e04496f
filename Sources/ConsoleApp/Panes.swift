import AuditLog
import ClusterObservation
import ScootAPI
import SchedulerCore
import TUIKit

/// A state shown with a glyph and a word, never by colour alone.
struct StateBadge {
    let text: String
    let role: StyleRole

    /// The word without its glyph (`running`), for text such as the audit log.
    var word: String { String(text.drop { $0 != " " }.dropFirst()) }

    static func job(_ job: ScootAPI.JobSummary) -> StateBadge {
        if job.killed { return StateBadge(text: "⊘ killed", role: .stateKilled) }
        // A job whose only failures are tasks a rebalance stopped was preempted, not failed.
        let preempted = Int(job.preemptedTasks ?? 0)
        if job.status == .completed, preempted > 0, Int(job.failedTasks) == preempted { return StateBadge(text: "⊘ preempted", role: .stateKilled) }
        if job.status == .completed { return job.failedTasks > 0 ? StateBadge(text: "✗ failed", role: .stateFailed) : StateBadge(text: "✓ done", role: .stateDone) }
        if job.runningTasks > 0 { return StateBadge(text: "▶ running", role: .stateRunning) }
        return StateBadge(text: "… waiting", role: .stateWaiting)
    }

    /// A task's state from its task status and run status; a run Scoot aborted says why
    /// (`UserRequested`: killed, `RebalanceRequested`: preempted).
    static func run(_ run: ScootAPI.RunStatus?, taskStatus: Status) -> StateBadge {
        if taskStatus == .completed, let reason = JobStatusDigest.abortReason(run) {
            return reason == .user ? StateBadge(text: "⊘ killed", role: .stateKilled) : StateBadge(text: "⊘ preempted", role: .stateKilled)
        }
        if taskStatus == .completed, run?.status == .complete, let code = run?.exitCode, code != 0 {
            return StateBadge(text: "✗ exit \(code)", role: .stateFailed)
        }
        return Self.run(run?.status, taskStatus: taskStatus)
    }

    static func run(_ status: RunStatusState?, taskStatus: Status) -> StateBadge {
        switch (taskStatus, status) {
        case (.notStarted, _): StateBadge(text: "… waiting", role: .stateWaiting)
        case (.inProgress, _): StateBadge(text: "▶ running", role: .stateRunning)
        case (_, .complete?): StateBadge(text: "✓ complete", role: .stateDone)
        case (_, .aborted?): StateBadge(text: "⊘ aborted", role: .stateKilled)
        case (_, .timedout?): StateBadge(text: "✗ timed out", role: .stateFailed)
        default: StateBadge(text: "✗ failed", role: .stateFailed)
        }
    }

    static func audit(_ outcome: AuditEntry.Outcome) -> StateBadge {
        switch outcome {
        case .ok: StateBadge(text: "✓ ok", role: .stateDone)
        case .error: StateBadge(text: "✗ error", role: .stateFailed)
        case .refused: StateBadge(text: "⊘ refused", role: .stateKilled)
        case .sent: StateBadge(text: "… sent", role: .stateWaiting)
        case .unknown: StateBadge(text: "? unknown", role: .stateFailed)
        }
    }

    /// A worker's state; an offline worker still finishing a task is draining, not idle.
    static func worker(_ worker: WorkerInfo) -> StateBadge {
        if worker.state == .offline, worker.currentJobId != nil { return StateBadge(text: "⊘ draining", role: .stateKilled) }
        return Self.worker(worker.state)
    }

    static func worker(_ state: WorkerState) -> StateBadge {
        switch state {
        case .idle: StateBadge(text: "○ idle", role: .stateWaiting)
        case .busy: StateBadge(text: "▶ busy", role: .stateRunning)
        case .offline: StateBadge(text: "⊘ offline", role: .stateKilled)
        case .suspended: StateBadge(text: "✗ suspended", role: .stateFailed)
        case .unreachable: StateBadge(text: "✖ unreachable", role: .stateFailed)
        default: StateBadge(text: "? \(state.name.lowercased())", role: .dim)
        }
    }
}

/// Age as a short text: 45s, 12m, 3h, 2d.
func ageText(fromMs start: Int64, nowMs: Int64) -> String {
    let seconds = max(0, (nowMs - start) / 1000)
    if seconds < 120 { return "\(seconds)s" }
    if seconds < 7200 { return "\(seconds / 60)m" }
    if seconds < 172_800 { return "\(seconds / 3600)h" }
    return "\(seconds / 86400)d"
}

/// A duration as a short text: tenths of a second under 10 s (0.9s), then as `ageText` (45s, 12m, 3h).
func durationText(milliseconds: Int64) -> String {
    let tenths = (max(0, milliseconds) + 50) / 100
    if tenths < 100 { return "\(tenths / 10).\(tenths % 10)s" }
    return ageText(fromMs: 0, nowMs: tenths * 100)
}

enum JobsPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        let jobs = state.visibleJobs
        guard !jobs.isEmpty else {
            Paragraph(state.snapshot == nil ? "waiting for the first poll…" : "no jobs\(state.jobFilter.isEmpty ? "" : " match /\(state.jobFilter)")", role: .dim)
                .render(into: &buffer, area: area)
            return
        }
        let nowMs = state.snapshot?.load?.computedAtMs ?? jobs.map(\.submittedAtMs).max() ?? 0
        let widths: [Constraint] = [
            .length(12), .fill(2), .length(10), .fill(1), .fill(1), .length(3), .length(10), .length(5), .length(5), .length(5), .length(5), .length(5),
        ]
        // Narrow tables leave BASIS out; the sort column keeps pointing at its title.
        let shown = JobColumns.titles.indices.filter { area.width >= ConsoleView.compactBelow.width || $0 != JobColumns.basis }
        var columns = shown.map { index in
            TableColumn(JobColumns.titles[index], width: widths[index], alignment: index > JobColumns.basis && index != 6 ? .right : .left)
        }
        // Behind a gateway (or on a plain Scoot) statuses are read within a budget: SEEN says how
        // old each row's status is.
        let showsSeen = jobs.contains { $0.statusAtMs != nil }
        if showsSeen { columns.append(TableColumn("SEEN", width: .length(5), alignment: .right)) }
        let sort = shown.firstIndex(of: state.sortColumn).map { TableSort(column: $0, ascending: !state.sortDescending) }
        var table = TableState(selected: state.selection(in: .jobs, count: jobs.count), marked: state.marks)
        Table(columns: columns, rowCount: jobs.count, sort: sort, characters: characters) { index in
            let job = jobs[index]
            let badge = state.snapshot?.unknownJobIDs.contains(job.id) == true ? StateBadge(text: "? unknown", role: .stateFailed) : StateBadge.job(job)
            // What the server could not learn (a job found on a worker) is shown as such: `?` for
            // the requestor, a blank priority, the age as "at least" since it was first seen.
            let unknown = Set(job.unknownFields ?? [])
            let age = job.submittedAtMs > 0 ? ageText(fromMs: job.submittedAtMs, nowMs: nowMs) : "?"
            let cells = [
                TableCell(job.id), TableCell(unknown.contains("requestor") ? "?" : job.requestor, role: unknown.contains("requestor") ? .dim : .normal),
                TableCell(job.className), TableCell(job.tag), TableCell(job.basis),
                TableCell(unknown.contains("priority") ? "" : String(job.priority)), TableCell(badge.text, role: badge.role),
                TableCell(String(job.completedTasks)), TableCell(String(job.runningTasks)), TableCell(String(job.waitingTasks)),
                TableCell(String(job.failedTasks), role: job.failedTasks > 0 ? .stateFailed : .normal),
                TableCell(unknown.contains("submittedAt") && job.submittedAtMs > 0 ? "≥" + age : age),
            ]
            var row = shown.map { cells[$0] }
            if showsSeen { row.append(TableCell(job.statusAtMs.map { ageText(fromMs: $0, nowMs: max(nowMs, $0)) } ?? "–", role: .dim)) }
            return TableRow(id: job.id, cells: row)
        }.render(into: &buffer, area: area, state: &table)
    }
}

enum TasksPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        guard let job = state.tasksOfJob else {
            Paragraph("select a job in the Jobs pane and press enter", role: .dim).render(into: &buffer, area: area)
            return
        }
        guard let status = state.snapshot?.selectedJobStatus, status.id == job else {
            Paragraph("loading the tasks of \(job)…", role: .dim).render(into: &buffer, area: area)
            return
        }
        let taskIDs = state.taskIDs
        // Worker and times come from ListTasks; blank against a server without it.
        let summaries = Dictionary((state.snapshot?.selectedJobTasks ?? []).map { ($0.taskId, $0) }, uniquingKeysWith: { $1 })
        let nowMs = state.snapshot?.load?.computedAtMs ?? summaries.values.compactMap { $0.endedAtMs ?? $0.startedAtMs }.max() ?? 0
        // Below 100 columns OUTPUT gives way (enter on a task shows its output) and ERROR shrinks.
        let showsOutput = area.width >= 100
        var columns = [
            TableColumn("TASK", width: .fill(2)), TableColumn("STATE", width: .length(12)), TableColumn("WORKER", width: .fill(2)),
            TableColumn("RUN", width: .length(showsOutput ? 10 : 8)), TableColumn("DURATION", width: .length(8), alignment: .right),
            TableColumn("EXIT", width: .length(5), alignment: .right), TableColumn("ERROR", width: .fill(showsOutput ? 3 : 2)),
        ]
        if showsOutput { columns.insert(TableColumn("OUTPUT", width: .fill(2)), at: 6) }
        var table = TableState(selected: state.selection(in: .tasks, count: taskIDs.count))
        Table(columns: columns, rowCount: taskIDs.count, showsMarks: false, characters: characters) { index in
            let id = taskIDs[index]
            let data = status.taskData?[id]
            let summary = summaries[id]
            let badge = StateBadge.run(data, taskStatus: status.taskStatus?[id] ?? .notStarted)
            let duration = summary?.startedAtMs.map { durationText(milliseconds: (summary?.endedAtMs ?? nowMs) - $0) } ?? ""
            var cells = [
                TableCell(id), TableCell(badge.text, role: badge.role), TableCell(summary?.workerId ?? ""), TableCell(data?.runId ?? ""),
                // An exit code exists only for a run that ended with one (COMPLETE).
                TableCell(duration), TableCell(status.taskStatus?[id] == .completed && data?.status == .complete ? data?.exitCode.map(String.init) ?? "" : ""),
                TableCell(data?.error ?? "", role: (data?.error ?? "").isEmpty ? .normal : .stateFailed),
            ]
            if showsOutput { cells.insert(TableCell(data?.outUri ?? ""), at: 6) }
            return TableRow(id: id, cells: cells)
        }.render(into: &buffer, area: area, state: &table)
    }
}

enum WorkersPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        let workers = state.snapshot?.workers ?? []
        guard !workers.isEmpty else {
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
        let polled = workers.contains { $0.reachable != nil }
        // A polled worker's id is its address, which offline and reinstate take: it gets the room.
        var columns = [
            TableColumn("WORKER", width: .fill(polled ? 2 : 1)), TableColumn("STATE", width: .length(polled ? 13 : 12)),
            TableColumn("JOB", width: .fill(2)), TableColumn("TASK", width: .fill(1)), TableColumn("SNAPSHOT", width: .fill(1)),
            TableColumn("RUNS", width: .length(6), alignment: .right),
        ]
        if polled {
            columns.insert(TableColumn("TAG", width: .fill(1)), at: 4)
            columns.append(TableColumn("NOTE", width: .fill(5)))
        }
        let nowMs = state.snapshot?.load?.computedAtMs ?? workers.compactMap(\.lastAnswerAtMs).max() ?? 0
        var table = TableState(selected: state.selection(in: .workers, count: workers.count))
        Table(columns: columns, rowCount: workers.count, showsMarks: false, characters: characters) { index in
            let worker = workers[index]
            let badge = StateBadge.worker(worker)
            var cells = [
                TableCell(worker.id), TableCell(badge.text, role: badge.role), TableCell(worker.currentJobId ?? ""),
                TableCell(worker.currentTaskId ?? ""), TableCell(worker.lastSnapshotId), TableCell(String(worker.tasksRun)),
            ]
            if polled {
                let run = worker.runs?.first { $0.jobId == worker.currentJobId && $0.taskId == worker.currentTaskId }
                cells.insert(TableCell(worker.currentJobId == nil ? "" : run?.tag ?? ""), at: 4)
                let note = WorkersPane.note(worker, nowMs: nowMs)
                cells.append(TableCell(note, role: note.isEmpty ? .normal : .stateFailed))
            }
            return TableRow(id: worker.id, cells: cells)
        }.render(into: &buffer, area: area, state: &table)
    }

    /// Why a polled worker takes no work, in a few words ("" when it does).
    static func note(_ worker: WorkerInfo, nowMs: Int64) -> String {
        var parts: [String] = []
        if worker.reachable == false {
            let since = worker.lastAnswerAtMs.map { " (answered \(ageText(fromMs: $0, nowMs: nowMs)) ago)" } ?? ""
            return (worker.error ?? "no answer") + since
        } else {
            if worker.initialized == false { parts.append("not initialized") }
            if worker.healthy == false { parts.append("unhealthy") }
            if let error = worker.error, !error.isEmpty { parts.append(error) }
        }
        return parts.joined(separator: "; ")
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
        Meter(value: Double(load.spread), maximum: max(100, Double(load.spread)), target: threshold > 0 ? threshold : nil, warnAt: 0.2, criticalAt: 0.4,
              label: "spread \(load.spread)pp\(threshold > 0 ? " / threshold \(Int(threshold))" : " (rebalancing off)")", characters: characters)
            .render(into: &buffer, area: Rect(x: area.x, y: area.y, width: area.width, height: 1))
        // Rows from /admin/metrics.json say where they come from and how old they may be.
        if let note = state.snapshot?.limitation(of: .classes), area.height > 1 {
            buffer.write(note, x: area.x, y: area.y + 1, role: .dim, maxWidth: area.width)
        }
        let maximum = Double(max(1, load.classes.map { max($0.target, $0.running) }.max() ?? 1))
        for (index, item) in load.classes.enumerated() {
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
        renderHistory(state.loadHistory, classes: load.classes, into: &buffer, area: area, top: area.y + 3 + load.classes.count, characters: characters)
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
