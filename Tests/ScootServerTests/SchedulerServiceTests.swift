import SchedulerCore
import ScootAPI
import Testing
import Thrift
@testable import ScootServer

/// The service over a scheduler with simulated workers on a manual clock, called through the
/// real processor and a loopback caller, so the wire mapping is exercised end to end.
struct ServiceHarness {
    let clock = ManualClock()
    let scheduler: Scheduler
    let metrics = ServerMetrics()
    let client: ScootConsoleClient

    init(workers: Int = 2) {
        scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: workers)))
        let service = SchedulerService(scheduler: scheduler, metrics: metrics)
        // As `serve` answers: GetStatus and KillJob written from the scheduler's snapshot.
        client = ScootConsoleClient(
            caller: ThriftLoopbackCaller(processor: ServeProcessor(wrapping: ScootConsoleProcessor(handler: service), service: service)))
    }

    func job(_ requestor: String, tasks: Int, argv: [String] = ["sleep", "1"]) -> ScootAPI.JobDefinition {
        ScootAPI.JobDefinition(
            tasks: (0..<tasks).map { TaskDefinition(command: Command(argv: argv), taskId: "t\($0)") }, requestor: requestor)
    }
}

@Suite("SchedulerService: CloudScoot over the scheduler core")
struct SchedulerServiceTests {
    @Test func validationIsInvalidRequestWithScootsText() async throws {
        let harness = ServiceHarness()
        await #expect(throws: InvalidRequest(message: "invalid job. Must have at least 1 task; was empty")) {
            try await harness.client.runJob(job: ScootAPI.JobDefinition(tasks: []))
        }
        await #expect(throws: InvalidRequest(message: "nil taskId")) {
            try await harness.client.runJob(job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["x"]))]))
        }
        await #expect(throws: InvalidRequest(message: "invalid tasks limit:-2. Must be >= -1.")) {
            try await harness.client.setSchedulerStatus(maxTasks: -2)
        }
    }

    @Test func throttleIsCanNotScheduleNow() async throws {
        let harness = ServiceHarness()
        try await harness.client.setSchedulerStatus(maxTasks: 2)
        await #expect(throws: CanNotScheduleNow(retryAfterMs: 1000)) { try await harness.client.runJob(job: harness.job("a", tasks: 3)) }
    }

    @Test func plainErrorsAreInternalErrorsWithScootsText() async throws {
        let harness = ServiceHarness()
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing KillJob: cannot kill Job Id nope, not found.")) {
            try await harness.client.killJob(jobId: "nope")
        }
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing OfflineWorker: node w9 was not present in nodes. It can't be offlined")) {
            try await harness.client.offlineWorker(req: OfflineWorkerReq(id: "w9", requestor: "me"))
        }
    }

    @Test func statusOfARunningJobAndOfAnUnknownID() async throws {
        let harness = ServiceHarness()
        let id = try await harness.client.runJob(job: harness.job("land-x", tasks: 3)).id
        await harness.scheduler.step()
        let status = try await harness.client.getStatus(jobId: id)
        #expect(status.status == .inProgress)
        #expect(status.taskStatus?.values.sorted(by: { $0.rawValue < $1.rawValue }) == [.notStarted, .inProgress, .inProgress])
        #expect(status.taskData?.values.allSatisfy { $0.status == .running } == true)
        #expect(try await harness.client.getStatus(jobId: "nope") == ScootAPI.JobStatus(id: "nope", status: .notStarted, taskStatus: [:], taskData: [:]))
        harness.clock.advance(by: .seconds(5))
        await harness.scheduler.step()
        harness.clock.advance(by: .seconds(5))
        await harness.scheduler.step()
        let done = try await harness.client.getStatus(jobId: id)
        #expect(done.status == .completed)
        #expect(done.taskData?["t0"]?.exitCode == 0)
        #expect(done.taskData?["t0"]?.error == nil, "empty strings travel as unset optionals, as Scoot")
    }

    @Test func settingsRoundTripThroughTheWire() async throws {
        let harness = ServiceHarness()
        try await harness.client.setClassLoadPercents(loadPercents: ["a": 30, "b": 25, "c": 15, "d": 10, "e": 0])
        #expect(try await harness.client.getClassLoadPercents() == ["a": 39, "b": 31, "c": 18, "d": 12, "e": 0])
        await #expect(throws: InvalidRequest.self) { try await harness.client.setClassLoadPercents(loadPercents: [:]) }
        try await harness.client.setRequestorToClassMap(requestorToClassMap: ["^x": "a"])
        #expect(try await harness.client.getRequestorToClassMap() == ["^x": "a"])
        await #expect(throws: InvalidRequest.self) { try await harness.client.setRequestorToClassMap(requestorToClassMap: ["(": "a"]) }
        try await harness.client.setRebalanceThreshold(threshold: 20)
        try await harness.client.setRebalanceMinimumDuration(durationMin: 3)
        #expect(try await harness.client.getRebalanceThreshold() == 20)
        #expect(try await harness.client.getRebalanceMinimumDuration() == 3)
    }

    @Test func listJobsFiltersNewestFirstWithLimit() async throws {
        let harness = ServiceHarness()
        var ids: [String] = []
        for (index, requestor) in ["land-a", "diff-b", "land-c"].enumerated() {
            ids.append(try await harness.client.runJob(job: harness.job(requestor, tasks: 1 + index)).id)
            harness.clock.advance(by: .seconds(1))
        }
        #expect(try await harness.client.consoleJobs().map(\.id) == ids.reversed())
        #expect(try await harness.client.consoleJobs(JobFilter(className: "land")).map(\.id) == [ids[2], ids[0]])
        #expect(try await harness.client.consoleJobs(JobFilter(requestor: "diff-b")).map(\.waitingTasks) == [2])
        #expect(try await harness.client.consoleJobs(JobFilter(limit: 1)).map(\.id) == [ids[2]])
        #expect(try await harness.client.consoleJobs(JobFilter(statuses: [.completed])).isEmpty)
        await #expect(throws: InvalidRequest(message: "limit must be positive, got 0")) { try await harness.client.consoleJobs(JobFilter(limit: 0)) }
    }

    @Test func aMapNamingAClassWithoutAPercentIsAcceptedAndReported() async throws {
        let harness = ServiceHarness(workers: 1)
        #expect(try await harness.client.consoleClusterLoad().danglingClasses == [])
        try await harness.client.setRequestorToClassMap(requestorToClassMap: ["^ci-": "gpu", "land.*": "land"])
        #expect(try await harness.client.getRequestorToClassMap() == ["^ci-": "gpu", "land.*": "land"])
        #expect(try await harness.client.consoleClusterLoad().danglingClasses == ["gpu"])
    }

    @Test func workersAndClusterLoad() async throws {
        let harness = ServiceHarness(workers: 3)
        _ = try await harness.client.runJob(job: harness.job("land-a", tasks: 5))
        await harness.scheduler.step()
        let workers = try await harness.client.consoleWorkers()
        #expect(workers.count == 3)
        #expect(workers.allSatisfy { $0.state == .busy && $0.currentTaskId != nil })
        let load = try await harness.client.consoleClusterLoad()
        let land = try #require(load.classes.first { $0.name == "land" })
        // Live numbers, not the step's: 3 started, 2 wait, no idle worker to start them on.
        #expect(land.running == 3)
        #expect(land.waiting == 2)
        #expect(land.starting == 0)
        #expect(load.classes.map(\.name).first == "land", "classes by descending percent")
    }

    @Test func listTasksCarriesWorkerAndEpochTimes() async throws {
        let harness = ServiceHarness(workers: 1)
        harness.clock.advance(by: .milliseconds(1500))
        let id = try await harness.client.runJob(job: harness.job("land-a", tasks: 2)).id
        await harness.scheduler.step()
        let running = try await harness.client.consoleTasks(ofJob: id)
        #expect(running.map(\.taskId) == ["t0", "t1"], "by task id")
        let started = try #require(running.first { $0.workerId != nil })
        #expect(started == ScootAPI.TaskSummary(taskId: started.taskId, status: .inProgress, workerId: "sim-worker-0", startedAtMs: 1500, attempts: 1))
        let waiting = try #require(running.first { $0.workerId == nil })
        #expect(waiting == ScootAPI.TaskSummary(taskId: waiting.taskId, status: .notStarted, attempts: 0))

        harness.clock.advance(by: .milliseconds(1250))
        await harness.scheduler.step()
        let done = try #require(try await harness.client.consoleTasks(ofJob: id).first { $0.taskId == started.taskId })
        #expect(done.status == .completed)
        #expect(done.startedAtMs == 1500)
        #expect(done.endedAtMs == 2750)
        #expect(done.workerId == "sim-worker-0")
    }

    @Test func listTasksOfAnUnknownJobIsEmptyAndAnEmptyIDIsInvalid() async throws {
        let harness = ServiceHarness()
        #expect(try await harness.client.consoleTasks(ofJob: "nope").isEmpty)
        await #expect(throws: InvalidRequest(message: "jobId must not be empty")) { try await harness.client.consoleTasks(ofJob: "") }
    }

    @Test func statusAndKillOfALargeJobAreBuiltOffTheCallersExecutorAndComplete() async throws {
        let harness = ServiceHarness()
        let tasks = SchedulerService.largeJobTaskCount + 1
        let id = try await harness.client.runJob(job: harness.job("land-x", tasks: tasks)).id
        await harness.scheduler.step()
        let status = try await harness.client.getStatus(jobId: id)
        #expect(status.taskStatus?.count == tasks)
        #expect(status.taskStatus?.values.count { $0 == .inProgress } == 2)
        let killed = try await harness.client.killJob(jobId: id)
        #expect(killed.taskStatus?.count == tasks)
        #expect(killed.status == .completed)
    }

    @Test func aStatusGoesOnTheWireWithEveryTaskInOrder() {
        let running = SchedulerCore.RunStatus(state: .running, runID: "1")
        let status = SchedulerCore.JobStatus(
            id: "j", status: .inProgress,
            taskStatus: Dictionary(uniqueKeysWithValues: [3, 1, 10, 2].map { ("task-\($0)", $0 == 2 ? .notStarted : .inProgress) }),
            taskData: Dictionary(uniqueKeysWithValues: [3, 1, 10].map { ("task-\($0)", running) }))
        let wire = WireConversions.jobStatus(status)
        #expect(wire.taskStatus?.keys == ["task-1", "task-10", "task-2", "task-3"])
        #expect(wire.taskData?.keys == ["task-1", "task-10", "task-3"])
        #expect(wire.taskData?["task-10"]?.status == .running)
    }

    @Test func rpcCallsAreCountedWithLatencies() async throws {
        let harness = ServiceHarness()
        _ = try await harness.client.getStatus(jobId: "x")
        _ = try await harness.client.getStatus(jobId: "y")
        #expect(harness.metrics.counters["jobStatusRpmCounter"] == 2)
        #expect(harness.metrics.latencies["jobStatusLatency_ms"]?.count == 2)
    }

    @Test func latencyHistogramsKeepTheirWindow() {
        let metrics = ServerMetrics(window: 3)
        for milliseconds in [1.0, 2, 3, 4, 5] { metrics.record("xLatency_ms", milliseconds: milliseconds) }
        metrics.recordCall(ServerMetrics.Call("y"), latency: .milliseconds(7))
        let x = metrics.latencies["xLatency_ms"]
        #expect(x?.count == 5)
        #expect(x?.sum == 15)
        #expect(x?.min == 3)
        #expect(x?.max == 5)
        #expect(metrics.counters["yRpmCounter"] == 1)
        #expect(metrics.latencies["yLatency_ms"]?.max == 7)
    }
}

