import ScootAPI

extension CLISession {
    /// `watch-job ID`: polls GetStatus every `interval`, writes each change of the job's or a
    /// task's state to stderr, and once the job is COMPLETED or ROLLED_BACK prints its final status
    /// on stdout and returns the exit code its tasks deserve (`outcome(of:)`).
    ///
    /// An id the scheduler does not know (NOT_STARTED with no tasks, Scoot's answer for unknown
    /// ids) fails at once with exit 1 instead of polling forever as scootcl does.
    public func watchJob(jobID: String, interval: Duration, format: OutputFormat) async throws(CLIFailure) -> CLIExitCode {
        var lastJobStatus: Status?
        var lastTaskLines: [String: String] = [:]
        // Polls since every task was seen waiting for a worker, to say so instead of looking hung.
        var pollsWaiting = 0
        let remindEvery = max(1, Int((Duration.seconds(30) / interval).rounded(.up)))
        while true {
            let status = try await calling { try await client.getStatus(jobId: jobID) }
            if lastJobStatus == nil, status.status == .notStarted, status.taskStatus?.isEmpty ?? true {
                throw CLIFailure(.refusedByServer, "the scheduler at \(endpoint) knows no job \(jobID) (NOT_STARTED, no tasks); check the id")
            }
            if status.status != lastJobStatus {
                standardError("job \(jobID): \(status.status.name)")
                lastJobStatus = status.status
            }
            let taskIDs = Set((status.taskStatus ?? [:]).keys).union((status.taskData ?? [:]).keys).sorted()
            for taskID in taskIDs {
                let line = TextRendering.taskLine(taskID: taskID, status: status.taskStatus?[taskID], run: status.taskData?[taskID])
                if lastTaskLines[taskID] != line {
                    standardError("task \(line)")
                    lastTaskLines[taskID] = line
                }
            }
            let states = Array((status.taskStatus ?? [:]).values)
            if status.status != .completed, !states.isEmpty, states.allSatisfy({ $0 == .notStarted }) {
                if pollsWaiting == 0 {
                    standardError("job \(jobID): waiting for a worker: none of its \(states.count) task\(states.count == 1 ? " has" : "s have") started (every worker busy, offline or not ready)")
                } else if pollsWaiting % remindEvery == 0 {
                    standardError("job \(jobID): still waiting for a worker after \(Self.elapsedText(interval * pollsWaiting))")
                }
                pollsWaiting += 1
            } else {
                pollsWaiting = 0
            }
            if status.status == .completed || status.status == .rolledBack {
                print(format == .json ? JSONRendering.json(status).rendered : TextRendering.text(status))
                return Self.outcome(of: status)
            }
            do {
                try await sleep(interval)
            } catch {
                throw CLIFailure(.unreachable, "watch-job was cancelled")
            }
        }
    }

    /// `90s`, `2m30s`.
    static func elapsedText(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        return seconds < 120 ? "\(seconds)s" : "\(seconds / 60)m\(seconds % 60 == 0 ? "" : "\(seconds % 60)s")"
    }

    /// 0 when every task ended COMPLETE with exit code 0; 4 when some task failed, timed out or
    /// exited non-zero; else 5 when some task was aborted, has no run, or the job was rolled back.
    public static func outcome(of status: JobStatus) -> CLIExitCode {
        var aborted = status.status == .rolledBack
        for taskID in (status.taskStatus ?? [:]).keys {
            guard let run = status.taskData?[taskID] else {
                aborted = true
                continue
            }
            switch run.status {
            case .complete where run.exitCode == 0: continue
            case .aborted: aborted = true
            default: return .jobFailed
            }
        }
        return aborted ? .jobAborted : .ok
    }
}
