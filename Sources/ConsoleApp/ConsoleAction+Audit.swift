import AuditLog

/// How an action is written to the audit log: its name in the CLI's vocabulary, its arguments,
/// and the value it changes before and after.
extension ConsoleAction {
    /// The action in the audit log's vocabulary, shared with the CLI.
    public var auditAction: AuditAction {
        switch self {
        case .killJobs(let ids): .killJob(ids: ids)
        case .offlineWorker(let id): .offlineWorker(id: id, requestor: ThriftDataSource.operatorName)
        case .reinstateWorker(let id): .reinstateWorker(id: id, requestor: ThriftDataSource.operatorName)
        case .setMaxTasks(let value): .setMaxTasks(value)
        case .setClassLoadPercents(let percents): .setClassLoadPercents(percents)
        case .setRequestorToClassMap(let map): .setRequestorMap(map)
        case .setRebalanceThreshold(let value): .setRebalanceThreshold(value)
        case .setRebalanceMinimumDuration(let value): .setRebalanceMinimumDuration(value)
        }
    }

    /// What the action asks for, as the audit log's `after`; nil for kills, whose `after` is
    /// the server's answer (each job's final status).
    var requestedValue: String? {
        switch self {
        case .killJobs: nil
        case .offlineWorker: "offline"
        case .reinstateWorker: "available"
        case .setMaxTasks(let value): String(value)
        case .setClassLoadPercents(let percents): Self.pairsText(percents.mapValues(String.init))
        case .setRequestorToClassMap(let map): Self.pairsText(map)
        case .setRebalanceThreshold(let value), .setRebalanceMinimumDuration(let value): String(value)
        }
    }

    /// What the action changes as `snapshot` shows it, as the audit log's `before`: the old
    /// setting, the worker's state, or each job's state and task counts; nil without a snapshot.
    func currentValue(in snapshot: ClusterSnapshot?) -> String? {
        guard let snapshot else { return nil }
        switch self {
        case .killJobs(let ids):
            return ids.map { id in
                guard let job = snapshot.jobs.first(where: { $0.id == id }) else { return "\(id): not in the job list" }
                return "\(id): \(JobState(job).rawValue), \(job.completedTasks) done, \(job.runningTasks) running, "
                    + "\(job.waitingTasks) waiting, \(job.failedTasks) failed"
            }.joined(separator: "; ")
        case .offlineWorker(let id), .reinstateWorker(let id):
            return snapshot.workers.first { $0.id == id }.map { StateBadge.worker($0.state).word }
        case .setMaxTasks: return String(snapshot.schedulerStatus.maxTasks)
        case .setClassLoadPercents: return Self.pairsText(snapshot.settings.classLoadPercents.mapValues(String.init))
        case .setRequestorToClassMap: return Self.pairsText(snapshot.settings.requestorToClassMap)
        case .setRebalanceThreshold: return String(snapshot.settings.rebalanceThreshold)
        case .setRebalanceMinimumDuration: return String(snapshot.settings.rebalanceMinimumDuration)
        }
    }

    /// `diff=60,land=40`: pairs sorted by key.
    static func pairsText(_ pairs: [String: String]) -> String {
        pairs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// An action sent to the scheduler and not answered yet, with the value it changes as it was
/// when the operator confirmed it (the audit log's `before`).
public struct SentAction: Sendable, Hashable {
    public var action: ConsoleAction
    public var before: String?
}

/// The audit log as the Audit pane shows it.
public struct AuditListing: Sendable, Hashable {
    /// The entries, newest first.
    public var entries: [AuditEntry] = []
    /// Lines of the file that could not be read (torn or hand-edited) and were skipped.
    public var unreadableLines = 0
    /// The log file, once read.
    public var path: String?
    /// Why the log could not be read, if it could not.
    public var error: String?
    /// Whether the log has been read at least once.
    public var loaded = false
}
