import AuditLog
import ScootAPI
import Thrift

import struct SchedulerCore.SettingsEdit

/// What `set-scheduling-alg-params` changes; `nil` leaves a setting as it is.
public struct SchedulingSettingsChange: Sendable, Hashable {
    /// `--rebalance-min` minutes.
    public var rebalanceMinimumDuration: Int32?
    /// `--rebalance-threshold` percentage points.
    public var rebalanceThreshold: Int32?
    /// `--class-pcts-file` contents.
    public var classLoadPercents: [String: Int32]?
    /// `--requestor-map-file` contents.
    public var requestorMap: [String: String]?
    /// `--merge`: the files' entries change or add to the current percents and map, the others
    /// stay (scootcl replaces both tables).
    public var merges = false

    /// A change of the given settings.
    public init(
        rebalanceMinimumDuration: Int32? = nil, rebalanceThreshold: Int32? = nil, classLoadPercents: [String: Int32]? = nil,
        requestorMap: [String: String]? = nil, merges: Bool = false
    ) {
        self.rebalanceMinimumDuration = rebalanceMinimumDuration
        self.rebalanceThreshold = rebalanceThreshold
        self.classLoadPercents = classLoadPercents
        self.requestorMap = requestorMap
        self.merges = merges
    }

    /// The change in the audit log's vocabulary, shared with the console.
    var auditAction: AuditAction {
        .setSchedulingParameters(
            minutes: rebalanceMinimumDuration, threshold: rebalanceThreshold, percents: classLoadPercents, map: requestorMap, merge: merges)
    }
}

extension CLISession {
    /// `run-job`: submits `job` and prints its id alone on stdout.
    public func runJob(_ job: JobDefinition) async throws(CLIFailure) {
        try await audited(.runJob(definition: JSONRendering.json(job).rendered)) {
            let id = try await client.runJob(job: job).id
            print(id)
            return id
        }
    }

    /// `kill-job ID`: reads the job's status (for the audit log), kills it and prints the status
    /// KillJob returns.
    public func killJob(jobID: String, format: OutputFormat) async throws(CLIFailure) {
        try await audited(
            .killJob(ids: [jobID]),
            readBefore: { Self.summary(try await client.getStatus(jobId: jobID)) },
            change: {
                let status = try await client.killJob(jobId: jobID)
                print(format == .json ? JSONRendering.json(status).rendered : TextRendering.text(status))
                return Self.summary(status)
            })
    }

    /// `offline-worker ID`, as the OS user.
    public func offlineWorker(id: String) async throws(CLIFailure) {
        try await audited(.offlineWorker(id: id, requestor: requestor)) {
            try await client.offlineWorker(req: OfflineWorkerReq(id: id, requestor: requestor))
            standardError("Worker \(id) offlined")
            return "offlined"
        }
    }

    /// `reinstate-worker ID`, as the OS user.
    public func reinstateWorker(id: String) async throws(CLIFailure) {
        try await audited(.reinstateWorker(id: id, requestor: requestor)) {
            try await client.reinstateWorker(req: ReinstateWorkerReq(id: id, requestor: requestor))
            standardError("Worker \(id) reinstated")
            return "reinstated"
        }
    }

    /// `set-scheduler-status --task-throttle N`; N must be -1 (unlimited) or more.
    public func setSchedulerStatus(taskThrottle: Int) async throws(CLIFailure) {
        guard taskThrottle >= -1, taskThrottle <= Int(Int32.max) else {
            throw .usage("invalid max tasks value: \(taskThrottle); --task-throttle must be -1 (unlimited) or more, up to \(Int32.max)")
        }
        try await audited(
            .setMaxTasks(Int32(taskThrottle)),
            readBefore: { String(try await client.getSchedulerStatus().maxTasks) },
            change: {
                try await client.setSchedulerStatus(maxTasks: Int32(taskThrottle))
                return String(try await client.getSchedulerStatus().maxTasks)
            })
    }

    /// `set-scheduling-alg-params`: applies the change in scootcl's order (minimum duration,
    /// threshold, percents, requestor map) and stops at the first error, the requestor map's
    /// included (scootcl ignores that one). The audit entry's `after` is re-read even after an
    /// error, so it shows what did change.
    public func setSchedulingAlgorithmParameters(_ change: SchedulingSettingsChange) async throws(CLIFailure) {
        guard change.classLoadPercents != nil || change.requestorMap != nil || change.rebalanceThreshold != nil
            || change.rebalanceMinimumDuration != nil else {
            throw .usage(
                "nothing to set: give at least one of --rebalance-min N, --rebalance-threshold N, --class-pcts-file FILE, --requestor-map-file FILE")
        }
        try await audited(
            change.auditAction,
            readBefore: { JSONRendering.json(try await SchedulingAlgorithmParameters.read(from: client)).rendered },
            change: {
                // A merge that cannot apply is refused before anything is sent.
                let (percents, map) = try await merged(change)
                if let minutes = change.rebalanceMinimumDuration { try await client.setRebalanceMinimumDuration(durationMin: minutes) }
                if let threshold = change.rebalanceThreshold { try await client.setRebalanceThreshold(threshold: threshold) }
                if let percents { try await client.setClassLoadPercents(loadPercents: ThriftMap(percents)) }
                if let map { try await client.setRequestorToClassMap(requestorToClassMap: ThriftMap(map)) }
                return JSONRendering.json(try await SchedulingAlgorithmParameters.read(from: client)).rendered
            },
            afterFailure: { try? JSONRendering.json(await SchedulingAlgorithmParameters.read(from: client)).rendered })
    }

