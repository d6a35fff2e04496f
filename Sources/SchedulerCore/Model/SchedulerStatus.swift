/// The answer to `GetSchedulerStatus`.
public struct SchedulerStatus: Sendable, Hashable {
    /// Tasks not yet completed (running + waiting) over all in-memory jobs.
    public var currentTasks: Int
    /// The task throttle; −1 means unlimited.
    public var maxTasks: Int

    /// Creates a scheduler status.
    public init(currentTasks: Int, maxTasks: Int) {
        self.currentTasks = currentTasks
        self.maxTasks = maxTasks
    }
}
