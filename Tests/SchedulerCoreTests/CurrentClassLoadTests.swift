import Testing
@testable import SchedulerCore

/// The console's class loads must follow the cluster even when the algorithm is not running
/// (it runs only while tasks wait): found when the Classes pane kept showing running tasks of
/// jobs that had finished.
@Suite("Current class loads")
struct CurrentClassLoadTests {
    @Test func runningFollowsTheClusterAfterTheLastTaskStarted() async throws {
        let cluster = SimulatedCluster(workers: 10)
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 4, argv: ["sleep", "10"], requestor: "land-bot"))
        await cluster.scheduler.step()
        let land = { (report: ClassLoadReport) in report.classes.first { $0.name == "land" } }
        #expect(land(await cluster.scheduler.currentClassLoads())?.running == 4)
        #expect(land(await cluster.scheduler.currentClassLoads())?.starting == 0, "nothing waits: the next step starts nothing")

        await cluster.advance(by: .seconds(20))
        await cluster.scheduler.step()
        #expect(land(try #require(await cluster.scheduler.classLoads()))?.running == 0, "the last decision was taken before the starts")
        let now = await cluster.scheduler.currentClassLoads()
        #expect(land(now)?.running == 0)
        #expect(land(now)?.waiting == 0)
        #expect(now.decidedAt == .seconds(20))
    }

    @Test func whileTasksWaitItShowsWhatTheNextStepWouldDo() async throws {
        let cluster = SimulatedCluster(workers: 2)
        await cluster.scheduler.step()  // the workers join
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 5, argv: ["sleep", "10"], requestor: "land-bot"))
        let before = await cluster.scheduler.currentClassLoads()
        #expect(before.classes.first { $0.name == "land" }?.starting == 2)
        #expect(before.classes.first { $0.name == "land" }?.waiting == 5)
        #expect(await cluster.scheduler.jobs().first?.taskCounts.running == 0, "asking does not start anything")
    }

    @Test func noRebalanceCountdownOnceNothingWaits() async throws {
        let cluster = SimulatedCluster(workers: 4)
        try await cluster.scheduler.setClassLoadPercents(["a": 50, "b": 50])
        try await cluster.scheduler.setRequestorToClassMap(["^a": "a", "^b": "b"])
        try await cluster.scheduler.setRebalanceThreshold(10)
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 4, argv: ["sleep", "1000"], requestor: "a-bot"))
        await cluster.scheduler.step()
        let starved = try await cluster.scheduler.runJob(simpleJob(tasks: 2, argv: ["sleep", "1000"], requestor: "b-bot"))
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.currentClassLoads().rebalanceFiresAt != nil, "b waits while a holds every worker")
        _ = try await cluster.scheduler.kill(jobID: starved)
        await cluster.scheduler.step()
        #expect(try #require(await cluster.scheduler.classLoads()).rebalanceFiresAt != nil, "the last decision still has the timer")
        let report = await cluster.scheduler.currentClassLoads()
        #expect(report.rebalanceFiresAt == nil, "nothing waits: the scheduler does not step, so no rebalance can fire")
        #expect(report.rebalanceExceededSince == nil)
    }
}
