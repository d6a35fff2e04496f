/// One worker as the console lists it.
public struct WorkerSummary: Sendable, Hashable {
    /// What a worker is doing.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Healthy and free.
        case idle
        /// Healthy and running a task.
        case busy
        /// Taken out of rotation by `offlineWorker`; may still finish a task.
        case offline
        /// Gone from the cluster and waiting to come back within the lost-worker grace period.
        case suspended
    }

    /// The worker's id.
    public var id: String
    /// Its state.
    public var state: State
    /// The task it is running, if any.
    public var currentTask: TaskReference?
    /// The snapshot of the last task it ran ("" when fresh).
    public var lastSnapshotID: String
    /// How many task attempts it has started.
    public var tasksRun: Int
}
