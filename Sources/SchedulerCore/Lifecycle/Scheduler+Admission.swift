import Foundation

/// RunJob: validation, admission, and adding the job (docs/scoot.md, "RunJob validation and
/// admission" and "Tags, basis, priority and requestors").
extension Scheduler {
    /// Validates and admits a job and returns its id, a lowercase UUID v4. Checks run in Scoot's
    /// order — stage B (`JobValidation`), the size caps, then stage C: requestor limit,
    /// jobs-per-requestor limit, priority, duplicate task ids, tag history — followed by the
    /// `maxTasks` throttle when enforced. The job is then written to the journal, if any, before
    /// anything changes: when that fails, RunJob fails and nothing is admitted. Once admitted, an
    /// empty tag becomes the job id, in-memory jobs of the same requestor and basis with another
    /// tag are killed, and `run()` is woken so that the job starts at once.
    ///
    /// `PreparedJob` does the work that needs no scheduler state — the checks on the definition
    /// alone, the job's id and its journal text — off the actor, so that a job of 100,000 tasks
    /// does not hold up other clients meanwhile.
    ///
    /// The journal write rides in the journal writer's next group commit, between two turns on the
    /// actor (checks and a reservation, then the job's insertion), so that committing a large
    /// definition holds up no other call. A reserved job counts against every limit meanwhile.
    /// When the journal cannot be written, RunJob answers CanNotScheduleNow with the reason.
    public nonisolated func runJob(_ definition: JobDefinition) async throws(SchedulerError) -> String {
        let admission = try await reserve(PreparedJob(definition))
        if let writer = admission.journalWriter {
            do {
                try await writer.commit(.jobAccepted(admission.journaled))
            } catch {
                await release(admission)
                // A journal that cannot be written is a state that passes (disk space freed, the
                // file repaired): the client is told to come back, as for any other full resource.
                throw canNotScheduleNow("the job journal cannot be written, so no job is accepted: \(error)")
            }
        }
        await complete(admission, record: admission.record(defaultTaskTimeout: configuration.defaultTaskTimeout))
        return admission.journaled.id
    }

    /// A job that passed every check and waits for its journal write.
    struct Admission: Sendable {
        let journaled: JournaledJob
        let submittedAt: SchedulerInstant
        let journalWriter: JournalWriter?
        /// Where the tasks' historical mean durations come from.
        let means: TaskMeans

        /// The historical mean duration of each task, in the definition's order: read on the
        /// actor for a small job; for a big one, looked up off the actor in a copy of the history
        /// (which shares its storage until the actor records a duration).
        enum TaskMeans: Sendable {
            case read([Double])
            case lookedUpIn(DurationHistory)
        }

        /// Jobs up to this many tasks have their means read on the actor (well under a
        /// millisecond); bigger ones take a copy of the history instead.
        static let meansReadOnTheActor = 4_096

        /// The job's record, built off the actor: its tasks longest first, and their index.
        func record(defaultTaskTimeout: Duration) -> JobRecord {
            let accepted = journaled.definition
            let meanSeconds =
                switch means {
                case .read(let means): means
                case .lookedUpIn(let history): accepted.tasks.map { history.meanSeconds(of: $0.taskID) }
                }
            let tasks = DurationHistory.longestFirst(accepted.tasks, means: meanSeconds).map {
                TaskRecord(definition: $0, timeout: accepted.effectiveTimeout(of: $0, schedulerDefault: defaultTaskTimeout))
            }
            return JobRecord(id: journaled.id, definition: accepted, tasks: tasks, submittedAt: submittedAt)
        }
    }

    /// The checks, in order, and the reservation.
    private func reserve(_ prepared: PreparedJob) throws(SchedulerError) -> Admission {
        let definition = prepared.definition
        if let error = prepared.definitionError { throw error }
        try checkSizeLimits(definition, textByteCount: prepared.textByteCount)
        try checkAdmissionLimits(requestor: definition.requestor)
        if let error = prepared.priorityOrTaskIDError { throw error }
        if !definition.basis.isEmpty {
            try tagHistory.check(requestor: definition.requestor, basis: definition.basis, tag: definition.tag)
        }
        try checkThrottle(newTasks: definition.tasks.count)

        var accepted = prepared.accepted
        var encoded = prepared.encodedAccepted
        if let inherited = inheritedPriority(of: accepted) {
            accepted.priority = inherited
            encoded = nil  // rare: the journal encodes the changed definition itself
        }
        let submittedAt = clock.now
        let journaled = JournaledJob(id: prepared.id, definition: accepted, submittedAt: wallTime(submittedAt), encodedDefinition: encoded)
        reservedJobs[prepared.id] = (requestor: definition.requestor, tasks: definition.tasks.count)
        return Admission(
            journaled: journaled, submittedAt: submittedAt, journalWriter: journalWriter,
            means: accepted.tasks.count <= Admission.meansReadOnTheActor
                ? .read(accepted.tasks.map { durations.meanSeconds(of: $0.taskID) }) : .lookedUpIn(durations))
    }

