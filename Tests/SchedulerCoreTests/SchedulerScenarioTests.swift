import Testing
@testable import SchedulerCore

@Suite("Scheduler scenarios on simulated time")
struct SchedulerScenarioTests {
    @Test func tenWorkersRunThreeJobsOfTwentyOneSecondTasksInSixSeconds() async throws {
        let cluster = SimulatedCluster(workers: 10)
        var ids: [String] = []
        for requestor in ["land-a", "land-b", "diff-c"] { ids.append(try await cluster.scheduler.runJob(simpleJob(tasks: 20, requestor: requestor))) }
        let doneAt = await cluster.stepUntil {
            var all = true
            for id in ids where await $0.status(of: id).status != .completed { all = false }
            return all
        }
        #expect(doneAt == .seconds(6))
        #expect(await cluster.scheduler.workers().map(\.tasksRun) == Array(repeating: 6, count: 10))
        #expect(await cluster.scheduler.jobs().map(\.taskCounts) == Array(repeating: JobSummary.TaskCounts(completed: 20), count: 3))
    }

    @Test func aJobsTasksRunLongestFirstByHistoricalMean() async throws {
        let cluster = SimulatedCluster(workers: 3)
        func job() -> JobDefinition {
            JobDefinition(tasks: [("short", "1"), ("long", "5"), ("mid", "3")].map { TaskDefinition(taskID: $0.0, argv: ["sleep", $0.1]) })
        }
        let first = try await cluster.scheduler.runJob(job())
        #expect(await cluster.stepUntil { await $0.status(of: first).status == .completed } != nil)
        try await cluster.scheduler.offlineWorker(id: "sim-worker-1", requestor: "ops")
        try await cluster.scheduler.offlineWorker(id: "sim-worker-2", requestor: "ops")

        let second = try await cluster.scheduler.runJob(job())
        var order: [String] = []
        _ = await cluster.stepUntil {
            if let task = await $0.workers().first?.currentTask, task.jobID == second, order.last != task.taskID { order.append(task.taskID) }
            return await $0.status(of: second).status == .completed
        }
        #expect(order == ["long", "mid", "short"])
    }

    @Test func classesShareTheClusterAsTheAlgorithmDecides() async throws {
        // 10 workers, Scoot's default percents: land's target is 6, diff's 2; land borrows the
        // 2 workers no other class wants (docs/scoot.md, "Loan rounds").
        let cluster = SimulatedCluster(workers: 10)
        let land = try await cluster.scheduler.runJob(simpleJob(tasks: 20, argv: ["sleep", "100"], requestor: "land-bot"))
        let diff = try await cluster.scheduler.runJob(simpleJob(tasks: 20, argv: ["sleep", "100"], requestor: "diff-bot"))
        await cluster.scheduler.step()
        let running = Dictionary(uniqueKeysWithValues: await cluster.scheduler.jobs().map { ($0.id, $0.taskCounts.running) })
        #expect(running == [land: 8, diff: 2])
        let report = try #require(await cluster.scheduler.classLoads())
        let byName = Dictionary(uniqueKeysWithValues: report.classes.map { ($0.name, $0) })
        #expect(report.classes.first?.name == "land")
        #expect(byName["land"]?.target == 6)
        #expect(byName["land"]?.starting == 8)
        #expect(byName["diff"]?.starting == 2)
        #expect(byName["land"]?.waiting == 20)
        #expect(report.decidedAt == .zero)
    }

    @Test func aRebalanceStopsTheNewestTasksOfTheOverloadedClassWithoutRetry() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 3
        let cluster = SimulatedCluster(workers: 10, configuration: configuration)
        try await cluster.scheduler.setClassLoadPercents(["a": 50, "b": 50])
        try await cluster.scheduler.setRequestorToClassMap(["^a": "a", "^b": "b"])
        try await cluster.scheduler.setRebalanceThreshold(10)
        try await cluster.scheduler.setRebalanceMinimumDuration(1)

        let greedy = try await cluster.scheduler.runJob(simpleJob(tasks: 20, argv: ["sleep", "10000"], requestor: "a-bot"))
        await cluster.scheduler.step()
        await cluster.advance(by: .seconds(5))
        let late = try await cluster.scheduler.runJob(simpleJob(tasks: 10, argv: ["sleep", "10000"], requestor: "b-bot"))
        await cluster.scheduler.step()
        let pending = try #require(await cluster.scheduler.classLoads())
        #expect(pending.spread == 100)
        #expect(pending.rebalanceExceededSince == .seconds(5))
        #expect(pending.rebalanceFiresAt == .seconds(65))

