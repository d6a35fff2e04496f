import DequeModule
import Foundation
import HeapModule

/// The scheduler: the one owner of all mutable scheduling state. It admits jobs, runs the
/// load-based algorithm every step, launches and tracks attempts on a `WorkerBackend`, and answers
/// the CloudScoot operations and the console's queries, behaving like Scoot's scheduler
/// (docs/scoot.md, from "The CloudScoot calls" to "Offlining and reinstating workers", "Worker
/// selection and snapshot affinity" and "The task throttle") except for the fixes listed in
/// docs/deviations.md.
///
/// Time comes only from the injected clock. `run()` steps every `tickInterval`; tests call
/// `step()` directly with a `ManualClock`.
///
/// The actor runs where it is told (`executor`): `serve` runs it on the event loop of its Thrift
/// connections, so that a small call is answered on one thread; by default it runs as any actor.
public actor Scheduler {
    let configuration: SchedulerConfiguration
    let clock: any SchedulerClock
    let backend: any WorkerBackend

    // Jobs: every job ever accepted by id (status queries), all ids in submission order, and the
    // in-memory (not yet finished) ones in arrival order.
    var jobRecords: [String: JobRecord] = [:]
    var submissionOrder: [String] = []
    /// Ids in `submissionOrder` whose job was forgotten since the list was last compacted.
    var forgottenInSubmissionOrder = 0
    var activeJobIDs: [String] = []
    /// Running attempt id → its task.
    var runningAttempts: [Int: TaskReference] = [:]
    /// Deadlines of attempts, earliest first; entries of attempts that already ended are skipped.
    var attemptDeadlines = Heap<AttemptDeadline>()
    var nextAttemptID = 1

    // Workers by id, and ids in the order they joined.
    var workerRecords: [String: WorkerRecord] = [:]
    var workerOrder: [String] = []

    var tagHistory = TagHistory()
    var durations = DurationHistory()
    /// Finished jobs in order of ending, for the retention purge.
    var finishedJobs = Deque<FinishedJob>()
    /// Tasks of the jobs in `finishedJobs`.
    var finishedTaskCount = 0

    // Persistence: the journal's writer (nil = in memory only) and the wall-clock time of the
    // clock's zero.
    var journalWriter: JournalWriter?
    /// Jobs that passed admission and wait for their journal write: requestor and task count,
    /// counted against the limits. At most one per RunJob in progress.
    var reservedJobs: [String: (requestor: String, tasks: Int)] = [:]
    var wallClockOrigin = Date()
    /// A settings change waiting for its journal write, numbered; the next change builds on it.
    var stagedSettings: (number: Int, settings: SchedulerSettings)?
    /// The number of the last settings change staged, and of the last one applied.
    var settingsChangesStaged = 0
    var settingsChangesApplied = 0

    // Settings changed by clients (docs/scoot.md, "Settings persistence"), at Scoot's defaults.
    var classLoadPercents = ClassLoadPercents.scootDefaults
    var requestorClassifier = RequestorClassifier.scootDefault
    /// What recovery from the journal dropped or changed, for the server's log.
    public internal(set) var recoveryWarnings: [String] = []
    var rebalanceMinimumDurationMinutes = 4
    var rebalanceThreshold = 0
    var maxTasks = -1

    // The rebalance timer and the last algorithm result.
    var thresholdExceededSince: SchedulerInstant?
    var spreadBackUnderSince: SchedulerInstant?
    var lastDecision: (at: SchedulerInstant, decision: SchedulingDecision)?
    /// The last rebalances, oldest first, at most `rebalancesKept`.
    var rebalances: [RebalanceRecord] = []
    /// How many rebalances `recentRebalances()` remembers.
    public static let rebalancesKept = 20

    var stopRequested = false
    /// Cuts `run()`'s sleep short: set by `wake()` and by the backend's event observer.
    let wakeUpSignal: WakeUpSignal
    /// What the actor's isolation runs on; kept here so that `unownedExecutor` stays valid.
    private let isolation: SchedulerIsolation

    /// The executor the actor runs on: the one given at creation, else an ordinary actor's.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { isolation.unownedExecutor }

    /// Creates a scheduler with no jobs; workers appear as the backend reports them. The
    /// scheduler registers itself as the backend's event observer, so `run()` steps as soon as a
    /// backend that reports asynchronously has something new.
    ///
    /// - Parameter executor: where the actor runs, e.g. an event loop (it must never block: the
    ///   scheduler does no blocking I/O); nil: as an ordinary actor, on Swift's cooperative pool.
    public init(
        configuration: SchedulerConfiguration = SchedulerConfiguration(), clock: any SchedulerClock, backend: any WorkerBackend,
        executor: (any SerialExecutor)? = nil
    ) {
        self.configuration = configuration
        self.clock = clock
        self.backend = backend
        self.isolation = SchedulerIsolation(executor)
        let wakeUpSignal = WakeUpSignal()
        self.wakeUpSignal = wakeUpSignal
        backend.setEventObserver { wakeUpSignal.signal() }
    }

    /// Steps every `tickInterval` on the clock, and at once after each `wake()`, until `stop()`
    /// is called or the calling task is cancelled.
    public func run() async {
        stopRequested = false
        while !stopRequested, !Task.isCancelled {
            step()
            guard await sleepUntilNextTickOrWakeUp() else { return }
        }
    }

    /// Makes `run()` step now instead of at the end of its current sleep. Callable from anywhere;
    /// wake-ups before the next sleep are merged into one immediate step.
    public nonisolated func wake() {
        wakeUpSignal.signal()
    }

    /// Sleeps until the next tick or a wake-up, whichever comes first; false when cancelled.
    private func sleepUntilNextTickOrWakeUp() async -> Bool {
        let deadline = clock.now + configuration.tickInterval
        return await withTaskGroup(of: Bool.self) { [clock, wakeUpSignal] group in
            group.addTask {
                do {
                    try await clock.sleep(until: deadline)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await wakeUpSignal.wait()
                return !Task.isCancelled
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && !Task.isCancelled
        }
    }

    /// Makes `run()` return after its current tick.
    public func stop() {
        stopRequested = true
    }

    /// One scheduling step (docs/scoot.md, "The scheduling step"): applies worker membership
    /// changes and run reports, times out overdue attempts, forgets lost workers, ends a slice of
    /// the waiting tasks of killed jobs, retires finished jobs, then — if any task is waiting — runs the load-based algorithm, aborts its stop list,
    /// and places its start list on idle workers.
    public func step() {
        let now = clock.now
        for event in backend.collectEvents() { apply(event, now: now) }
        timeOutOverdueAttempts(now: now)
        forgetLostWorkers(now: now)
        endWaitingTasksOfKilledJobs()
        retireFinishedJobs(now: now)
        purgeExpiredJobs(now: now)
        scheduleWaitingTasks(now: now)
    }

    private func retireFinishedJobs(now: SchedulerInstant) {
        activeJobIDs.removeAll { id in
            guard jobRecords[id]!.isFinished else { return false }
            jobRecords[id]!.endedAt = now
            if !jobRecords[id]!.endJournaled { journalJobEnded(jobRecords[id]!, at: now) }
            keepFinished(id, endedAt: now)
            return true
        }
    }

    private func scheduleWaitingTasks(now: SchedulerInstant) {
        guard activeJobIDs.contains(where: { jobRecords[$0]!.hasTaskToSchedule }) else { return }
        let input = schedulingInput(now: now)
        let decision = LoadBasedScheduler.step(input)
        thresholdExceededSince = decision.thresholdExceededSince
        spreadBackUnderSince = decision.spreadBackUnderSince
        lastDecision = (now, decision)
        // Scoot ignores a stop list that comes without starts (docs/scoot.md, "The scheduling step").
        guard !decision.tasksToStart.isEmpty else { return }
        let tasksToStop = decision.tasksToStop.map(input.runningTask(at:))
        if !tasksToStop.isEmpty {
            let stopped = tasksToStop.map { task in
                RebalanceRecord.StoppedTask(
                    task: task,
                    className: requestorClassifier.classify(jobRecords[task.jobID]?.definition.requestor ?? "", percents: classLoadPercents)?.className ?? "")
            }
            rebalances.append(RebalanceRecord(at: now, spread: decision.spread, threshold: rebalanceThreshold, stopped: stopped))
            if rebalances.count > Self.rebalancesKept { rebalances.removeFirst(rebalances.count - Self.rebalancesKept) }
        }
        for task in tasksToStop {
            abortAttempt(of: task, error: RunStatus.rebalanceRequested + RunStatus.deadLetterTrailer, now: now)
        }
        let idle = workerOrder.compactMap { id in
            workerRecords[id].flatMap { $0.isIdleAndHealthy ? WorkerAssignment.IdleWorker(id: id, lastSnapshotID: $0.lastSnapshotID) : nil }
        }
        let tasks = decision.tasksToStart.map { position in
            let reference = input.waitingTask(at: position)
            return (reference, task(reference).definition.snapshotID)
        }
        for placement in WorkerAssignment.assign(tasks: tasks, idleWorkers: idle) {
            launch(placement.task, on: placement.workerID, now: now)
        }
    }

    /// The algorithm's view of the current state. Costs the running tasks and, per job, the
    /// waiting tasks one step could start (at most the healthy workers), not the jobs' sizes.
    func schedulingInput(now: SchedulerInstant) -> SchedulingInput {
        let healthy = workerRecords.values.filter { $0.membership == .healthy }
        var runningByJob: [String: [(index: Int, task: RunningTask)]] = [:]
        for reference in runningAttempts.values {
            guard let index = jobRecords[reference.jobID]?.taskIndex[reference.taskID],
                let attempt = jobRecords[reference.jobID]!.tasks[index].attempt
            else { continue }
            runningByJob[reference.jobID, default: []].append((index, RunningTask(taskID: reference.taskID, startedAt: attempt.startedAt)))
        }
        let loads = activeJobIDs.map { id in
            let definition = jobRecords[id]!.definition
            // A killed job's waiting tasks end in slices: none of them starts meanwhile.
            let killed = jobRecords[id]!.killed
            return JobLoad(
                id: id, requestor: definition.requestor, priority: definition.priority,
                running: (runningByJob[id] ?? []).sorted { $0.index < $1.index }.map(\.task),
                waiting: killed ? [] : jobRecords[id]!.firstWaitingTaskIndices(limit: healthy.count).map { jobRecords[id]!.tasks[$0].taskID },
                waitingCount: killed ? 0 : jobRecords[id]!.waitingCount)
        }
        return SchedulingInput(
            healthyWorkers: healthy.count, runningTasks: healthy.count { $0.current != nil }, classLoadPercents: classLoadPercents,
            requestorToClass: requestorClassifier, rebalanceThreshold: rebalanceThreshold,
            rebalanceMinimumDuration: .seconds(rebalanceMinimumDurationMinutes * 60), thresholdExceededSince: thresholdExceededSince,
            spreadBackUnderSince: spreadBackUnderSince, now: now, jobs: loads)
    }

    private func launch(_ reference: TaskReference, on workerID: String, now: SchedulerInstant) {
        let attemptID = nextAttemptID
        nextAttemptID += 1
        let record = task(reference)
        let attempt = Attempt(id: attemptID, workerID: workerID, startedAt: now, deadline: now + record.timeout + configuration.taskTimeoutOverhead)
        updateTask(reference) { task in
            task.state = .inProgress
            task.timesTried += 1
            task.attempt = attempt
            task.lastWorkerID = workerID
            task.lastStartedAt = now
        }
        if jobRecords[reference.jobID]!.startedAt == nil { jobRecords[reference.jobID]!.startedAt = now }
        workerRecords[workerID]!.current = (attemptID, reference)
        workerRecords[workerID]!.lastSnapshotID = record.definition.snapshotID
        workerRecords[workerID]!.tasksRun += 1
        runningAttempts[attemptID] = reference
        attemptDeadlines.insert(AttemptDeadline(deadline: attempt.deadline, attemptID: attemptID))
        backend.startRun(
            RunRequest(
                attemptID: attemptID, workerID: workerID, task: reference, argv: record.definition.argv,
                environment: record.definition.environment, snapshotID: record.definition.snapshotID, timeout: record.timeout,
                tag: jobRecords[reference.jobID]!.definition.tag))
    }

    /// The record of a task of an in-memory job.
    func task(_ reference: TaskReference) -> TaskRecord {
        let job = jobRecords[reference.jobID]!
        return job.tasks[job.taskIndex[reference.taskID]!]
    }

    /// Changes a task of a known job in place.
    func updateTask(_ reference: TaskReference, _ change: (inout TaskRecord) -> Void) {
        guard let index = jobRecords[reference.jobID]?.taskIndex[reference.taskID] else { return }
        let before = jobRecords[reference.jobID]!.tasks[index]
        jobRecords[reference.jobID]!.updateTask(at: index, change)
        journalChange(of: reference, from: before, to: jobRecords[reference.jobID]!.tasks[index])
    }
}