    private func release(_ admission: Admission) {
        reservedJobs[admission.journaled.id] = nil
    }

    /// The job joins the scheduler once it is durable.
    private func complete(_ admission: Admission, record: JobRecord) {
        reservedJobs[admission.journaled.id] = nil
        let accepted = admission.journaled.definition
        let id = admission.journaled.id
        if !accepted.basis.isEmpty {
            tagHistory.record(requestor: accepted.requestor, basis: accepted.basis, tag: accepted.tag)
        }
        killJobsReplaced(by: accepted, now: admission.submittedAt)
        jobRecords[id] = record
        submissionOrder.append(id)
        activeJobIDs.append(id)
        // With every worker busy a step now could start nothing: the next tick (at most
        // `tickInterval` away) sees the job, as it does every other change of the loads.
        if workerRecords.values.contains(where: \.isIdleAndHealthy) { wake() }
    }

    private func checkAdmissionLimits(requestor: String) throws(SchedulerError) {
        let jobsOfRequestor = activeJobIDs.count { jobRecords[$0]!.definition.requestor == requestor }
            + reservedJobs.values.count { $0.requestor == requestor }
        if jobsOfRequestor == 0,
            Set(activeJobIDs.map { jobRecords[$0]!.definition.requestor }).union(reservedJobs.values.map(\.requestor)).count
                >= configuration.maxRequestors
        {
            throw canNotScheduleNow("exceeds max number of requestors: \(requestor) (\(configuration.maxRequestors))")
        }
        if jobsOfRequestor >= configuration.maxJobsPerRequestor {
            throw canNotScheduleNow("exceeds max jobs per requestor: \(requestor) (\(configuration.maxJobsPerRequestor))")
        }
    }

    /// The caps that keep one request from taking the scheduler's time and memory: tasks per job,
    /// bytes per definition, unfinished tasks in all.
    private func checkSizeLimits(_ definition: JobDefinition, textByteCount bytes: Int) throws(SchedulerError) {
        if definition.tasks.count > configuration.maxTasksPerJob {
            throw .invalidRequest(
                "job has \(definition.tasks.count) tasks; this scheduler takes at most \(configuration.maxTasksPerJob) per job (max tasks per job); split it")
        }
        if bytes > configuration.maxJobDefinitionBytes {
            throw .invalidRequest(
                "job definition carries \(bytes) bytes of text; this scheduler takes at most \(configuration.maxJobDefinitionBytes) (max job definition bytes)")
        }
        let queued = currentTaskCount + reservedTaskCount
        if queued + definition.tasks.count > configuration.maxQueuedTasks {
            throw canNotScheduleNow(
                "exceeds max queued tasks: \(queued) unfinished + \(definition.tasks.count) new > \(configuration.maxQueuedTasks)")
        }
    }

    private func checkThrottle(newTasks: Int) throws(SchedulerError) {
        guard configuration.throttleMode == .enforce, maxTasks >= 0 else { return }
        let current = currentTaskCount + reservedTaskCount
        if current + newTasks > maxTasks {
            throw canNotScheduleNow("exceeds max tasks: \(current) in progress + \(newTasks) new > \(maxTasks)")
        }
    }

    /// Tasks of the jobs admitted but not yet durable.
    private var reservedTaskCount: Int { reservedJobs.values.reduce(0) { $0 + $1.tasks } }

    nonisolated func canNotScheduleNow(_ reason: String) -> SchedulerError {
        .canNotScheduleNow(retryAfterMs: Int(configuration.admissionRetryAfter.wholeMilliseconds), reason: reason)
    }

    /// Scoot's rule: when the requestor has an in-memory job with the same tag, another basis
    /// and another priority, the new job takes that job's priority.
    private func inheritedPriority(of definition: JobDefinition) -> Int? {
        activeJobIDs.lazy.map { self.jobRecords[$0]!.definition }.first {
            $0.requestor == definition.requestor && $0.tag == definition.tag && $0.basis != definition.basis
                && $0.priority != definition.priority
        }?.priority
    }

    /// Kills the in-memory jobs of the same requestor and basis with another tag.
    private func killJobsReplaced(by definition: JobDefinition, now: SchedulerInstant) {
        guard !definition.basis.isEmpty else { return }
        for id in activeJobIDs {
            let other = jobRecords[id]!
            if !other.killed, other.definition.requestor == definition.requestor, other.definition.basis == definition.basis,
                other.definition.tag != definition.tag
            {
                killTasks(ofJob: id, now: now)
            }
        }
    }
}
