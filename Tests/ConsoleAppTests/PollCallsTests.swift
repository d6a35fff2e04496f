import SchedulerCore
import ScootAPI
import ScootServer
import Synchronization
import Testing
import Thrift
@testable import ConsoleApp

/// Records the methods called through it.
final class RecordingCaller: ThriftCaller {
    let inner: any ThriftCaller
    private let calls = Mutex<[String]>([])

    init(_ inner: any ThriftCaller) { self.inner = inner }

    func call<Arguments: ThriftStruct, Result: ThriftStruct>(method: String, arguments: Arguments, resultType: Result.Type) async throws -> Result {
        calls.withLock { $0.append(method) }
        return try await inner.call(method: method, arguments: arguments, resultType: resultType)
    }

    /// The calls since the last `take`.
    func take() -> [String] { calls.withLock { calls in defer { calls.removeAll() }; return calls } }
}

@Suite("What a poll asks the server")
struct PollCallsTests {
    @Test func aQuietClusterCostsOneCallPerPoll() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2)))
        let caller = RecordingCaller(ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))))
        let source = ThriftDataSource(caller: caller)
        _ = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "50"])], requestor: "land-x"))
        await scheduler.step()

        let first = try await source.fetch(selectedJob: nil, workers: false)
        #expect(caller.take().filter { !$0.hasPrefix("Get") || $0 == "GetClusterLoad" } == ["GetClusterLoad", "ListJobs"])
        #expect(first.workers.isEmpty)
        #expect(first.workerCounts == WorkerCounts(available: 2, free: 1, running: 1, suspended: 0, offline: 0))
        #expect(first.schedulerStatus.currentTasks == 1)

        let second = try await source.fetch(selectedJob: nil, workers: false)
        #expect(caller.take() == ["GetClusterLoad"], "nothing changed: the job list is reused")
        #expect(second.jobs == first.jobs)

        _ = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "50"])], requestor: "land-y"))
        let third = try await source.fetch(selectedJob: nil, workers: true)
        #expect(caller.take() == ["GetClusterLoad", "ListJobs", "ListWorkers"])
        #expect(third.jobs.count == 2)
        #expect(third.workers.count == 2)

        await scheduler.step()
        _ = try await source.fetch(selectedJob: nil, workers: false)
        #expect(caller.take() == ["GetClusterLoad", "ListJobs"], "a task started: the list changed")
    }
}

@Suite("A full job list")
struct JobListLimitTests {
    @Test func aFullListSaysOlderJobsAreNotShown() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1)))
        let source = ThriftDataSource(
            caller: ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))),
            jobListLimit: 2)
        _ = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "50"])], requestor: "land-a"))
        #expect(try await source.fetch(selectedJob: nil).limitation(of: .jobs) == nil)
        for requestor in ["land-b", "land-c"] {
            _ = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "50"])], requestor: requestor))
        }
        let full = try await source.fetch(selectedJob: nil)
        #expect(full.jobs.count == 2)
        #expect(full.limitation(of: .jobs) == "Jobs: showing the newest 2 jobs, the most one poll asks ListJobs for; older ones are not listed")
    }
}
