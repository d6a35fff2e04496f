import SchedulerCore
import ScootAPI

/// The built-in demo workload: several requestors in several classes submit a mix of short and
/// long tasks, some of which fail, so every pane of the console is alive within seconds. Tasks
/// are `sleep N` (simulated workers "run" them for N seconds) and `sh -c 'exit 1'`.
///
/// It reaches a steady state: a submission is skipped while the scheduler already holds
/// `maximumQueuedTasks` tasks (running and waiting), so the queue stays bounded however long the
/// demo runs, and the class loads move slowly enough to drill on (a rebalance, a kill).
public struct DemoWorkload: Sendable {
    /// Jobs submitted per minute while the queue is under its bound.
    public var jobsPerMinute: Double
    /// The most tasks the scheduler may hold before the workload waits.
    public var maximumQueuedTasks: Int
    private let requestors = ["land-bot", "diff-alice", "diff-bob", "CI-regression", "sandbox-dev", "ktf-nightly", "coverage-daily", "tryout-x"]

    /// A workload of `jobsPerMinute` jobs a minute, holding at most `maximumQueuedTasks` tasks
    /// in the scheduler (a few per worker is a busy cluster with a short queue).
    public init(jobsPerMinute: Double = 20, maximumQueuedTasks: Int = 120) {
        self.jobsPerMinute = jobsPerMinute
        self.maximumQueuedTasks = maximumQueuedTasks
    }

    /// Whether to submit the next job when the scheduler holds `currentTasks` tasks.
    public func shouldSubmit(currentTasks: Int) -> Bool { currentTasks < maximumQueuedTasks }

    /// The `index`th job: deterministic, so demos look the same every time.
    public func job(_ index: Int) -> ScootAPI.JobDefinition {
        var generator = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9 &+ 7)
        let taskCount = [3, 5, 8, 12, 20, 40][Int(generator.next() % 6)]
        let tasks = (0..<taskCount).map { task -> ScootAPI.TaskDefinition in
            let roll = generator.next() % 100
            let argv: [String] = roll < 6 ? ["sh", "-c", "exit 1"] : ["sleep", String(1 + generator.next() % (roll < 70 ? 8 : 60))]
            return ScootAPI.TaskDefinition(command: Command(argv: argv), snapshotId: "snapshot-\(generator.next() % 3)", taskId: "task-\(task)")
        }
        return ScootAPI.JobDefinition(tasks: tasks, priority: Int32(generator.next() % 3), requestor: requestors[index % requestors.count])
    }

    /// Submits jobs forever (until cancelled) through `client`; refused jobs are skipped.
    public func run(client: CloudScootClient) async {
        var index = 0
        let pause = Duration.milliseconds(Int64(60_000 / max(0.1, jobsPerMinute)))
        // A burst first, so the panes fill at once.
        for _ in 0..<6 {
            _ = try? await client.runJob(job: job(index))
            index += 1
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: pause)
            guard !Task.isCancelled else { break }
            // An unknown queue (the status call failed) counts as full: wait, do not pile on.
            let current = (try? await client.getSchedulerStatus()).map { Int($0.currentTasks) } ?? maximumQueuedTasks
            guard shouldSubmit(currentTasks: current) else { continue }
            _ = try? await client.runJob(job: job(index))
            index += 1
        }
    }
}
