/// The cluster's load over the last polls, one sample per successful poll, oldest first and
/// bounded: what the Classes pane's sparklines draw.
public struct LoadHistory: Sendable, Hashable {
    /// How many polls are kept (four minutes at the default 1 s refresh).
    public static let capacity = 240

    /// Running + waiting tasks (GetSchedulerStatus), available from any Scoot scheduler.
    public private(set) var tasks: [Int] = []
    /// Running tasks per class, for the classes in the latest poll.
    public private(set) var runningByClass: [String: [Int]] = [:]
    /// Waiting tasks per class, for the classes in the latest poll.
    public private(set) var waitingByClass: [String: [Int]] = [:]

    public init() {}

    /// Adds one poll's numbers; classes missing from `snapshot` are forgotten.
    public mutating func record(_ snapshot: ClusterSnapshot) {
        Self.append(Int(snapshot.schedulerStatus.currentTasks), to: &tasks)
        let classes = snapshot.load?.classes ?? []
        // In place: a poll appends to each series without copying it.
        let names = Set(classes.map(\.name))
        for name in runningByClass.keys where !names.contains(name) { runningByClass[name] = nil }
        for name in waitingByClass.keys where !names.contains(name) { waitingByClass[name] = nil }
        for item in classes {
            Self.append(Int(item.running), to: &runningByClass[item.name, default: []])
            Self.append(Int(item.waiting), to: &waitingByClass[item.name, default: []])
        }
    }

    private static func append(_ value: Int, to series: inout [Int]) {
        series.append(value)
        if series.count > capacity { series.removeFirst(series.count - capacity) }
    }
}
