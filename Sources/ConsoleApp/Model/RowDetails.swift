import ScootAPI

/// The row under the cursor in full, for `i` (every field, nothing cut) and `y` (its id).
enum RowDetails {
    /// The selected row's id and what it is (`job id`), nil when nothing is selected.
    static func id(of state: ConsoleState, in pane: Pane) -> (noun: String, value: String)? {
        let count = state.rowCount(in: pane)
        guard count > 0 else { return nil }
        let row = state.selection(in: pane, count: count)
        switch pane {
        case .jobs: return ("job id", state.rows.jobs[row].id)
        case .tasks: return ("task id", state.rows.tasks[row].id)
        case .workers: return ("worker id", state.rows.workers[row].id)
        case .classes: return ("class", state.rows.classes[row].id)
        case .audit:
            let entry = state.rows.audit[row].entry
            return ("audit line", AuditPane.detailLines(entry).joined(separator: "\n"))
        case .events: return ("event", state.rows.events[row].event.text)
        case .settings: return nil
        }
    }

    /// The title and lines of the selected row in full, nil when nothing is selected.
    static func lines(of state: ConsoleState, in pane: Pane) -> (title: String, lines: [String])? {
        let count = state.rowCount(in: pane)
        guard count > 0 else { return nil }
        let index = state.selection(in: pane, count: count)
        switch pane {
        case .jobs:
            let row = state.rows.jobs[index]
            let job = row.job
            var lines = [
                "id          \(job.id)", "state       \(row.state.badge.text)", "requestor   \(job.requestor)", "class       \(job.className)",
                "tag         \(job.tag)", "basis       \(job.basis)", "priority    \(job.priority)", "scoot state \(job.status.name)",
                "tasks       \(job.completedTasks) done, \(job.runningTasks) running, \(job.waitingTasks) waiting, \(job.failedTasks) failed"
                    + (job.preemptedTasks.map { ", \($0) preempted" } ?? ""),
                "age         \(row.age(nowMs: PaneRows.nowMs(state.snapshot)))",
            ]
            if let type = job.jobType { lines.append("job type    \(type)") }
            if let seen = row.seen(nowMs: PaneRows.nowMs(state.snapshot)) { lines.append("status seen \(seen) ago") }
            if let unknown = job.unknownFields, !unknown.isEmpty { lines.append("not known   \(unknown.joined(separator: ", ")) (the job was found on a worker)") }
            return ("job \(job.id)", lines)
        case .tasks:
            let row = state.rows.tasks[index]
            let run = row.run
            return ("task \(row.id)", [
                "task        \(row.id)", "job         \(state.tasksOfJob ?? "")", "state       \(row.state.badge.text)", "worker      \(row.workerID)",
                "run         \(run?.runId ?? "")", "duration    \(row.durationMs(nowMs: PaneRows.nowMs(state.snapshot, for: .tasks)).map { durationText(milliseconds: $0) } ?? "")",
                "exit        \(row.state.exitCode.map(String.init) ?? "")", "stdout      \(run?.outUri ?? "")", "stderr      \(run?.errUri ?? "")",
                "snapshot    \(run?.snapshotId ?? "")", "error       \(run?.error ?? "")",
            ])
        case .workers:
            let row = state.rows.workers[index]
            let worker = row.worker
            var lines = [
                "worker      \(worker.id)", "state       \(row.badge.text)", "job         \(worker.currentJobId ?? "")", "task        \(worker.currentTaskId ?? "")",
                "snapshot    \(worker.lastSnapshotId)", "tasks run   \(worker.tasksRun)",
            ]
            if worker.reachable != nil { lines += ["tag         \(row.tag)", "note        \(row.note(nowMs: PaneRows.nowMs(state.snapshot, for: .workers)))"] }
            return ("worker \(worker.id)", lines)
        case .classes:
            let load = state.rows.classes[index].load
            return ("class \(load.name)", [
                "class       \(load.name)", "percent     \(load.percent)%", "target      \(load.target)", "running     \(load.running)",
                "waiting     \(load.waiting)", "loaned      \(load.loaned)", "starting    \(load.starting)", "stopping    \(load.stopping)",
            ])
        case .audit: return ("audit entry", AuditPane.detailLines(state.rows.audit[index].entry))
        case .events:
            let row = state.rows.events[index]
            return ("event", ["time        \(row.localTime) (\(LocalTime.zoneName(state.timeZone)))", "kind        \(row.event.kind.rawValue)", "what        \(row.event.text)"])
        case .settings: return nil
        }
    }
}
