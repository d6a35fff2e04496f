/// How attempts end: reports from workers, timeouts, aborts (docs/scoot.md, "Attempts and
/// retries" and "Timeouts").
extension Scheduler {
    /// Applies one backend event.
    func apply(_ event: WorkerEvent, now: SchedulerInstant) {
        switch event {
        case .joined(let workerID):
            workerJoined(workerID)
        case .left(let workerID):
            workerLeft(workerID, now: now)
        case .progress(let attemptID, let status):
            guard let reference = runningAttempts[attemptID] else { return }
            updateTask(reference) { $0.latestReport = status }
        case .finished(let attemptID, let status):
            finishAttempt(attemptID, status: status, now: now)
        }
    }

    /// Ends an attempt with its final status: success on COMPLETE (any exit code); otherwise an
    /// error, retried while retries remain, else final with the dead-letter suffix.
    func finishAttempt(_ attemptID: Int, status: RunStatus, now: SchedulerInstant) {
        guard let reference = runningAttempts.removeValue(forKey: attemptID), let attempt = task(reference).attempt else { return }
        releaseWorker(attempt.workerID, attemptID: attemptID)
        if status.state == .complete || status.state == .timedOut {
            durations.record(taskID: reference.taskID, duration: now - attempt.startedAt)
        }
        let maxRetries = configuration.maxRetriesPerTask
        updateTask(reference) { task in
            task.attempt = nil
            if status.state == .complete {
                task.state = .completed
                task.finalStatus = status
                task.endedAt = now
            } else if task.timesTried - 1 < maxRetries {
                task.state = .notStarted
            } else {
                var final = status
                final.error += RunStatus.deadLetterTrailer
                task.state = .completed
                task.finalStatus = final
                task.endedAt = now
            }
        }
    }

    /// Declares TIMEDOUT every attempt without a final status past timeout + overhead, and
    /// aborts its run.
    func timeOutOverdueAttempts(now: SchedulerInstant) {
        while let next = attemptDeadlines.min, next.deadline <= now {
            attemptDeadlines.removeMin()
            guard let reference = runningAttempts[next.attemptID] else { continue }
            let attemptID = next.attemptID
            let record = task(reference)
            var status = record.latestReport ?? RunStatus(state: .timedOut, snapshotID: record.definition.snapshotID)
            status.state = .timedOut
            status.error = "no final status within timeout \(record.timeout) + overhead \(configuration.taskTimeoutOverhead)"
            backend.abortRun(attemptID: attemptID)
            finishAttempt(attemptID, status: status, now: now)
        }
    }

    /// Aborts the running attempt of `reference`: the run is stopped and the task is Completed
    /// with an ABORTED status carrying `error`, never retried (kills and rebalance stops).
    func abortAttempt(of reference: TaskReference, error: String, now: SchedulerInstant, journaled: Bool = true) {
        guard let attempt = task(reference).attempt else { return }
        runningAttempts[attempt.id] = nil
        backend.abortRun(attemptID: attempt.id)
        releaseWorker(attempt.workerID, attemptID: attempt.id)
        let abort = { (task: inout TaskRecord) in
            var status = task.latestReport ?? RunStatus(state: .aborted, snapshotID: task.definition.snapshotID)
            status.state = .aborted
            status.error = error
            status.exitCode = 0
            task.attempt = nil
            task.state = .completed
            task.finalStatus = status
            task.endedAt = now
        }
        if journaled {
            updateTask(reference, abort)
        } else if let index = jobRecords[reference.jobID]?.taskIndex[reference.taskID] {
            jobRecords[reference.jobID]!.updateTask(at: index, abort)
        }
    }

    /// Frees the worker that ran `attemptID`, whatever pool it is in now: a worker offlined
    /// meanwhile stays offlined but is no longer busy (Scoot loses that bookkeeping: docs/scoot.md, "Offlining and reinstating workers").
    private func releaseWorker(_ workerID: String, attemptID: Int) {
        guard workerRecords[workerID]?.current?.attemptID == attemptID else { return }
        workerRecords[workerID]!.current = nil
    }
}
