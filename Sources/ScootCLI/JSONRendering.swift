import ScootAPI
import Thrift

/// The `--json` output of the read commands: scootcl's key names, enums as their IDL names, unset
/// optional fields left out, struct fields in IDL order and map keys sorted (as Go's encoding/json
/// writes them), so the same answer always prints the same bytes.
public enum JSONRendering {
    /// `{"id":…,"status":"IN_PROGRESS","taskStatus":{…},"taskData":{…}}`.
    public static func json(_ status: JobStatus) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("id", .string(status.id)), ("status", .string(status.status.name))]
        if let taskStatus = status.taskStatus {
            members.append(("taskStatus", .sortedObject(Dictionary(taskStatus.mapValues { .string($0.name) }))))
        }
        if let taskData = status.taskData {
            members.append(("taskData", .sortedObject(Dictionary(taskData.mapValues(json)))))
        }
        return .object(members)
    }

    /// One run: `{"status":"COMPLETE","runId":"…","outUri":"…","exitCode":0,…}`.
    public static func json(_ run: RunStatus) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("status", .string(run.status.name)), ("runId", .string(run.runId))]
        let optionalStrings: [(String, String?)] = [("outUri", run.outUri), ("errUri", run.errUri), ("error", run.error)]
        for (key, value) in optionalStrings { if let value { members.append((key, .string(value))) } }
        if let exitCode = run.exitCode { members.append(("exitCode", .integer(exitCode))) }
        let identifiers: [(String, String?)] = [("snapshotId", run.snapshotId), ("jobId", run.jobId), ("taskId", run.taskId), ("tag", run.tag)]
        for (key, value) in identifiers { if let value { members.append((key, .string(value))) } }
        return .object(members)
    }

    /// `{"currentTasks":N,"maxTasks":M}`.
    public static func json(_ status: SchedulerStatus) -> JSONValue {
        .object([("currentTasks", .integer(status.currentTasks)), ("maxTasks", .integer(status.maxTasks))])
    }

    /// `{"ClassLoadPercents":{…},"RequestorMap":{…},"RebalanceMinimumDuration":N,"RebalanceThreshold":N}`.
    public static func json(_ parameters: SchedulingAlgorithmParameters) -> JSONValue {
        .object([
            ("ClassLoadPercents", .sortedObject(parameters.classLoadPercents.mapValues { .integer($0) })),
            ("RequestorMap", .sortedObject(parameters.requestorMap.mapValues { .string($0) })),
            ("RebalanceMinimumDuration", .integer(parameters.rebalanceMinimumDuration)),
            ("RebalanceThreshold", .integer(parameters.rebalanceThreshold)),
        ])
    }

    /// `list-jobs`: an array of JobSummary objects with the IDL's field names.
    public static func json(_ jobs: [JobSummary]) -> JSONValue {
        .array(jobs.map { job in
            var members: [(key: String, value: JSONValue)] = [
                ("id", .string(job.id)), ("requestor", .string(job.requestor)), ("className", .string(job.className)),
                ("tag", .string(job.tag)), ("basis", .string(job.basis)), ("priority", .integer(job.priority)),
                ("status", .string(job.status.name)), ("killed", .bool(job.killed)), ("waitingTasks", .integer(job.waitingTasks)),
                ("runningTasks", .integer(job.runningTasks)), ("completedTasks", .integer(job.completedTasks)),
                ("failedTasks", .integer(job.failedTasks)), ("submittedAtMs", .integer(job.submittedAtMs)),
            ]
            if let startedAtMs = job.startedAtMs { members.append(("startedAtMs", .integer(startedAtMs))) }
            if let endedAtMs = job.endedAtMs { members.append(("endedAtMs", .integer(endedAtMs))) }
            if let jobType = job.jobType { members.append(("jobType", .string(jobType))) }
            return .object(members)
        })
    }

    /// `list-workers`: an array of WorkerInfo objects with the IDL's field names.
    public static func json(_ workers: [WorkerInfo]) -> JSONValue {
        .array(workers.map { worker in
            var members: [(key: String, value: JSONValue)] = [("id", .string(worker.id)), ("state", .string(worker.state.name))]
            if let job = worker.currentJobId { members.append(("currentJobId", .string(job))) }
            if let task = worker.currentTaskId { members.append(("currentTaskId", .string(task))) }
            members.append(("lastSnapshotId", .string(worker.lastSnapshotId)))
            members.append(("tasksRun", .integer(worker.tasksRun)))
            return .object(members)
        })
    }

    /// A job definition in scootcl's `--job_def` format, for the audit log.
    public static func json(_ job: JobDefinition) -> JSONValue {
        .object([
            ("Tasks", .array(job.tasks.map { task in
                .object([
                    ("Args", .array(task.command.argv.map { .string($0) })),
                    ("EnvVars", .sortedObject(Dictionary((task.command.envVars ?? [:]).mapValues { .string($0) }))),
                    ("SnapshotID", .string(task.snapshotId ?? "")), ("TimeoutMs", .integer(task.timeoutMs ?? 0)),
                    ("TaskID", .string(task.taskId ?? "")),
                ])
            })),
            ("DefaultTaskTimeoutMs", .integer(job.defaultTaskTimeoutMs ?? 0)), ("Priority", .integer(job.priority ?? 0)),
            ("Tag", .string(job.tag ?? "")), ("Basis", .string(job.basis ?? "")), ("JobType", .string(job.jobType ?? "")),
            ("Requestor", .string(job.requestor ?? "")),
        ])
    }
}
