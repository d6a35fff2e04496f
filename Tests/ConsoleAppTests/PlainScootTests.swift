import TestSupport
import Foundation
import Logging
import SchedulerCore
import ScootAPI
import ScootServer
import Synchronization
import TUIKit
import Testing
import Thrift
@testable import ConsoleApp

/// Stats as a real Scoot scheduler publishes them: class stats with a double underscore.
private let scootStats: [String: Double] = [
    "scheduler/availableNodes": 5, "scheduler/freeNodes": 2, "scheduler/runningNodes": 3, "scheduler/lostNodes": 1,
    "scheduler/schedRunningTasks__land": 3, "scheduler/schedWaitingTasks__land": 4, "scheduler/schedClassTargetPct__land": 60,
    "scheduler/schedRunningTasks__diff": 0, "scheduler/schedWaitingTasks__diff": 2, "scheduler/schedClassTargetPct__diff": 40,
    "scheduler/schedStoppingTasks_land": 1, "scheduler/schedNumRunningTasksGauge": 3, "scheduler/schedNumWaitingTasksGauge": 6,
]

/// A plain CloudScoot server (no console extension) and a metrics endpoint, on ephemeral ports.
private struct PlainScoot {
    let handler: InMemoryCloudScoot
    let thrift: ThriftServer
    let metrics: MetricsHTTPServer

    static func start(stats: [String: Double] = scootStats) async throws -> PlainScoot {
        let handler = InMemoryCloudScoot()
        let thrift = try await CloudScootServer.start(handler: handler, configuration: .init(host: "127.0.0.1", port: 0))
        // The server answers from a task on Swift's cooperative pool, which the full parallel run
        // can keep busy for seconds on two cores: a request deadline far above the default 10 s
        // keeps these tests about what they check, not about the machine's load.
        let limits = MetricsHTTPServer.Limits(requestTimeout: .seconds(60))
        let metrics = try await MetricsHTTPServer.start(host: "127.0.0.1", port: 0, limits: limits, logger: Logger(label: "test")) { stats }
        return PlainScoot(handler: handler, thrift: thrift, metrics: metrics)
    }

    private init(handler: InMemoryCloudScoot, thrift: ThriftServer, metrics: MetricsHTTPServer) {
        self.handler = handler
        self.thrift = thrift
        self.metrics = metrics
    }

    var caller: ThriftClient {
        ThriftClient(configuration: .init(host: "127.0.0.1", port: thrift.port, connectTimeout: .seconds(2), callTimeout: .seconds(5)))
    }

    var metricsAddress: HostAndPort { HostAndPort(host: "127.0.0.1", port: metrics.port) }

    func shutdown() async {
        await metrics.shutdown()
        await thrift.shutdown(grace: .seconds(1))
    }
}

