/// Per class load from the last step that ran the scheduling algorithm.
public struct ClassLoadReport: Sendable, Hashable {
    /// One class's numbers.
    public struct ClassLoad: Sendable, Hashable {
        /// The class name.
        public var name: String
        /// Its normalized percent.
        public var percent: Int
        /// Its entitlement in workers.
        public var target: Int
        /// Its running tasks.
        public var running: Int
        /// Its waiting tasks before that step.
        public var waiting: Int
        /// Workers on loan to it: max(0, running − target).
        public var loaned: Int
        /// Tasks that step decided to start.
        public var starting: Int
        /// Tasks that step decided to stop (rebalance).
        public var stopping: Int
    }

    /// When the step ran.
    public var decidedAt: SchedulerInstant
    /// The classes, by descending percent then name.
    public var classes: [ClassLoad]
    /// The spread in percentage points.
    public var spread: Int
    /// Whether that step rebalanced.
    public var rebalanced: Bool
    /// Since when the spread has been above the rebalance threshold, if it is.
    public var rebalanceExceededSince: SchedulerInstant?
    /// When the pending rebalance fires if the spread stays above the threshold.
    public var rebalanceFiresAt: SchedulerInstant?
}
