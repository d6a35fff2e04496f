import Foundation
import SchedulerCore
import ScootAPI
import Thrift

/// Conversions between the IDL's types (ScootAPI) and the scheduler core's domain types.
enum WireConversions {
    /// Stage A of RunJob validation (docs/scoot.md, "RunJob validation and admission"): what the
    /// domain types cannot express.
    static func jobDefinition(_ job: ScootAPI.JobDefinition) throws(SchedulerError) -> SchedulerCore.JobDefinition {
        var tasks: [SchedulerCore.TaskDefinition] = []
        for task in job.tasks {
            guard let taskID = task.taskId else { throw SchedulerError.nilTaskID }
            tasks.append(SchedulerCore.TaskDefinition(
                taskID: taskID, argv: task.command.argv, environment: task.command.envVars.map { Dictionary($0) } ?? [:],
                snapshotID: task.snapshotId ?? "", timeout: (task.timeoutMs ?? 0) > 0 ? .milliseconds(Int64(task.timeoutMs!)) : nil))
        }
        return SchedulerCore.JobDefinition(
            tasks: tasks, defaultTaskTimeout: job.defaultTaskTimeoutMs.map { .milliseconds(Int64($0)) },
            priority: Int(job.priority ?? 0), tag: job.tag ?? "", basis: job.basis ?? "", requestor: job.requestor ?? "",
            jobType: job.jobType ?? "")
    }

    /// A job status as Scoot sends it: empty strings as unset optionals, exit code always present.
    static func jobStatus(_ status: SchedulerCore.JobStatus) -> ScootAPI.JobStatus {
        // The tasks come in task id order: the builders append without a sort.
        var taskStatus = ThriftMap<String, ScootAPI.Status>.Builder(capacity: status.tasks.count)
        var taskData = ThriftMap<String, ScootAPI.RunStatus>.Builder(capacity: status.tasks.count)
        for task in status.tasks {
            taskStatus.append(task.taskID, progress(task.progress))
            if let data = task.data { taskData.append(task.taskID, runStatus(data)) }
        }
        return ScootAPI.JobStatus(id: status.id, status: progress(status.status), taskStatus: taskStatus.build(), taskData: taskData.build())
    }

    static func progress(_ status: ProgressStatus) -> ScootAPI.Status {
        switch status {
        case .notStarted: .notStarted
        case .inProgress: .inProgress
        case .completed: .completed
        }
    }

    static func progress(_ status: ScootAPI.Status) -> ProgressStatus? {
        switch status {
        case .notStarted: .notStarted
        case .inProgress: .inProgress
        case .completed: .completed
        default: nil
        }
    }

    static func runStatus(_ status: SchedulerCore.RunStatus) -> ScootAPI.RunStatus {
        ScootAPI.RunStatus(
            status: runState(status.state), runId: status.runID, outUri: status.outURI.nonEmpty, errUri: status.errURI.nonEmpty,
            error: status.error.nonEmpty, exitCode: status.exitCode, snapshotId: status.snapshotID.nonEmpty)
    }

    /// `runStatus(status).thriftEncodedSize`, without building the wire's struct: its status,
    /// runId and exitCode, and each other string that is not empty (header, length, bytes).
    static func runStatusEncodedSize(_ status: SchedulerCore.RunStatus) -> Int {
        func optional(_ text: String) -> Int { text.isEmpty ? 0 : 3 + 4 + text.utf8.count }
        return 1 + (3 + 4) + (3 + 4 + status.runID.utf8.count) + (3 + 4) + optional(status.outURI) + optional(status.errURI)
            + optional(status.error) + optional(status.snapshotID)
    }

    static func runState(_ state: RunState) -> RunStatusState {
        switch state {
        case .unknown: .unknown
        case .pending: .pending
        case .running: .running
        case .complete: .complete
        case .failed: .failed
        case .aborted: .aborted
        case .timedOut: .timedout
        }
    }

    /// Milliseconds since the Unix epoch for an instant of the server's `WallClock`.
    static func epochMilliseconds(_ instant: SchedulerInstant) -> Int64 {
        instant.components.seconds * 1000 + instant.components.attoseconds / 1_000_000_000_000_000
    }

    static func epochMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func jobSummary(_ job: SchedulerCore.JobSummary) -> ScootAPI.JobSummary {
        ScootAPI.JobSummary(
            id: job.id, requestor: job.requestor, className: job.className, tag: job.tag, basis: job.basis,
            priority: Int32(clamping: job.priority), status: progress(job.status), killed: job.killed,
            waitingTasks: Int32(clamping: job.taskCounts.waiting), runningTasks: Int32(clamping: job.taskCounts.running),
            completedTasks: Int32(clamping: job.taskCounts.completed), failedTasks: Int32(clamping: job.taskCounts.failed),
            submittedAtMs: epochMilliseconds(job.submittedAt), startedAtMs: job.startedAt.map(epochMilliseconds),
            endedAtMs: job.endedAt.map(epochMilliseconds), jobType: job.jobType.nonEmpty,
            preemptedTasks: job.taskCounts.preempted > 0 ? Int32(clamping: job.taskCounts.preempted) : nil)
    }

    static func rebalance(_ record: RebalanceRecord) -> ScootAPI.Rebalance {
        ScootAPI.Rebalance(
            atMs: epochMilliseconds(record.at), spread: Int32(clamping: record.spread), threshold: Int32(clamping: record.threshold),
            stopped: record.stopped.map { StoppedTask(jobId: $0.task.jobID, taskId: $0.task.taskID, className: $0.className) })
    }

    static func workerInfo(_ worker: WorkerSummary) -> WorkerInfo {
        let state: WorkerState = switch worker.state {
        case .idle: .idle
        case .busy: .busy
        case .offline: .offline
        case .suspended: .suspended
        }
        return WorkerInfo(
            id: worker.id, state: state, currentJobId: worker.currentTask?.jobID, currentTaskId: worker.currentTask?.taskID,
            lastSnapshotId: worker.lastSnapshotID, tasksRun: Int32(clamping: worker.tasksRun))
    }

    static func taskSummary(_ task: TaskProgress) -> ScootAPI.TaskSummary {
        ScootAPI.TaskSummary(
            taskId: task.taskID, status: progress(task.status), workerId: task.workerID,
            startedAtMs: task.startedAt.map(epochMilliseconds), endedAtMs: task.endedAt.map(epochMilliseconds),
            attempts: Int32(clamping: task.attempts))
    }

    static func int32Map(_ map: [String: Int]) -> ThriftMap<String, Int32> { ThriftMap(map.mapValues { Int32(clamping: $0) }) }
    static func intMap(_ map: ThriftMap<String, Int32>) -> [String: Int] { Dictionary(map.mapValues { Int($0) }) }

    /// The job log's health as GetClusterLoad reports it.
    static func journalState(_ health: JournalHealth) -> JournalState {
        JournalState(
            failure: health.failure, failingSinceMs: health.failingSince.map(epochMilliseconds),
            waitingRecords: Int64(health.waitingRecords), recordsDropped: Int64(health.recordsDropped))
    }
}

extension String {
    /// nil for "", as Scoot sends empty strings as unset optional fields.
    var nonEmpty: String? { isEmpty ? nil : self }
}