@Suite("Against a plain Scoot scheduler")
struct PlainScootTests {
    @Test func classRowsAndWorkerCountsComeFromMetricsJSON() async throws {
        let scoot = try await PlainScoot.start()
        let id = try await scoot.handler.runJob(job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t")])).id
        let source = ThriftDataSource(caller: scoot.caller, metricsAddress: scoot.metricsAddress)
        _ = try await source.fetch(selectedJob: nil)  // finds out the server has no extension
        #expect(await source.track(jobs: [id, "no-such-job"]).contains("tracking"))
        let snapshot = try await source.fetch(selectedJob: nil)
        await scoot.shutdown()

        #expect(snapshot.jobs.map(\.id) == [id, "no-such-job"])
        #expect(snapshot.unknownJobIDs == ["no-such-job"])
        #expect(snapshot.workers.isEmpty)
        #expect(snapshot.workerCounts == WorkerCounts(available: 5, free: 2, running: 3, suspended: 1, offline: nil))
        let classes = try #require(snapshot.load?.classes)
        #expect(classes.map(\.name) == ["land", "diff"])
        #expect(classes[0] == ClassLoad(name: "land", percent: 60, target: 3, running: 3, waiting: 4, loaned: 0, starting: 0, stopping: 1))
        #expect(classes[1] == ClassLoad(name: "diff", percent: 40, target: 2, running: 0, waiting: 2, loaned: 0, starting: 0, stopping: 0))
        #expect(snapshot.load?.spread == 40, "land 60 − 60 = 0, diff 40 − 0 = 40")
        #expect(snapshot.limitation(of: .jobs)?.contains("1 unknown to the scheduler") == true)
        #expect(snapshot.limitation(of: .classes)?.contains("up to a minute old") == true)
        #expect(snapshot.limitation(of: .workers)?.contains("counts only") == true)
    }

    @Test func unreachableMetricsAreALimitationNotAFailedPoll() async throws {
        let scoot = try await PlainScoot.start()
        let closed = scoot.metricsAddress
        await scoot.metrics.shutdown()
        let source = ThriftDataSource(caller: scoot.caller, metricsAddress: closed)
        let snapshot = try await source.fetch(selectedJob: nil)
        await scoot.shutdown()

        #expect(snapshot.load == nil)
        #expect(snapshot.workerCounts == nil)
        let classes = try #require(snapshot.limitation(of: .classes))
        #expect(classes.hasPrefix("Classes: /admin/metrics.json at \(closed) unreachable: "))
        #expect(classes.hasSuffix("; pass --metrics-addr"))
        #expect(snapshot.limitation(of: .workers)?.contains("unreachable") == true)
    }

    @Test func metricsAreFetchedAtMostEveryFiveSeconds() async throws {
        let scoot = try await PlainScoot.start()
        let source = ThriftDataSource(caller: scoot.caller, metricsAddress: scoot.metricsAddress)
        #expect(try await source.fetch(selectedJob: nil).workerCounts?.available == 5)
        await scoot.metrics.shutdown()
        #expect(try await source.fetch(selectedJob: nil).workerCounts?.available == 5, "the last answer is reused within 5 s")
        await scoot.shutdown()
    }

    @Test func theClientEnforcesStatusAndBodySize() async throws {
        let scoot = try await PlainScoot.start()
        let port = scoot.metrics.port
        // Generous timeouts: this test is about status and size, and the full run loads the machine.
        let body = try await BoundedHTTPClient.get(host: "127.0.0.1", port: port, path: "/admin/metrics.json", timeout: .seconds(20))
        #expect(try SchedulerMetrics(json: body).stats["availableNodes"] == 5)
        await #expect(throws: BoundedHTTPClient.Failure("the answer is larger than 16 bytes")) {
            _ = try await BoundedHTTPClient.get(host: "127.0.0.1", port: port, path: "/admin/metrics.json", timeout: .seconds(20), maxBodyBytes: 16)
        }
        await #expect(throws: BoundedHTTPClient.Failure("HTTP 404 Not Found")) {
            _ = try await BoundedHTTPClient.get(host: "127.0.0.1", port: port, path: "/nope", timeout: .seconds(20))
        }
        await scoot.shutdown()
    }

    /// A real Scoot has no ListTasks: a job the console killed is followed by GetStatus, and its
    /// task list is what the console saw of it, so that a replay shows the killed tasks.
    @Test func aKilledJobIsFollowedWithItsTasksUntilAFewPollsAfterItEnded() async throws {
        let scoot = try await PlainScoot.start()
        let id = try await scoot.handler.runJob(job: ScootAPI.JobDefinition(
            tasks: ["t0", "t1"].map { TaskDefinition(command: Command(argv: ["sleep", "60"]), taskId: $0) })).id
        let source = ThriftDataSource(caller: scoot.caller, metricsAddress: scoot.metricsAddress)
        await source.track(jobs: [id])
        _ = try await source.fetch(selectedJob: nil)
        _ = try await source.perform(.killJobs([id]))
        for poll in 1...ThriftDataSource.followedJobPollsAfterEnd {
            let snapshot = try await source.fetch(selectedJob: nil)
            #expect(snapshot.followedJobStatuses[id]?.status == .completed, "poll \(poll)")
            let tasks = snapshot.followedJobTasks[id] ?? []
            #expect(tasks.map(\.taskId).sorted() == ["t0", "t1"] && tasks.allSatisfy { $0.status == .completed }, "poll \(poll): \(tasks)")
        }
        let after = try await source.fetch(selectedJob: nil)
        #expect(after.followedJobStatuses[id] == nil && after.followedJobTasks[id] == nil, "no longer followed once it ended")
        await scoot.shutdown()
    }

    /// A kill while a poll waits for the followed jobs' statuses (the data source is a reentrant
    /// actor) changes the list of followed jobs under that poll; the poll still ends well.
    @Test func killsDuringAPollOfTheFollowedJobsChangeNothingItReads() async throws {
        let handler = InMemoryCloudScoot()
        var ids: [String] = []
        for _ in 0..<(2 * ThriftDataSource.followedJobLimit) {
            ids.append(try await handler.runJob(job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t")])).id)
        }
        let caller = GatedStatusCaller(ThriftLoopbackCaller(processor: CloudScootProcessor(handler: handler)))
        let source = ThriftDataSource(caller: caller)
        for id in ids.prefix(ThriftDataSource.followedJobLimit) { _ = try await source.perform(.killJobs([id])) }
        caller.closed.store(true, ordering: .sequentiallyConsistent)
        async let poll = source.fetch(selectedJob: nil)
        // The poll waits in the followed jobs' first GetStatus while the newer kills go out.
        while !caller.waiting.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(1)) }
        for id in ids.suffix(ThriftDataSource.followedJobLimit) { _ = try await source.perform(.killJobs([id])) }
        caller.closed.store(false, ordering: .sequentiallyConsistent)
        _ = try await poll
        // The newer kills pushed out the older, and the poll that read the older counted nothing
        // against the newer: each is followed for its full polls after it ended.
        let newer = Set(ids.suffix(ThriftDataSource.followedJobLimit))
        for poll in 1...ThriftDataSource.followedJobPollsAfterEnd {
            let next = try await source.fetch(selectedJob: nil)
            #expect(Set(next.followedJobStatuses.keys) == newer, "poll \(poll) after the kills")
        }
        #expect(try await source.fetch(selectedJob: nil).followedJobStatuses.isEmpty)
    }

    @Test func trackingIsNotNeededWhenTheServerListsJobs() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1)))
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))))
        _ = try await source.fetch(selectedJob: nil)
        #expect(await source.track(jobs: ["a"]).contains("not needed"))
        #expect(await source.untrack(jobs: ["a", "b"]) == "stopped tracking a; not tracked: b")
    }
}

