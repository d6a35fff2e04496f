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
    public nonisolated func runJob(_ definition: JobDefinition) async throws(SchedulerError) -> String {
        try await admit(PreparedJob(definition))
    }

    private func admit(_ prepared: PreparedJob) throws(SchedulerError) -> String {
        let definition = prepared.definition
        if let error = prepared.definitionError { throw error }
        try checkSizeLimits(definition)
        try checkAdmissionLimits(requestor: definition.requestor)
        if let error = prepared.priorityOrTaskIDError { throw error }
        if !definition.basis.isEmpty {
            try tagHistory.check(requestor: definition.requestor, basis: definition.basis, tag: definition.tag)
        }
        try checkThrottle(newTasks: definition.tasks.count)

        let id = prepared.id
        var accepted = prepared.accepted
        var encoded = prepared.encodedAccepted
        if let inherited = inheritedPriority(of: accepted) {
            accepted.priority = inherited
            encoded = nil  // rare: the journal encodes the changed definition itself
        }
        let submittedAt = clock.now
        try persistAccepted(JournaledJob(id: id, definition: accepted, submittedAt: wallTime(submittedAt), encodedDefinition: encoded))

        if !definition.basis.isEmpty {
            tagHistory.record(requestor: definition.requestor, basis: definition.basis, tag: definition.tag)
        }
        killJobsReplaced(by: accepted, now: submittedAt)

        let tasks = durations.longestFirst(accepted.tasks).map {
            TaskRecord(definition: $0, timeout: accepted.effectiveTimeout(of: $0, schedulerDefault: configuration.defaultTaskTimeout))
        }
        jobRecords[id] = JobRecord(id: id, definition: accepted, tasks: tasks, submittedAt: submittedAt)
        submissionOrder.append(id)
        activeJobIDs.append(id)
        wake()
        return id
    }

    private func checkAdmissionLimits(requestor: String) throws(SchedulerError) {
        let requestors = Set(activeJobIDs.map { jobRecords[$0]!.definition.requestor })
        let jobsOfRequestor = activeJobIDs.count { jobRecords[$0]!.definition.requestor == requestor }
        if jobsOfRequestor == 0, requestors.count >= configuration.maxRequestors {
            throw canNotScheduleNow("exceeds max number of requestors: \(requestor) (\(configuration.maxRequestors))")
        }
        if jobsOfRequestor >= configuration.maxJobsPerRequestor {
            throw canNotScheduleNow("exceeds max jobs per requestor: \(requestor) (\(configuration.maxJobsPerRequestor))")
        }
    }

    /// The caps that keep one request from taking the scheduler's time and memory: tasks per job,
    /// bytes per definition, unfinished tasks in all.
    private func checkSizeLimits(_ definition: JobDefinition) throws(SchedulerError) {
        if definition.tasks.count > configuration.maxTasksPerJob {
            throw .invalidRequest(
                "job has \(definition.tasks.count) tasks; this scheduler takes at most \(configuration.maxTasksPerJob) per job (max tasks per job); split it")
        }
        let bytes = definition.textByteCount
        if bytes > configuration.maxJobDefinitionBytes {
            throw .invalidRequest(
                "job definition carries \(bytes) bytes of text; this scheduler takes at most \(configuration.maxJobDefinitionBytes) (max job definition bytes)")
        }
        let queued = currentTaskCount
        if queued + definition.tasks.count > configuration.maxQueuedTasks {
            throw canNotScheduleNow(
                "exceeds max queued tasks: \(queued) unfinished + \(definition.tasks.count) new > \(configuration.maxQueuedTasks)")
        }
    }

    private func checkThrottle(newTasks: Int) throws(SchedulerError) {
        guard configuration.throttleMode == .enforce, maxTasks >= 0 else { return }
        let current = currentTaskCount
        if current + newTasks > maxTasks {
            throw canNotScheduleNow("exceeds max tasks: \(current) in progress + \(newTasks) new > \(maxTasks)")
        }
    }

    private func canNotScheduleNow(_ reason: String) -> SchedulerError {
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
