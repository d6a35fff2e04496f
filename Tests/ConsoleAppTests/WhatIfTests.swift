import SchedulerCore
import ScootAPI
import ScootServer
import Testing
import Thrift
@testable import ConsoleApp

/// The what-if preview is the scheduler's next step: applied on a simulated cluster, the change
/// starts exactly the tasks per class that the preview promised.
@Suite("What-if previews against the scheduler")
struct WhatIfTests {
    /// A scheduler with `workers` simulated workers whose tasks run for an hour, the console's
    /// data source on it, and jobs: `running` started in a first step, `waiting` submitted after.
    static func cluster(workers: Int, running: [(String, Int)], waiting: [(String, Int)]) async throws -> (Scheduler, ThriftDataSource) {
        let clock = ManualClock()
        let scheduler = Scheduler(
            clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: workers, durationModel: .fixed(.seconds(3600)))))
        func submit(_ requestor: String, _ tasks: Int) async throws {
            _ = try await scheduler.runJob(SchedulerCore.JobDefinition(
                tasks: (0..<tasks).map { .init(taskID: "t\($0)", argv: ["sleep", "3600"]) }, requestor: requestor))
        }
        for (requestor, tasks) in running { try await submit(requestor, tasks) }
        await scheduler.step()
        for (requestor, tasks) in waiting { try await submit(requestor, tasks) }
        let processor = ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))
        return (scheduler, ThriftDataSource(caller: ThriftLoopbackCaller(processor: processor)))
    }

    /// Running tasks per class, as the scheduler counts them.
    static func running(_ scheduler: Scheduler) async -> [String: Int] {
        Dictionary(await scheduler.jobs().map { ($0.className, $0.taskCounts.running) }, uniquingKeysWith: +)
    }

    @Test(arguments: [
        ["land": 10, "diff": 20, "ktf": 70] as [String: Int32],
        ["land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2, "unknown": 1],
        ["land": 1, "diff": 1, "ktf": 98],
    ])
    func theStartsPerClassAreTheSchedulersNextStep(percents: [String: Int32]) async throws {
        let (scheduler, source) = try await Self.cluster(
            workers: 24, running: [("land-a", 5), ("diff-b", 3)], waiting: [("land-c", 30), ("diff-d", 30), ("ktf-e", 30)])
        // The Jobs pane is shown, not the Workers pane: the worker list is not fetched.
        let snapshot = try await source.fetch(selectedJob: nil, workers: false)
        #expect(snapshot.workers.isEmpty && snapshot.workerCounts?.available == 24)
        let preview = try #require(WhatIf.preview(snapshot, percents: percents))
        #expect(preview.map(\.target).reduce(0, +) == 24, "targets share out the 24 workers, not the tasks in progress")

        let before = await Self.running(scheduler)
        try await scheduler.setClassLoadPercents(percents.mapValues(Int.init))
        await scheduler.step()
        let after = await Self.running(scheduler)
        for item in preview {
            #expect(item.start == (after[item.name] ?? 0) - (before[item.name] ?? 0), "\(item.name): preview \(item.start)")
            #expect(item.running == before[item.name] ?? 0)
        }
    }

    @Test func anIdleClusterStillHasTargets() async throws {
        let (_, source) = try await Self.cluster(workers: 10, running: [], waiting: [])
        let snapshot = try await source.fetch(selectedJob: nil, workers: false)
        let preview = try #require(WhatIf.preview(snapshot, percents: ["land": 60, "diff": 40]))
        #expect(preview.map(\.target) == [6, 4])
    }
}
