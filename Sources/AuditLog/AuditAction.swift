import Foundation
import HostEnvironment

/// The state-changing actions the audit log records and their arguments: the one vocabulary and
/// argument schema that the console, the CLI and the scheduler's own entries (rebalances) share,
/// so that one log reads the same whoever wrote a line.
public enum AuditAction: Sendable, Hashable {
    case runJob(definition: String)
    /// One or more jobs killed at once (the console's marked jobs).
    case killJob(ids: [String])
    case offlineWorker(id: String, requestor: String?)
    case reinstateWorker(id: String, requestor: String?)
    case setMaxTasks(Int32)
    case setClassLoadPercents([String: Int32])
    case setRequestorMap([String: String])
    case setRebalanceThreshold(Int32)
    case setRebalanceMinimumDuration(Int32)
    /// scootcl's `set-scheduling-alg-params`: any of the four settings at once, merged or not.
    case setSchedulingParameters(minutes: Int32?, threshold: Int32?, percents: [String: Int32]?, map: [String: String]?, merge: Bool)
    /// A rebalance the scheduler started on its own.
    case rebalance

    /// The action's name in the log, as the CLI's subcommands spell it.
    public var name: String {
        switch self {
        case .runJob: "run-job"
        case .killJob: "kill-job"
        case .offlineWorker: "offline-worker"
        case .reinstateWorker: "reinstate-worker"
        case .setMaxTasks: "set-scheduler-status"
        case .setClassLoadPercents: "set-class-load-percents"
        case .setRequestorMap: "set-requestor-map"
        case .setRebalanceThreshold: "set-rebalance-threshold"
        case .setRebalanceMinimumDuration: "set-rebalance-minimum-duration"
        case .setSchedulingParameters: "set-scheduling-alg-params"
        case .rebalance: "rebalance"
        }
    }

    /// Every argument name the log uses, with what it holds: the schema (docs/console.md lists it).
    public static let argumentSchema: [(name: String, meaning: String)] = [
        ("job", "job ids, comma-separated"),
        ("worker", "a worker id"),
        ("requestor", "who asked (offline and reinstate carry it to Scoot)"),
        ("maxTasks", "the task throttle, -1 for unlimited"),
        ("percents", "class load percents as a JSON object, keys sorted"),
        ("map", "the requestor map as a JSON object (pattern → class), keys sorted"),
        ("threshold", "rebalance threshold in percentage points"),
        ("minutes", "rebalance minimum duration in minutes"),
        ("merge", "true when the percents and map were laid over the current ones"),
        ("definition", "a job definition as JSON"),
    ]

    /// The arguments by name, as the schema spells them.
    public var arguments: [String: String] {
        switch self {
        case .runJob(let definition): return ["definition": definition]
        case .killJob(let ids): return ["job": ids.joined(separator: ",")]
        case .offlineWorker(let id, let requestor), .reinstateWorker(let id, let requestor):
            var arguments = ["worker": id]
            if let requestor { arguments["requestor"] = requestor }
            return arguments
        case .setMaxTasks(let value): return ["maxTasks": String(value)]
        case .setClassLoadPercents(let percents): return ["percents": Self.json(percents)]
        case .setRequestorMap(let map): return ["map": Self.json(map)]
        case .setRebalanceThreshold(let value): return ["threshold": String(value)]
        case .setRebalanceMinimumDuration(let value): return ["minutes": String(value)]
        case .setSchedulingParameters(let minutes, let threshold, let percents, let map, let merge):
            var arguments: [String: String] = [:]
            if let minutes { arguments["minutes"] = String(minutes) }
            if let threshold { arguments["threshold"] = String(threshold) }
            if let percents { arguments["percents"] = Self.json(percents) }
            if let map { arguments["map"] = Self.json(map) }
            if merge { arguments["merge"] = "true" }
            return arguments
        case .rebalance: return [:]
        }
    }

    /// A JSON object with sorted keys, unambiguous whatever the patterns hold (`,` and `=`).
    static func json<Value: Encodable>(_ object: [String: Value]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension AuditEntry {
    /// Who wrote an entry.
    public enum Source: String, Sendable, Hashable, CaseIterable {
        case console, cli
        /// The scheduler's own action, seen by the console (a rebalance).
        case scheduler
    }

    /// An entry for `action`, stamped with `time` (default: now).
    public init(
        time: Date = Date(), operatorName: String = HostEnvironment.userName, endpoint: String, source: Source, action: AuditAction,
        before: String? = nil, after: String? = nil, outcome: Outcome, error: String? = nil
    ) {
        self.init(
            time: time, operatorName: operatorName, endpoint: endpoint, source: source.rawValue, action: action.name, arguments: action.arguments,
            before: before, after: after, outcome: outcome, error: error)
    }
}
