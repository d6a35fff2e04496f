import Testing
@testable import SchedulerCore

@Suite("Task progress: worker and times of the latest attempt")
struct TaskProgressTests {
    @Test func anUnknownJobHasNoTasks() async {
        let cluster = SimulatedCluster()
        #expect(await cluster.scheduler.tasks(ofJob: "nope") == nil)
    }

    @Test func aWaitingTaskHasNoWorkerAndNoTimes() async throws {
        let cluster = SimulatedCluster(workers: 0)
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2))
        await cluster.scheduler.step()
        let tasks = try #require(await cluster.scheduler.tasks(ofJob: id))
        #expect(tasks.map(\.taskID) == ["t0", "t1"])
        #expect(tasks.allSatisfy { $0.status == .notStarted && $0.workerID == nil && $0.startedAt == nil && $0.endedAt == nil })
        #expect(tasks.allSatisfy { $0.attempts == 0 })
    }

    @Test func aTaskKeepsItsWorkerAndStartAfterItCompletes() async throws {
        let cluster = SimulatedCluster(workers: 1)
        cluster.clock.advance(by: .seconds(5))
        let id = try await cluster.scheduler.runJob(simpleJob(argv: ["sleep", "2"]))
        await cluster.scheduler.step()
        let running = try #require(await cluster.scheduler.tasks(ofJob: id)?.first)
        #expect(running == TaskProgress(taskID: "t0", status: .inProgress, workerID: "sim-worker-0", startedAt: .seconds(5), endedAt: nil, attempts: 1))

        let endedAt = try #require(await cluster.stepUntil { await $0.status(of: id).status == .completed })
        let done = try #require(await cluster.scheduler.tasks(ofJob: id)?.first)
        #expect(done == TaskProgress(taskID: "t0", status: .completed, workerID: "sim-worker-0", startedAt: .seconds(5), endedAt: endedAt, attempts: 1))
        #expect(endedAt - .seconds(5) == .seconds(2))
    }

    @Test func aRetryMovesTheStartToTheLatestAttempt() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 1
        let cluster = SimulatedCluster(
            workers: 1, configuration: configuration, outcomeOverride: { $0.attemptID == 1 ? .failure("first try fails") : nil })
        let id = try await cluster.scheduler.runJob(simpleJob())
        await cluster.scheduler.step()
        let endedAt = try #require(await cluster.stepUntil { await $0.status(of: id).status == .completed })
        let task = try #require(await cluster.scheduler.tasks(ofJob: id)?.first)
        #expect(task.attempts == 2)
        #expect(task.workerID == "sim-worker-0")
        #expect(try #require(task.startedAt) > .zero, "the second attempt started after the first failed")
        #expect(task.endedAt == endedAt)
    }

    @Test func aKillEndsWaitingAndRunningTasksAtTheKillTime() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2, argv: ["sleep", "10"]))
        await cluster.scheduler.step()
        cluster.clock.advance(by: .milliseconds(400))
        _ = try await cluster.scheduler.kill(jobID: id)
        let tasks = try #require(await cluster.scheduler.tasks(ofJob: id))
        let running = try #require(tasks.first { $0.workerID != nil })
        let waiting = try #require(tasks.first { $0.workerID == nil })
        #expect(running.status == .completed)
        #expect(running.startedAt == .zero)
        #expect(running.endedAt == .milliseconds(400))
        #expect(waiting == TaskProgress(taskID: waiting.taskID, status: .completed, workerID: nil, startedAt: nil, endedAt: .milliseconds(400), attempts: 0))
    }
}