@Suite("metrics.json")
struct MetricsReportTests {
    @Test func scootKeyNamesLiveValuesAndNoDoubleUnderscores() async throws {
        let harness = ServiceHarness(workers: 2)
        _ = try await harness.client.runJob(job: harness.job("land-a", tasks: 3))
        await harness.scheduler.step()
        let stats = await MetricsReport.collect(scheduler: harness.scheduler, metrics: harness.metrics, startedAt: .zero, now: .seconds(2))
        #expect(stats["scheduler/schedAcceptedJobsGauge"] == 1)
        #expect(stats["scheduler/schedNumRunningTasksGauge"] == 2)
        #expect(stats["scheduler/schedNumWaitingTasksGauge"] == 1)
        #expect(stats["scheduler/schedInProgressTasksGauge_land-a"] == 3)
        #expect(stats["scheduler/availableNodes"] == 2)
        #expect(stats["scheduler/freeNodes"] == 0)
        #expect(stats["scheduler/runningNodes"] == 2)
        #expect(stats["scheduler/schedRunningTasks_land"] == 2)
        #expect(stats["scheduler/schedClassActualPct_land"] == 100, "Scoot's formula divides instead of multiplying; ours is a percent")
        #expect(stats["scheduler/schedUptimeGauge_ms"] == 2000)
        #expect(stats["scheduler/runJobLatency_ms.p99"] != nil)
        #expect(!stats.keys.contains { $0.contains("__") })
    }

    @Test func jsonIsFlatSortedAndIntegersHaveNoFraction() {
        let json = MetricsReport.json(["scheduler/b": 2, "scheduler/a": 1.5, "scheduler/\"q\"": 0], pretty: false)
        #expect(json == #"{"scheduler/\"q\"":0,"scheduler/a":1.5,"scheduler/b":2}"#)
        #expect(MetricsReport.json(["scheduler/a": 1], pretty: true) == "{\n  \"scheduler/a\": 1\n}\n")
    }
}
