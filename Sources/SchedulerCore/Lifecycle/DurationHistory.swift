/// Running mean of attempt durations per task id (docs/scoot.md, "Historical durations"), used to
/// order a new job's tasks longest first. Unlike Scoot, adding a job inserts no 0-duration sample
/// for unseen task ids, so the first real sample is the mean (Scoot averages it with that 0).
/// Bounded, unlike Scoot's: the task ids measured most recently are kept, at most
/// 2 × `generationSize` (about 100 bytes each); an older id starts again from no sample.
struct DurationHistory: Sendable {
    /// Task ids per generation of `RecentEntries`.
    static let generationSize = 100_000

    private var means = RecentEntries<String, (mean: Double, count: Int)>(generationSize: generationSize)

    /// The mean duration in seconds; 0 for a task id never measured.
    func meanSeconds(of taskID: String) -> Double { means[taskID]?.mean ?? 0 }

    /// Adds one sample: new mean = old + (d − old) / count.
    mutating func record(taskID: String, duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let (mean, count) = means[taskID] ?? (0, 0)
        means[taskID] = (mean + (seconds - mean) / Double(count + 1), count + 1)
    }

    /// `tasks` by descending mean duration, given their means in the same order (`meanSeconds`,
    /// read on the scheduler's actor; the sort itself needs no scheduler state); ties keep their
    /// submitted order (Scoot's sort is not stable, so its tie order is unspecified).
    static func longestFirst(_ tasks: [TaskDefinition], means: [Double]) -> [TaskDefinition] {
        // No task was ever measured (the common case): the submitted order.
        guard means.contains(where: { $0 != 0 }) else { return tasks }
        return tasks.indices
            .sorted { means[$0] != means[$1] ? means[$0] > means[$1] : $0 < $1 }
            .map { tasks[$0] }
    }
}
