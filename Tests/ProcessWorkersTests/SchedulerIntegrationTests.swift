import Foundation
import ProcessWorkers
import SchedulerCore
import Testing

/// The scheduler driving real processes on the real clock, woken by the workers' events.
@Suite struct SchedulerIntegrationTests {
    @Test func aJobOfFourTrueTasksCompletesOnTwoWorkers() async throws {
        let harness = try await RunHarness(workerCount: 2)
        let scheduler = Scheduler(clock: ContinuousSchedulerClock(), backend: harness.workers)
        let loop = Task { await scheduler.run() }
        let started = ContinuousClock.now
        let tasks = (0..<4).map { TaskDefinition(taskID: "task-\($0)", argv: ["true"]) }
        let id = try await scheduler.runJob(JobDefinition(tasks: tasks))
        var status = await scheduler.status(of: id)
        while status.status != .completed, ContinuousClock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(10))
            status = await scheduler.status(of: id)
        }
        loop.cancel()
        await loop.value
        #expect(status.status == .completed)
        #expect(status.taskData.count == 4)
        for run in status.taskData.values {
            #expect(run.state == .complete && run.exitCode == 0 && run.outURI.hasPrefix("file://"))
        }
    }

    @Test func wakeMakesTheLoopStepWithoutWaitingForTheTick() async throws {
        let clock = ManualClock()
        let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1))
        let scheduler = Scheduler(clock: clock, backend: workers)
        let loop = Task { await scheduler.run() }
        while clock.sleeperCount == 0 { await Task.yield() }
        // The clock never moves: only runJob's wake-up can start the task.
        let id = try await scheduler.runJob(JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: ["sleep", "1"])]))
        let asked = ContinuousClock.now
        // The manual clock proves no tick started it; the wall-clock bound only ends a failing
        // run, and is long because the loop's task may wait for the pool in the full parallel run.
        while workers.activeRunCount == 0, ContinuousClock.now - asked < .seconds(60) {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(workers.activeRunCount == 1)
        #expect(await scheduler.status(of: id).status == .inProgress)
        loop.cancel()
        await loop.value
    }
}
