import TestSupport
import SchedulerCore
import ScootAPI
import ScootServer
import Testing
import Thrift
@testable import ConsoleApp

@Suite("The console's data source")
struct ThriftDataSourceTests {
    @Test func fetchesEveryPaneAndPerformsActionsThroughTheExtension() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2)))
        let processor = ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: processor))
        let id = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "t", argv: ["sleep", "5"])], requestor: "land-x"))
        await scheduler.step()
        let snapshot = try await source.fetch(selectedJob: id)
        #expect(snapshot.jobs.map(\.id) == [id])
        #expect(snapshot.workers.count == 2)
        #expect(snapshot.load?.classes.first?.name == "land")
        #expect(snapshot.selectedJobStatus?.taskStatus?["t"] == .inProgress)
        #expect(snapshot.selectedJobTasks.map(\.taskId) == ["t"])
        #expect(snapshot.selectedJobTasks.first?.workerId?.hasPrefix("sim-worker-") == true)
        #expect(snapshot.selectedJobTasks.first?.startedAtMs == 0)
        #expect(try await source.fetch(selectedJob: nil).selectedJobTasks.isEmpty, "no job selected, no ListTasks")
        #expect(snapshot.limitations.isEmpty)
        #expect(try await source.perform(.killJobs([id])) == "killed \(id): COMPLETED")
        #expect(try await source.perform(.setRebalanceThreshold(25)) == "done: set the rebalance threshold to 25")
        #expect(await scheduler.getRebalanceThreshold() == 25)
        await #expect(throws: TApplicationException.self) { try await source.perform(.killJobs([id])) }
    }

    @Test func fallsBackOnAPlainCloudScootServerAndSaysWhichPanesAreLimited() async throws {
        let handler = InMemoryCloudScoot()
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: handler)))
        let id = try await handler.runJob(job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t")])).id
        await source.track(jobs: [id])
        let snapshot = try await source.fetch(selectedJob: nil)
        #expect(snapshot.jobs.map(\.id) == [id])
        let tasks = try await source.fetch(selectedJob: id).selectedJobTasks
        #expect(tasks.map(\.taskId) == ["t"] && tasks.first?.workerId == nil, "no ListTasks and no workers polled: the worker stays blank")
        #expect(snapshot.jobs.first?.waitingTasks == 1)
        #expect(snapshot.workers.isEmpty)
        #expect(snapshot.load == nil)
        #expect(snapshot.limitations.count == 3)
        #expect(snapshot.limitation(of: .classes)?.contains("pass --metrics-addr") == true, "no metrics address was given")
        #expect(snapshot.settings.rebalanceMinimumDuration == 4)
    }
}

@Suite("Settings caching")
struct SettingsCachingTests {
    @Test func settingsAreReReadWhenTheirFingerprintChangesAndAfterAnAction() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1)))
        let caller = RecordingCaller(ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))))
        let source = ThriftDataSource(caller: caller)
        #expect(try await source.fetch(selectedJob: nil).settings.rebalanceThreshold == 0)
        _ = caller.take()
        #expect(try await source.fetch(selectedJob: nil).settings.rebalanceThreshold == 0)
        #expect(!caller.take().contains("GetRebalanceThreshold"), "unchanged settings are not read again")
        try await scheduler.setRebalanceThreshold(10)
        #expect(try await source.fetch(selectedJob: nil).settings.rebalanceThreshold == 10, "another operator's change shows at the next poll")
        _ = try await source.perform(.setRebalanceThreshold(30))
        #expect(try await source.fetch(selectedJob: nil).settings.rebalanceThreshold == 30, "re-read after an action")
    }

    @Test func withoutAFingerprintSettingsAreReReadEveryFifthPoll() async throws {
        let handler = InMemoryCloudScoot()
        let caller = RecordingCaller(ThriftLoopbackCaller(processor: CloudScootProcessor(handler: handler)))
        let source = ThriftDataSource(caller: caller)
        var reads = 0
        for _ in 0..<10 {
            _ = try await source.fetch(selectedJob: nil)
            reads += caller.take().filter { $0 == "GetClassLoadPercents" }.count
        }
        #expect(reads == 2)
    }
}
