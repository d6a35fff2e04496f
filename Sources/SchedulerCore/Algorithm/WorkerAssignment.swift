/// Places tasks on idle workers with snapshot affinity (docs/scoot.md, "Worker selection and
/// snapshot affinity"): a worker that last ran the task's snapshot, else a fresh worker (snapshot
/// ""), else any idle worker. Scoot picks "any" arbitrarily; we take the first by snapshot id, then
/// worker id, so results repeat.
public enum WorkerAssignment {
    /// An idle worker and the snapshot of the last task it ran ("" when fresh).
    public struct IdleWorker: Sendable, Hashable {
        /// The worker's id.
        public var id: String
        /// The last snapshot it ran, or "".
        public var lastSnapshotID: String

        /// Creates an idle worker.
        public init(id: String, lastSnapshotID: String) {
            self.id = id
            self.lastSnapshotID = lastSnapshotID
        }
    }

    /// A task to place and the snapshot it needs.
    public struct Placement: Sendable, Hashable {
        /// The task.
        public var task: TaskReference
        /// The worker chosen for it.
        public var workerID: String

        /// Creates a placement.
        public init(task: TaskReference, workerID: String) {
            self.task = task
            self.workerID = workerID
        }
    }

    /// Assigns tasks in list order until no idle worker is left; tasks that get none wait.
    public static func assign(tasks: [(task: TaskReference, snapshotID: String)], idleWorkers: [IdleWorker]) -> [Placement] {
        var groups: [String: [String]] = [:]
        for worker in idleWorkers.sorted(by: { $0.id > $1.id }) { groups[worker.lastSnapshotID, default: []].append(worker.id) }
        var placements: [Placement] = []
        for (task, snapshotID) in tasks {
            let group: String?
            if groups[snapshotID]?.isEmpty == false {
                group = snapshotID
            } else if groups[""]?.isEmpty == false {
                group = ""
            } else {
                group = groups.filter { !$0.value.isEmpty }.keys.min()
            }
            guard let group, let worker = groups[group]?.popLast() else { break }
            placements.append(Placement(task: task, workerID: worker))
        }
        return placements
    }
}
