/// GetStatus, GetSchedulerStatus and the console's read-only queries.
extension Scheduler {
    /// A job's status as Scoot derives it (docs/scoot.md, "How GetStatus is derived"): an unknown
    /// id is NOT_STARTED with empty maps; a known job is IN_PROGRESS until every task is Completed
    /// (also while queued), then COMPLETED. A task is NOT_STARTED until tried, IN_PROGRESS while
    /// running or waiting for a retry (with its latest RUNNING report), COMPLETED with its final
    /// status.
    /// Built off the actor from a snapshot of the job's record (`statusSnapshot(of:)`), so that
    /// the status of a 100,000-task job does not hold up other calls while its maps are built.
    public nonisolated func status(of jobID: String) async -> JobStatus {
        JobStatus(await statusSnapshot(of: jobID))
    }

    /// The status of job `jobID` as `status(of:)` derives it, as a snapshot of the job's record
    /// (taken at once, whatever the job's size) to be read task by task, on the actor or off it.
    public func statusSnapshot(of jobID: String) -> JobStatusSnapshot {
        jobRecords[jobID].map(JobStatusSnapshot.init) ?? JobStatusSnapshot(unknownJob: jobID)
    }

    func jobRecord(_ jobID: String) -> JobRecord? { jobRecords[jobID] }

    /// The tasks of a known job, in task id order (UTF-8 bytes), with the worker and times of
    /// their latest attempts; nil for an unknown or purged job id. Built off the actor, as
    /// `status(of:)` is.
    public nonisolated func tasks(ofJob jobID: String) async -> [TaskProgress]? {
        guard let job = await jobRecord(jobID) else { return nil }
        return job.taskIDOrder.map { index in
            let task = job.shown(job.tasks[Int(index)])
            return TaskProgress(
                taskID: task.taskID, status: task.progress, workerID: task.lastWorkerID, startedAt: task.lastStartedAt,
                endedAt: task.endedAt, attempts: task.timesTried)
        }
    }

    /// Tasks not yet Completed over all in-memory jobs, and the throttle.
    public func schedulerStatus() -> SchedulerStatus {
        SchedulerStatus(currentTasks: currentTaskCount, maxTasks: maxTasks)
    }

    /// Running + waiting tasks of in-memory jobs.
    var currentTaskCount: Int { activeJobIDs.reduce(0) { $0 + jobRecords[$1]!.unfinishedTaskCount } }

    /// Every job accepted so far, in submission order.
    public func jobs() -> [JobSummary] {
        submissionOrder.compactMap { id in
            guard let job = jobRecords[id] else { return nil }
            // Kept by the record as tasks change: a listing costs the jobs, not their tasks.
            // A killed job's waiting tasks are shown killed, as GetStatus shows them.
            let shownKilled = job.killedAt != nil ? job.waitingCount : 0
            let counts = JobSummary.TaskCounts(
                waiting: job.waitingCount - shownKilled, running: job.runningCount, completed: job.completedCount(.succeeded),
                failed: job.completedCount(.failed) + job.completedCount(.preempted), preempted: job.completedCount(.preempted),
                killed: job.completedCount(.killed) + shownKilled)
            let definition = job.definition
            return JobSummary(
                id: id, requestor: definition.requestor,
                className: requestorClassifier.classify(definition.requestor, percents: classLoadPercents)?.className ?? "",
                tag: definition.tag, basis: definition.basis, priority: definition.priority, jobType: definition.jobType,
                status: job.appearsFinished ? .completed : .inProgress, killed: job.killed, taskCounts: counts,
                submittedAt: job.submittedAt, startedAt: job.startedAt, endedAt: job.endedAt)
        }
    }

    /// Every known worker, in the order they joined.
    public func workers() -> [WorkerSummary] {
        workerOrder.map { id in
            let worker = workerRecords[id]!
            let state: WorkerSummary.State =
                switch worker.membership {
                case .healthy: worker.current == nil ? .idle : .busy
                case .offlined: .offline
                case .suspended: .suspended
                }
            return WorkerSummary(
                id: id, state: state, currentTask: worker.current?.task, lastSnapshotID: worker.lastSnapshotID, tasksRun: worker.tasksRun)
        }
    }

    /// The last rebalances (at most `rebalancesKept`), oldest first.
    public func recentRebalances() -> [RebalanceRecord] { rebalances }

    /// Per class load now: the algorithm's pure step run on the current state without acting on
    /// it. Running, waiting, targets and the spread are live; starting, stopping and the rebalance
    /// countdown are what the next step would do, and zero/none while no task waits (the
    /// scheduler only steps then, so no rebalance can fire). What the console and the metrics
    /// show, as the last step's numbers go stale once nothing waits.
    public func currentClassLoads() -> ClassLoadReport {
        let now = clock.now
        let anyWaiting = activeJobIDs.contains { jobRecords[$0]!.hasTaskToSchedule }
        var decision = LoadBasedScheduler.step(schedulingInput(now: now))
        if !anyWaiting {
            for name in decision.classes.keys {
                decision.classes[name]!.start = 0
                decision.classes[name]!.stop = 0
            }
            decision.thresholdExceededSince = nil
            decision.rebalanceFiresAt = nil
            decision.rebalanced = false
        }
        return report(of: decision, at: now)
    }

    /// Per class load from the last step that ran the algorithm (it runs only while tasks wait,
    /// as in Scoot), or nil before the first one: what that step decided, for tests of the
    /// lifecycle. Everything that shows loads uses `currentClassLoads()`.
    func classLoads() -> ClassLoadReport? {
        guard let (at, decision) = lastDecision else { return nil }
        return report(of: decision, at: at)
    }

    private func report(of decision: SchedulingDecision, at: SchedulerInstant) -> ClassLoadReport {
        let classes = ClassLoadPercents.descendingOrder(decision.classes.mapValues(\.percent)).map { name in
            let load = decision.classes[name]!
            return ClassLoadReport.ClassLoad(
                name: name, percent: load.percent, target: load.target, running: load.running, waiting: load.waiting,
                loaned: load.loaned, starting: load.start, stopping: load.stop)
        }
        return ClassLoadReport(
            decidedAt: at, classes: classes, spread: decision.spread, rebalanced: decision.rebalanced,
            rebalanceExceededSince: decision.thresholdExceededSince, rebalanceFiresAt: decision.rebalanceFiresAt)
    }
}
