import Foundation

/// Start-up from a journal (docs/scoot.md, "Restart and job recovery", with the fixes in
/// docs/deviations.md): settings are restored; unfinished jobs come back with their ids, bypassing
/// admission, their ended tasks ended and every other task (also one that was running) waiting with
/// its attempt count at 0; finished jobs within the retention answer status queries; older ones are
/// purged.
extension Scheduler {
    /// Creates a scheduler that writes to `journal` and starts from what it holds.
    ///
    /// - Parameter wallClockOrigin: the wall-clock time of the clock's zero, which turns clock
    ///   instants into the journal's dates and back: the Unix epoch (the default) for `WallClock`,
    ///   the creation time for `ContinuousSchedulerClock`, any fixed date for a `ManualClock`.
    /// - Parameter onJournalHealthChange: called, on the journal's thread, whenever the journal
    ///   starts or stops failing (what `serve` logs).
    /// - Parameter executor: where the actor runs, as for `init(configuration:clock:backend:executor:)`.
    /// - Throws: `SchedulerError.failed` when the journal cannot be read. A requestor map that
    ///   today's rules refuse is dropped instead, with a line in `recoveryWarnings`.
    public init(
        configuration: SchedulerConfiguration = SchedulerConfiguration(), clock: any SchedulerClock, backend: any WorkerBackend,
        recoveringFrom journal: any JobJournal, wallClockOrigin: Date = Date(timeIntervalSince1970: 0),
        onJournalHealthChange: @escaping @Sendable (JournalHealth) -> Void = { _ in }, executor: (any SerialExecutor)? = nil
    ) async throws(SchedulerError) {
        self.init(configuration: configuration, clock: clock, backend: backend, executor: executor)
        self.wallClockOrigin = wallClockOrigin
        let contents: JournalContents
        do {
            contents = try journal.load()
        } catch {
            throw .failed("could not read the job journal: \(error)")
        }
        journalWriter = JournalWriter(journal: journal, onHealthChange: onJournalHealthChange)
        if let settings = contents.settings { restore(settings) }
        let cutoff = wallTime(clock.now - configuration.finishedJobRetention)
        let expired = { (job: RecoveredJob) in job.endedAt.map { $0 < cutoff } ?? false }
        for job in contents.jobs where !expired(job) { restore(job) }
        finishedJobs.sort { $0.endedAt < $1.endedAt }
        if contents.jobs.contains(where: expired) {
            journalWriter?.append(.purgeJobs(endedBefore: cutoff))
        }
    }

    private func restore(_ settings: SchedulerSettings) {
        do {
            requestorClassifier = try RequestorClassifier(settings.requestorToClassMap)
        } catch {
            // A map that today's rules refuse (one a looser version accepted) must not keep the
            // server from starting, or stall it: it is dropped, and the log says so.
            recoveryWarnings.append(
                "the requestor map in the job journal is refused and dropped; Scoot's default map is used until one is set: \(error.description)")
        }
        classLoadPercents = settings.classLoadPercents
        rebalanceThreshold = settings.rebalanceThreshold
        rebalanceMinimumDurationMinutes = settings.rebalanceMinimumDurationMinutes
        maxTasks = settings.maxTasks
    }

    private func restore(_ recovered: RecoveredJob) {
        let id = recovered.job.id
        let definition = recovered.job.definition
        let tasks = DurationHistory.longestFirst(definition.tasks, means: definition.tasks.map { durations.meanSeconds(of: $0.taskID) }).map {
            TaskRecord(definition: $0, timeout: definition.effectiveTimeout(of: $0, schedulerDefault: configuration.defaultTaskTimeout))
        }
        var record = JobRecord(id: id, definition: definition, tasks: tasks, submittedAt: instant(of: recovered.job.submittedAt))
        for (taskID, status) in recovered.endedTasks {
            guard let index = record.taskIndex[taskID] else { continue }
            record.updateTask(at: index) { task in
                task.state = .completed
                task.finalStatus = status
            }
        }
        if recovered.killed {
            // A kill is one record: the tasks it ended have no final status of their own.
            for index in record.tasks.indices where record.tasks[index].state != .completed {
                record.updateTask(at: index) { task in
                    task.state = .completed
                    task.finalStatus = RunStatus(state: .aborted, error: RunStatus.userRequested)
                }
            }
        }
        record.startedAt = recovered.startedAt.map(instant(of:))
        record.endedAt = recovered.endedAt.map(instant(of:))
        record.killed = recovered.killed
        jobRecords[id] = record
        submissionOrder.append(id)
        if let endedAt = record.endedAt {
            keepFinished(id, endedAt: endedAt)
        } else {
            activeJobIDs.append(id)
        }
        if !definition.basis.isEmpty {
            tagHistory.record(requestor: definition.requestor, basis: definition.basis, tag: definition.tag)
        }
    }
}
