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