        let rebalancedAt = await cluster.stepUntil { await $0.classLoads()?.rebalanced == true }
        #expect(rebalancedAt.map { $0 > .seconds(65) && $0 <= .seconds(66) } == true, "\(String(describing: rebalancedAt))")
        let stopped = await cluster.scheduler.status(of: greedy).taskData.values.filter { $0.state == .aborted }
        #expect(stopped.count == 5)
        #expect(stopped.allSatisfy { $0.error == "RebalanceRequested -> Error(s) encountered, canceling task." })
        let counts = Dictionary(uniqueKeysWithValues: await cluster.scheduler.jobs().map { ($0.id, $0.taskCounts) })
        #expect(counts[greedy] == JobSummary.TaskCounts(waiting: 10, running: 5, failed: 5, preempted: 5), "stopped tasks are not retried")
        #expect(await cluster.scheduler.recentRebalances().map(\.stopped.count) == [5])
        #expect(counts[late]?.running == 5)
    }

    @Test func aWorkerThatRanASnapshotGetsTheNextTaskOfThatSnapshot() async throws {
        let cluster = SimulatedCluster(workers: 3)
        func job(_ snapshot: String) -> JobDefinition {
            JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: ["sleep", "1"], snapshotID: snapshot)])
        }
        let first = try await cluster.scheduler.runJob(job("snap-a"))
        #expect(await cluster.stepUntil { await $0.status(of: first).status == .completed } != nil)
        let warm = try #require(await cluster.scheduler.workers().first { $0.lastSnapshotID == "snap-a" })
        _ = try await cluster.scheduler.runJob(job("snap-a"))
        await cluster.scheduler.step()
        let busy = await cluster.scheduler.workers().filter { $0.state == .busy }
        #expect(busy.map(\.id) == [warm.id])
        #expect(busy.first?.tasksRun == 2)
    }

    @Test func aJobOfAZeroPercentClassNeverRuns() async throws {
        let cluster = SimulatedCluster(workers: 2)
        try await cluster.scheduler.setClassLoadPercents(["main": 100, "parked": 0])
        try await cluster.scheduler.setRequestorToClassMap(["^parked": "parked", "^some": "main"])
        let parked = try await cluster.scheduler.runJob(simpleJob(requestor: "parked-bot"))
        let normal = try await cluster.scheduler.runJob(simpleJob(requestor: "someone"))
        #expect(await cluster.stepUntil(limit: .seconds(60)) { await $0.status(of: normal).status == .completed } != nil)
        await cluster.advance(by: .seconds(60))
        #expect(await cluster.scheduler.status(of: parked).taskStatus == ["t0": .notStarted])
        #expect(await cluster.scheduler.classLoads()?.classes.map(\.name) == ["main", "parked"])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aBusyMixedClusterDrainsWithEveryTaskRunExactlyOnce(seed: UInt64) async throws {
        let cluster = SimulatedCluster(workers: 25, durationModel: .uniform(.milliseconds(200)...(.seconds(20)), seed: seed))
        let requestors = ["land-1", "land-2", "diff-1", "regression-1", "sandbox-1", "ktf-1", "nobody"]
        var ids: [String] = []
        for index in 0..<40 {
            let tasks = (0..<(5 + index % 11)).map { TaskDefinition(taskID: "task-\($0)", argv: ["build"]) }
            ids.append(try await cluster.scheduler.runJob(JobDefinition(tasks: tasks, requestor: requestors[index % requestors.count])))
        }
        let total = 40 * 5 + (0..<40).reduce(0) { $0 + $1 % 11 }
        let drainedAt = await cluster.stepUntil(limit: .seconds(3600)) { await $0.schedulerStatus().currentTasks == 0 }
        #expect(drainedAt != nil)
        #expect(await cluster.scheduler.workers().reduce(0) { $0 + $1.tasksRun } == total)
        #expect(await cluster.scheduler.workers().allSatisfy { $0.state == .idle })
        let counts = await cluster.scheduler.jobs().map(\.taskCounts)
        #expect(counts.reduce(0) { $0 + $1.completed } == total)
        for id in ids { #expect(await cluster.scheduler.status(of: id).status == .completed) }
        #expect(cluster.workers.activeRunCount == 0)
    }

    @Test func runStepsOnEveryTickUntilCancelled() async throws {
        let cluster = SimulatedCluster(workers: 2)
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 4))
        let loop = Task { await cluster.scheduler.run() }
        var ticks = 0
        while ticks < 100 {
            // The loop sleeps once it has stepped.
            while cluster.clock.sleeperCount == 0 { await Task.yield() }
            if await cluster.scheduler.status(of: id).status == .completed { break }
            cluster.clock.advance(by: .milliseconds(250))
            ticks += 1
        }
        #expect(ticks == 8, "two waves of one second at four ticks a second")
        loop.cancel()
        await loop.value
    }

    @Test func stopEndsTheRunLoopAfterItsTick() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let loop = Task { await cluster.scheduler.run() }
        while cluster.clock.sleeperCount == 0 { await Task.yield() }
        await cluster.scheduler.stop()
        cluster.clock.advance(by: .milliseconds(250))
        await loop.value
        #expect(cluster.clock.sleeperCount == 0)
        #expect(await cluster.scheduler.workers().count == 1, "the loop stepped before it stopped")
    }
}
