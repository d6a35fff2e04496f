import AuditLog
import HostEnvironment
/// A state-changing request to the scheduler, as the console sends it.
public enum ConsoleAction: Sendable, Hashable, CustomStringConvertible {
    case killJobs([String])
    case offlineWorker(String)
    case reinstateWorker(String)
    case setMaxTasks(Int32)
    case setClassLoadPercents([String: Int32])
    case setRequestorToClassMap([String: String])
    case setRebalanceThreshold(Int32)
    case setRebalanceMinimumDuration(Int32)

    /// Whether the action can hurt running work: it asks for confirmation and `--read-only` removes it.
    public var isDangerous: Bool { true }

    public var description: String {
        switch self {
        case .killJobs(let ids): ids.count == 1 ? "kill job \(ids[0])" : "kill \(ids.count) jobs"
        case .offlineWorker(let id): "offline worker \(id)"
        case .reinstateWorker(let id): "reinstate worker \(id)"
        case .setMaxTasks(let value): "set max tasks to \(value)"
        case .setClassLoadPercents(let percents):
            "set class load percents to " + percents.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        case .setRequestorToClassMap(let map):
            "set the requestor map to " + map.sorted { $0.key < $1.key }.map { "\($0.key)→\($0.value)" }.joined(separator: ", ")
        case .setRebalanceThreshold(let value): "set the rebalance threshold to \(value)"
        case .setRebalanceMinimumDuration(let value): "set the rebalance minimum duration to \(value) min"
        }
    }
}

// MARK: Confirmation

extension ConsoleAction {
    /// The confirm button's word: it names the action.
    var verb: String {
        switch self {
        case .killJobs: "Kill"
        case .offlineWorker: "Offline"
        case .reinstateWorker: "Reinstate"
        default: "Set"
        }
    }

    /// The confirmation's text: it names the target (job ids with their task counts, the worker,
    /// the setting before → after), the warnings, and the endpoint.
    func confirmationLines(in state: ConsoleState) -> [String] {
        let action = self
        var lines = ["\(description.prefix(1).uppercased())\(description.dropFirst())?", ""]
        switch self {
        case .killJobs(let ids):
            let jobs = Dictionary((state.snapshot?.jobs ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for id in ids.prefix(8) {
                if let job = jobs[id] {
                    let who = [job.requestor, job.className].map { $0.isEmpty ? "?" : $0 }.joined(separator: " · ")
                    lines.append("\(id)  \(who) · \(job.runningTasks) running, \(job.waitingTasks) waiting")
                } else {
                    lines.append(id)
                }
            }
            if ids.count > 8 { lines.append("… and \(ids.count - 8) more") }
            lines.append("Running tasks are aborted (UserRequested) and not retried.")
        case .offlineWorker(let id): lines.append("\(id) gets no new work; a task running on it finishes.")
        case .reinstateWorker(let id): lines.append("\(id) gets work again.")
        case .setClassLoadPercents(let percents):
            if let settings = state.snapshot?.settings {
                lines += SettingsDiff.percents(from: settings.classLoadPercents, to: percents)
                lines += SettingsDiff.orphanedPatterns(settings.requestorToClassMap, percents: percents)
            }
        case .setRequestorToClassMap(let map):
            if let snapshot = state.snapshot { lines += SettingsDiff.requestorMap(from: snapshot.settings, to: map, jobs: snapshot.jobs) }
        case .setRebalanceThreshold(let value):
            if let old = state.snapshot?.settings.rebalanceThreshold {
                func text(_ threshold: Int32) -> String { threshold <= 0 ? "\(threshold) (off)" : "\(threshold) pp" }
                lines.append("  rebalance threshold: \(text(old)) → \(text(value))")
            }
        case .setRebalanceMinimumDuration(let value):
            if let old = state.snapshot?.settings.rebalanceMinimumDuration {
                func text(_ minutes: Int32) -> String { minutes <= 0 ? "\(minutes) min (rebalancing off)" : "\(minutes) min" }
                lines.append("  rebalance minimum duration: \(text(old)) → \(text(value))")
            }
        case .setMaxTasks(let value):
            if let old = state.snapshot?.schedulerStatus.maxTasks {
                func text(_ limit: Int32) -> String { limit < 0 ? "unlimited" : String(limit) }
                lines.append("  max tasks: \(text(old)) → \(text(value))")
            }
        }
        let warnings = ConfirmWarnings.of(action, state: state)
        if !warnings.isEmpty {
            lines.append("")
            lines += warnings.map { "⚠ " + $0 }
            lines.append(state.warningsAcknowledged ? "Enter again sends it anyway." : "Asks once more before it is sent.")
        }
        lines += ["", "on \(state.endpoint)\(state.label.map { " [\($0)]" } ?? "")"]
        return lines
    }
}

// MARK: Audit log

/// How an action is written to the audit log: its name in the CLI's vocabulary, its arguments,
/// and the value it changes before and after.
extension ConsoleAction {
    /// The action in the audit log's vocabulary, shared with the CLI.
    public var auditAction: AuditAction {
        switch self {
        case .killJobs(let ids): .killJob(ids: ids)
        case .offlineWorker(let id): .offlineWorker(id: id, requestor: HostEnvironment.userName)
        case .reinstateWorker(let id): .reinstateWorker(id: id, requestor: HostEnvironment.userName)
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
