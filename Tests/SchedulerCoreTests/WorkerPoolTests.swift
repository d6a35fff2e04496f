import Testing
@testable import SchedulerCore

@Suite("Workers: membership, offline and reinstate")
struct WorkerPoolTests {
    @Test func offlineAndReinstateErrorsAreScoots() async throws {
        var configuration = SchedulerConfiguration()
        configuration.admins = ["root"]
        let cluster = SimulatedCluster(workers: 1, configuration: configuration)
        await cluster.scheduler.step()
        await #expect(throws: SchedulerError.failed("requestor alice unauthorized to offline worker")) {
            try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "alice")
        }
        await #expect(throws: SchedulerError.notFound("node ghost was not present in nodes. It can't be offlined")) {
            try await cluster.scheduler.offlineWorker(id: "ghost", requestor: "root")
        }
        await #expect(throws: SchedulerError.notFound("node sim-worker-0 was not present in offlinedNodes. It can't be reinstated")) {
            try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "root")
        }
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "root")
        await #expect(throws: SchedulerError.notFound("node sim-worker-0 was not present in nodes. It can't be offlined")) {
            try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "root")
        }
        await #expect(throws: SchedulerError.failed("requestor alice unauthorized to reinstate worker")) {
            try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "alice")
        }
        try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "root")
    }

    @Test func withoutAdminsEveryoneMayOffline() async throws {
        let cluster = SimulatedCluster(workers: 1)
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "anyone")
        #expect(await cluster.scheduler.workers().map(\.state) == [.offline])
    }

    @Test func anOfflinedWorkerGetsNoWorkAndAReinstatedOneGetsWorkAgain() async throws {
        let cluster = SimulatedCluster(workers: 2)
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "ops")
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 4))
        await cluster.scheduler.step()
        var workers = await cluster.scheduler.workers()
        #expect(workers.map(\.state) == [.offline, .busy])
        #expect(workers[0].tasksRun == 0)

        try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "ops")
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } == .seconds(2))
        workers = await cluster.scheduler.workers()
        #expect(workers.map(\.tasksRun) == [2, 2], "reinstated at once, it shares the work")
    }

    @Test func aTaskOnAnOfflinedWorkerFinishesNormallyAndTheWorkerStaysUsable() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let id = try await cluster.scheduler.runJob(simpleJob(argv: ["sleep", "5"]))
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "ops")
        #expect(await cluster.scheduler.workers().first?.currentTask == TaskReference(jobID: id, taskID: "t0"))
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } == .seconds(5))
        #expect(await cluster.scheduler.status(of: id).taskData["t0"]?.state == .complete)
        #expect(await cluster.scheduler.workers().first?.state == .offline)
        #expect(await cluster.scheduler.workers().first?.currentTask == nil)

        // Scoot leaves such a worker in its busy pool forever; ours takes work once reinstated.
        try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "ops")
        let next = try await cluster.scheduler.runJob(simpleJob())
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.status(of: next).taskStatus["t0"] == .inProgress)
    }

    @Test func aTaskWaitingForARetryReadsInProgressWithItsLastRunningData() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 1
        let cluster = SimulatedCluster(workers: 1, configuration: configuration, outcome: .failure("boom"))
        let id = try await cluster.scheduler.runJob(simpleJob())
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "ops")
        await cluster.advance(by: .seconds(1))
        // The attempt failed; no healthy worker is left, so the retry waits.
        let status = await cluster.scheduler.status(of: id)
        #expect(status.status == .inProgress)
        #expect(status.taskStatus["t0"] == .inProgress)
        #expect(status.taskData["t0"]?.state == .running)
        #expect(await cluster.scheduler.jobs().first?.taskCounts == JobSummary.TaskCounts(waiting: 1))
    }

    @Test func anOfflinedWorkerThatLeavesIsForgotten() async throws {
        let cluster = SimulatedCluster(workers: 2)
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "ops")
        cluster.workers.removeWorker(id: "sim-worker-0")
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.workers().map(\.id) == ["sim-worker-1"])
        await #expect(throws: SchedulerError.notFound("node sim-worker-0 was not present in offlinedNodes. It can't be reinstated")) {
            try await cluster.scheduler.reinstateWorker(id: "sim-worker-0", requestor: "ops")
        }
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2))
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } == .seconds(2), "one worker left")
    }

    @Test func aJoinOfAnOfflinedWorkerIsIgnored() async throws {
        let cluster = SimulatedCluster(workers: 1)
        await cluster.scheduler.step()
        try await cluster.scheduler.offlineWorker(id: "sim-worker-0", requestor: "ops")
        cluster.workers.addWorker(id: "sim-worker-0")
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.workers().map(\.state) == [.offline])
    }

    @Test func aLostWorkerIsSuspendedThenForgottenUnlessItReturns() async throws {
        let cluster = SimulatedCluster(workers: 2)
        await cluster.scheduler.step()
        cluster.workers.removeWorker(id: "sim-worker-0")
        cluster.workers.removeWorker(id: "sim-worker-1")
        await cluster.advance(by: .seconds(1))
        #expect(await cluster.scheduler.workers().map(\.state) == [.suspended, .suspended])
        cluster.workers.addWorker(id: "sim-worker-1")
        await cluster.advance(by: .seconds(30))
        #expect(await cluster.scheduler.workers().map(\.state) == [.suspended, .idle])
        await cluster.advance(by: .seconds(30))
        #expect(await cluster.scheduler.workers().map(\.id) == ["sim-worker-1"])
    }

    @Test func aTaskOnAWorkerThatLeavesFails() async throws {
        let cluster = SimulatedCluster(workers: 2)
        let id = try await cluster.scheduler.runJob(simpleJob(argv: ["sleep", "10"]))
        await cluster.scheduler.step()
        let worker = try #require(await cluster.scheduler.workers().first { $0.state == .busy })
        cluster.workers.removeWorker(id: worker.id)
        await cluster.advance(by: .seconds(1))
        let data = await cluster.scheduler.status(of: id).taskData["t0"]
        #expect(data?.state == .failed)
        #expect(data?.error == "worker \(worker.id) left the cluster -> Error(s) encountered, canceling task.")
    }

    @Test func workersRememberTheirLastSnapshot() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let job = JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: ["sleep", "1"], snapshotID: "snap-7")])
        _ = try await cluster.scheduler.runJob(job)
        await cluster.scheduler.step()
        let worker = try #require(await cluster.scheduler.workers().first)
        #expect(worker.lastSnapshotID == "snap-7")
        #expect(worker.tasksRun == 1)
        #expect(worker.state == .busy)
    }
}
