/// A worker inside the scheduler.
struct WorkerRecord: Sendable {
    /// Which pool the worker is in (docs/scoot.md, "Worker membership and health" and
    /// "Offlining and reinstating workers").
    enum Membership: Sendable, Hashable {
        /// Counted in W; gets work when idle.
        case healthy
        /// Taken out of rotation by a user; finishes its current run, gets no new work.
        case offlined
        /// Left the cluster at this instant; forgotten after the lost-worker grace period.
        case suspended(since: SchedulerInstant)
    }

    let id: String
    var membership: Membership = .healthy
    /// The attempt it is running and its task.
    var current: (attemptID: Int, task: TaskReference)?
    var lastSnapshotID = ""
    var tasksRun = 0

    init(id: String) {
        self.id = id
    }

    var isIdleAndHealthy: Bool { membership == .healthy && current == nil }
}