    /// The percents and map to send: the files' as they are, or with `--merge` laid over the
    /// scheduler's current ones (a map target must be a class the percents have).
    private func merged(_ change: SchedulingSettingsChange) async throws -> ([String: Int32]?, [String: String]?) {
        guard change.merges else { return (change.classLoadPercents, change.requestorMap) }
        var percents = change.classLoadPercents
        if let given = percents {
            let current = Dictionary(try await client.getClassLoadPercents())
            percents = try SettingsEdit(mode: .merge, set: given, added: Set(given.keys).subtracting(current.keys))
                .applied(to: current, noun: "class", plural: "classes")
        }
        var map = change.requestorMap
        if let given = map {
            let classes: Set<String>
            if let percents { classes = Set(percents.keys) } else { classes = Set(try await client.getClassLoadPercents().keys) }
            let current = Dictionary(try await client.getRequestorToClassMap())
            do throws(SettingsEdit<String>.Refusal) {
                map = try SettingsEdit(mode: .merge, set: given).appliedMap(to: current, classes: classes)
            } catch {
                throw CLIFailure.usage("--merge: \(error.description)")
            }
        }
        return (percents, map)
    }

    /// `IN_PROGRESS (3 tasks: 1 COMPLETED, 2 IN_PROGRESS)`: a job status in one line for the audit log.
    static func summary(_ status: JobStatus) -> String {
        let counts = Dictionary((status.taskStatus ?? [:]).values.map { ($0.name, 1) }, uniquingKeysWith: +)
        let total = counts.values.reduce(0, +)
        let breakdown = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "\(status.status.name) (\(total) task\(total == 1 ? "" : "s")\(breakdown.isEmpty ? "" : ": " + breakdown))"
    }

    /// Runs one state-changing action and appends its audit entry, whatever the outcome: refused
    /// in read-only mode (nothing sent, exit 2), else `readBefore`, then `change` (which returns
    /// the `after` value); on a failure `afterFailure` may still read what changed.
    func audited(
        _ action: AuditAction, readBefore: (() async throws -> String)? = nil,
        change: () async throws -> String, afterFailure: (() async -> String?)? = nil
    ) async throws(CLIFailure) {
        if readOnly {
            let failure = CLIFailure.usage(
                "read-only mode (SCOOT_CONSOLE_READ_ONLY=1): \(action.name) changes the cluster and was not sent; unset SCOOT_CONSOLE_READ_ONLY to run it")
            record(AuditEntry(endpoint: endpoint, source: .cli, action: action, outcome: .refused, error: failure.message))
            throw failure
        }
        var before: String?
        do {
            before = try await readBefore?()
        } catch {
            let failure = CLIFailure(classifying: error, endpoint: endpoint)
            record(AuditEntry(endpoint: endpoint, source: .cli, action: action, outcome: .error, error: failure.message))
            throw failure
        }
        // On record before it is sent; without a record it is not sent, unless audit is optional.
        do throws(AuditLog.Failure) {
            try auditLog.append(AuditEntry(endpoint: endpoint, source: .cli, action: action, before: before, outcome: .sent))
        } catch {
            guard auditOptional else {
                throw CLIFailure.usage(
                    "\(action.name) was not sent: the audit log cannot be written (\(error)); fix it, set SCOOT_CONSOLE_AUDIT_LOG to a writable file, or pass --audit-optional")
            }
            standardError("warning: \(action.name) is sent without a record: the audit log cannot be written: \(error)")
        }
        do {
            let after = try await change()
            record(AuditEntry(endpoint: endpoint, source: .cli, action: action, before: before, after: after, outcome: .ok))
        } catch {
            let failure = CLIFailure(classifying: error, endpoint: endpoint)
            let after = await afterFailure?()
            record(
                AuditEntry(
                    endpoint: endpoint, source: .cli, action: action, before: before, after: after, outcome: .error,
                    error: failure.message))
            throw failure
        }
    }

    /// Appends `entry`; a log that cannot be written is a warning, not a failure of the command.
    func record(_ entry: AuditEntry) {
        do {
            try auditLog.append(entry)
        } catch {
            standardError("warning: \(entry.action) was not recorded in the audit log: \(error); set SCOOT_CONSOLE_AUDIT_LOG to a writable file")
        }
    }
}