@Suite("Metrics JSON")
struct SchedulerMetricsTests {
    @Test func acceptsSingleAndDoubleUnderscoresAndSkipsNonNumbers() throws {
        let json = #"{"scheduler/schedRunningTasks__land": 3, "scheduler/schedRunningTasks_diff": 2, "scheduler/note": "x", "scheduler/availableNodes": 4}"#
        let metrics = try SchedulerMetrics(json: Array(json.utf8))
        #expect(metrics.perClass("schedRunningTasks") == ["land": 3, "diff": 2])
        #expect(metrics.stats["note"] == nil)
        #expect(metrics.workerCounts?.available == 4)
        #expect(throws: BoundedHTTPClient.Failure.self) { try SchedulerMetrics(json: Array("[1, 2]".utf8)) }
    }

    @Test func percentsFallBackToTheSettingsAndHugeValuesDoNotTrap() throws {
        let metrics = SchedulerMetrics(stats: ["availableNodes": 1e300, "schedRunningTasks_land": .infinity])
        let settings = ClusterSnapshot.Settings(classLoadPercents: ["land": 30, "diff": 10], requestorToClassMap: [:], rebalanceThreshold: 0, rebalanceMinimumDuration: 4)
        let load = try #require(metrics.clusterLoad(settings: settings, computedAtMs: 0))
        #expect(load.classes.map(\.percent) == [75, 25])
        #expect(load.classes.first?.running == 0)
    }
}

@Suite("Tracking jobs")
struct TrackingTests {
    @Test func trackAndUntrackParse() throws {
        #expect(try CommandParser.parse("track a b") == .track(["a", "b"]))
        #expect(try CommandParser.parse("untrack a") == .untrack(["a"]))
        #expect(throws: CommandParser.ParseError(description: ":track needs a job id, e.g. :track 4b0f8f1e-…")) { try CommandParser.parse("track") }
        #expect(CommandParser.usage.contains { $0.0.hasPrefix(":track") })
    }

    @Test func trackFileSkipsCommentsAndBlankLinesAndNamesABadLine() throws {
        let text = "# jobs to watch\n\n  4b0f8f1e  \nabc # the other one\nabc\n"
        #expect(try TrackFile.parse(text, name: "jobs.txt") == ["4b0f8f1e", "abc"])
        #expect(throws: TrackFile.ReadError(description: "jobs.txt:3: 'abc def' is not one job id (ids have no spaces); put one id per line")) {
            try TrackFile.parse("a\nb\nabc def\n", name: "jobs.txt")
        }
        #expect(throws: TrackFile.ReadError.self) { try TrackFile.read(path: "/nonexistent/track-file") }
    }

    @Test func trackCommandBecomesATrackEffectAndItsAnswerIsFlashed() {
        var state = connectedState()
        var effects = press(&state, .character(":"))
        for character in "track abc" { effects += press(&state, .character(character)) }
        effects += press(&state, .enter)
        #expect(effects == [.track(["abc"])])
        #expect(state.overlay == nil)
        let after = ConsoleUpdate.update(&state, .trackingChanged("tracking abc (1 tracked)"))
        #expect(state.flash?.text == "tracking abc (1 tracked)")
        #expect(after.contains { if case .poll = $0 { true } else { false } }, "the new job shows at once")
    }

    @Test func panesShowMetricsCountsAndWhyTheyAreLimited() {
        var state = connectedState()
        state.snapshot?.workers = []
        state.snapshot?.workerCounts = WorkerCounts(available: 5, free: 2, running: 3, suspended: 1, offline: nil)
        state.snapshot?.limitations = ["Workers: counts only, from /admin/metrics.json at h:9091, up to a minute old"]
        state.pane = .workers
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let lines = buffer.lines()
        #expect(lines[1].contains("workers avail 5 (free 2, busy 3) susp 1  rebalance"))
        #expect(lines.contains { $0.contains("Available 5 (free 2, running 3)") })
        #expect(lines.contains { $0.contains("counts only, from /admin/metrics.json") })
    }
}

/// A caller whose GetStatus calls wait while `closed` is set (`waiting` says one does), so that
/// other calls go out while a poll waits.
private final class GatedStatusCaller: ThriftCaller {
    private let inner: any ThriftCaller
    let closed = Atomic<Bool>(false)
    let waiting = Atomic<Bool>(false)

    init(_ inner: any ThriftCaller) { self.inner = inner }

    func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result {
        while method == "GetStatus", closed.load(ordering: .sequentiallyConsistent) {
            waiting.store(true, ordering: .sequentiallyConsistent)
            try await Task.sleep(for: .milliseconds(1))
        }
        return try await inner.call(method: method, arguments: arguments, resultType: resultType)
    }
}
