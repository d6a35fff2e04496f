/// The settings clients change at run time (docs/scoot.md, "Settings persistence"), persisted as
/// one value.
public struct SchedulerSettings: Sendable, Hashable {
    /// Class → percent, normalized to a sum of 100.
    public var classLoadPercents: [String: Int]
    /// Requestor regex → class.
    public var requestorToClassMap: [String: String]
    /// The rebalance spread threshold in percentage points.
    public var rebalanceThreshold: Int
    /// Minutes the spread must stay above the threshold before a rebalance.
    public var rebalanceMinimumDurationMinutes: Int
    /// The task throttle; −1 = unlimited.
    public var maxTasks: Int

    /// Creates a settings value.
    public init(
        classLoadPercents: [String: Int], requestorToClassMap: [String: String], rebalanceThreshold: Int,
        rebalanceMinimumDurationMinutes: Int, maxTasks: Int
    ) {
        self.classLoadPercents = classLoadPercents
        self.requestorToClassMap = requestorToClassMap
        self.rebalanceThreshold = rebalanceThreshold
        self.rebalanceMinimumDurationMinutes = rebalanceMinimumDurationMinutes
        self.maxTasks = maxTasks
    }
}
