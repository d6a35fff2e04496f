/// Running mean of attempt durations per task id (docs/scoot.md, "Historical durations"), used to
/// order a new job's tasks longest first. Unlike Scoot, adding a job inserts no 0-duration sample
/// for unseen task ids, so the first real sample is the mean (Scoot averages it with that 0).
struct DurationHistory {
    private var means: [String: (mean: Double, count: Int)] = [:]

    /// The mean duration in seconds; 0 for a task id never measured.
    func meanSeconds(of taskID: String) -> Double { means[taskID]?.mean ?? 0 }

    /// Adds one sample: new mean = old + (d − old) / count.
    mutating func record(taskID: String, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let (mean, count) = means[taskID] ?? (0, 0)
        means[taskID] = (mean + (seconds - mean) / Double(count + 1), count + 1)
    }

    /// `tasks` by descending mean duration; ties keep their submitted order (Scoot's sort is not
    /// stable, so its tie order is unspecified).
    func longestFirst(_ tasks: [TaskDefinition]) -> [TaskDefinition] {
        tasks.enumerated()
            .sorted { lhs, rhs in
                let (left, right) = (meanSeconds(of: lhs.element.taskID), meanSeconds(of: rhs.element.taskID))
                return left != right ? left > right : lhs.offset < rhs.offset
            }
            .map(\.element)
    }
}
