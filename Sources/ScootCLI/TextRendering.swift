import ScootAPI

/// The text output of the read commands, for people: scootcl's headings where it has readable
/// ones, one line per item, items sorted so output does not shuffle between runs. (scootcl prints
/// Go's `%+v` of the Thrift structs, pointers included; see docs/cli.md.)
public enum TextRendering {
    /// `Job <id>: <STATUS>` and one line per task.
    public static func text(_ status: JobStatus) -> String {
        var lines = ["Job \(status.id): \(status.status.name)"]
        let taskIDs = Set((status.taskStatus ?? [:]).keys).union((status.taskData ?? [:]).keys).sorted()
        for taskID in taskIDs {
            lines.append("  " + taskLine(taskID: taskID, status: status.taskStatus?[taskID], run: status.taskData?[taskID]))
        }
        return lines.joined(separator: "\n")
    }

    /// One task: its status, then its latest run (state, exit code, error, snapshot, output URIs).
    public static func taskLine(taskID: String, status: Status?, run: RunStatus?) -> String {
        var parts = ["\(taskID): \(status?.name ?? "-")"]
        if let run { parts.append(runText(run)) }
        return parts.joined(separator: "  ")
    }

    /// `run <id> <STATE>, exit <code>, error <text>, snapshot <id>, stdout <uri>, stderr <uri>`, known parts only.
    public static func runText(_ run: RunStatus) -> String {
        var parts = ["run \(run.runId.isEmpty ? "-" : run.runId) \(run.status.name)"]
        if let exitCode = run.exitCode { parts.append("exit \(exitCode)") }
        if let error = run.error, !error.isEmpty { parts.append("error \(error)") }
        if let snapshot = run.snapshotId, !snapshot.isEmpty { parts.append("snapshot \(snapshot)") }
        if let out = run.outUri, !out.isEmpty { parts.append("stdout \(out)") }
        if let err = run.errUri, !err.isEmpty { parts.append("stderr \(err)") }
        return parts.joined(separator: ", ")
    }

    /// `Current tasks: N` and `Max tasks: M` (-1 shown as unlimited).
    public static func text(_ status: SchedulerStatus) -> String {
        "Current tasks: \(status.currentTasks)\nMax tasks: \(status.maxTasks)\(status.maxTasks == -1 ? " (unlimited)" : "")"
    }

    /// scootcl's layout, maps sorted by key.
    public static func text(_ parameters: SchedulingAlgorithmParameters) -> String {
        var lines = ["Class Load Percents:"]
        lines += parameters.classLoadPercents.sorted { $0.key < $1.key }.map { "\($0.key) : \($0.value)" }
        lines.append("Requestor (reg exp) to class map:")
        lines += parameters.requestorMap.sorted { $0.key < $1.key }.map { "\($0.key) : \($0.value)" }
        lines.append("Rebalance Duration: \(parameters.rebalanceMinimumDuration)  (minutes)")
        lines.append("Rebalance Threshold: \(parameters.rebalanceThreshold)")
        return lines.joined(separator: "\n")
    }

    /// A table of jobs, newest first as the server lists them.
    public static func text(_ jobs: [JobSummary]) -> String {
        table(
            header: ["ID", "STATUS", "REQUESTOR", "CLASS", "PRI", "WAIT", "RUN", "DONE", "FAIL", "TAG"],
            rows: jobs.map { job in
                [job.id, job.status.name + (job.killed ? " (killed)" : ""), job.requestor, job.className, String(job.priority),
                 String(job.waitingTasks), String(job.runningTasks), String(job.completedTasks), String(job.failedTasks), job.tag]
            })
    }

    /// A table of workers.
    public static func text(_ workers: [WorkerInfo]) -> String {
        table(
            header: ["ID", "STATE", "JOB", "TASK", "RUNS", "SNAPSHOT"],
            rows: workers.map { worker in
                [worker.id, worker.state.name, worker.currentJobId ?? "-", worker.currentTaskId ?? "-", String(worker.tasksRun),
                 worker.lastSnapshotId.isEmpty ? "-" : worker.lastSnapshotId]
            })
    }

    /// Left-aligned columns two spaces apart; trailing spaces trimmed.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cell.count + 2) }
            }
            return String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
