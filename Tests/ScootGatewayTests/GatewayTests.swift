import TestSupport
import ClusterObservation
import Foundation
import Logging
import ScootAPI
import ScootGateway
import ScootWorkerAPI
import Testing
import Thrift

/// A Scoot worker in process that reports whatever runs the test gives it.
private actor ScriptedWorker: WorkerHandler {
    var runs: [ScootWorkerAPI.RunStatus] = []
    func set(_ runs: [ScootWorkerAPI.RunStatus]) { self.runs = runs }
    func queryWorker() async throws -> ScootWorkerAPI.WorkerStatus { .init(runs: runs, initialized: true, isHealthy: true, error: "") }
    func run(cmd: RunCommand) async throws -> ScootWorkerAPI.RunStatus { .init(status: .failed, runId: "") }
    func abort(runId: String) async throws -> ScootWorkerAPI.RunStatus { .init(status: .unknown, runId: runId) }
}

/// The gateway in front of a plain CloudScoot scheduler (no extension) and two Scoot workers,
/// all in process on loopback ports.
private struct GatewayRig {
    let upstream: ThriftServer
    let scheduler: InMemoryCloudScoot
    let workers: [ScriptedWorker]
    let workerServers: [ThriftServer]
    var gateway: GatewayRuntime
    let dataDirectory: URL
    let client: ScootConsoleClient

    static func start(dataDirectory: URL? = nil) async throws -> GatewayRig {
        let logger = Logger(label: "gateway-test")
        let scheduler = InMemoryCloudScoot()
        let upstream = try await ThriftServer.start(
            configuration: .init(host: "127.0.0.1", port: 0), processor: CloudScootProcessor(handler: scheduler), logger: logger)
        let workers = [ScriptedWorker(), ScriptedWorker()]
        var servers: [ThriftServer] = []
        for worker in workers {
            servers.append(try await ThriftServer.start(configuration: .init(host: "127.0.0.1", port: 0), processor: WorkerProcessor(handler: worker), logger: logger))
        }
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gateway-test-\(UUID().uuidString)")
        let gateway = try await GatewayRuntime.start(
            .init(
                upstream: HostAndPort(host: "127.0.0.1", port: upstream.port), thriftAddress: HostAndPort(host: "127.0.0.1", port: 0),
                httpAddress: HostAndPort(host: "127.0.0.1", port: 0), dataDirectory: directory,
                workers: servers.map { HostAndPort(host: "127.0.0.1", port: $0.port) }, workerPollInterval: .milliseconds(100)),
            logger: logger)
        let client = ScootConsoleClient(caller: ThriftClient(configuration: .init(host: "127.0.0.1", port: gateway.thriftServer.port, callTimeout: .seconds(10))))
        return GatewayRig(upstream: upstream, scheduler: scheduler, workers: workers, workerServers: servers, gateway: gateway, dataDirectory: directory, client: client)
    }

    var workerIDs: [String] { workerServers.map { "127.0.0.1:\($0.port)" } }

    func stop() async {
        await gateway.shutdown()
        await upstream.shutdown()
        for server in workerServers { await server.shutdown() }
    }

    /// Polls `condition` until it holds (the gateway's loops run every 100 ms).
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("never: \(what)")
    }
}

@Suite(.serialized) struct GatewayTests {
    static func job(_ requestor: String, tasks: Int = 2, tag: String? = nil) -> ScootAPI.JobDefinition {
        ScootAPI.JobDefinition(
            tasks: (1...tasks).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "task\($0)") },
            priority: 1, tag: tag, requestor: requestor)
    }

    @Test func jobsSubmittedThroughItAreListedWithEverythingTheirSubmitterSaid() async throws {
        let rig = try await GatewayRig.start()
        let id = try await rig.client.runJob(job: Self.job("land-alice")).id
        let jobs = try await rig.client.listJobs(filter: JobFilter())
        #expect(jobs.map(\.id) == [id])
        let job = try #require(jobs.first)
        #expect(job.requestor == "land-alice" && job.className == "land" && job.tag == id && job.priority == 1 && job.unknownFields == nil)
        try await rig.eventually("its status is read upstream") { try await rig.client.listJobs(filter: JobFilter()).first?.statusAtMs != nil }
        #expect(try await rig.client.listJobs(filter: JobFilter(className: "diff")).isEmpty)
        await rig.stop()
    }

    @Test func errorsComeBackUnchangedAndCloseTheConnection() async throws {
        let rig = try await GatewayRig.start()
        let processor = ScootConsoleProcessor(handler: GatewayService(upstream: UpstreamScheduler(endpoint: HostAndPort(host: "127.0.0.1", port: rig.upstream.port)), state: rig.gateway.state))
        let caller = ThriftLoopbackCaller(processor: processor)
        do {
            _ = try await ScootConsoleClient(caller: caller).killJob(jobId: "nosuch")
            Issue.record("a kill of an unknown job must fail")
        } catch let error as TApplicationException {
            // Exactly what the scheduler said, not wrapped in a second "Internal error processing".
            #expect(error.kind == .internalError)
            #expect(error.message == "Internal error processing KillJob: cannot kill Job Id nosuch, not found.")
        }
        let message = ThriftClientCall.encodeCall(method: "KillJob", sequenceID: 7, arguments: CloudScootMessages.KillJobArguments(jobId: "nosuch"))
        #expect(await processor.process(message).closeConnection, "the connection closes after an error, as Scoot's")
        // A declared exception is a REPLY and keeps the connection.
        await #expect(throws: InvalidRequest.self) { try await rig.client.runJob(job: ScootAPI.JobDefinition(tasks: [])) }
        await rig.stop()
    }

    @Test func workersTasksAndClassLoadsComeFromTheWorkersWithinAPoll() async throws {
        let rig = try await GatewayRig.start()
        let land = try await rig.client.runJob(job: Self.job("land-alice")).id
        let diff = try await rig.client.runJob(job: Self.job("diff-bob", tasks: 1)).id
        await rig.workers[0].set([.init(status: .running, runId: "0", snapshotId: "s1", jobId: land, taskId: "task1", tag: "t-land")])
        await rig.workers[1].set([.init(status: .running, runId: "3", jobId: diff, taskId: "task1", tag: "t-diff")])
        try await rig.eventually("both workers busy") { try await rig.client.listWorkers().filter { $0.state == .busy }.count == 2 }
        let workers = try await rig.client.listWorkers()
        #expect(workers.map(\.id) == rig.workerIDs)
        #expect(workers[0].currentJobId == land && workers[0].currentTaskId == "task1" && workers[0].lastSnapshotId == "s1" && workers[0].reachable == true)
        let tasks = try await rig.client.listTasks(jobId: land)
        #expect(tasks.map(\.taskId) == ["task1", "task2"])
        #expect(tasks[0].workerId == rig.workerIDs[0] && tasks[0].status == .inProgress && tasks[1].workerId == nil)
        let load = try await rig.client.getClusterLoad()
        let classes = Dictionary(uniqueKeysWithValues: load.classes.map { ($0.name, $0) })
        #expect(classes["land"]?.running == 1 && classes["land"]?.waiting == 1)
        #expect(classes["diff"]?.running == 1 && classes["diff"]?.waiting == 0)
        #expect(load.workers?.busy == 2 && load.classes.map(\.target).reduce(0, +) == 2, "targets add up to the workers")
        await rig.stop()
    }

    @Test func aJobSubmittedStraightToTheSchedulerIsFoundOnTheWorkers() async throws {
        let rig = try await GatewayRig.start()
        let other = try await rig.scheduler.runJob(job: Self.job("ci-carol", tasks: 1)).id
        await rig.workers[1].set([.init(status: .running, runId: "0", jobId: other, taskId: "task1", tag: "nightly")])
        try await rig.eventually("the job is found") { try await rig.client.listJobs(filter: JobFilter()).contains { $0.id == other } }
        let job = try #require(try await rig.client.listJobs(filter: JobFilter()).first { $0.id == other })
        #expect(job.tag == "nightly" && job.unknownFields?.contains("requestor") == true)
        // Its requestor is unknown, so it has no class: it occupies a worker but no class's numbers.
        #expect(job.className == "")
        let load = try await rig.client.getClusterLoad()
        #expect(load.classes.map(\.running).reduce(0, +) == 0 && load.workers?.busy == 1)
        await rig.stop()
    }

    @Test func killsAndSettingsAreRecordedWithTheCallerAndSurviveARestart() async throws {
        var rig = try await GatewayRig.start()
        let id = try await rig.client.runJob(job: Self.job("land-alice")).id
        _ = try await rig.client.killJob(jobId: id)
        try await rig.client.setRebalanceThreshold(threshold: 30)
        try await rig.client.offlineWorker(req: OfflineWorkerReq(id: "inmemory3", requestor: "alice"))
        #expect(try await rig.client.listJobs(filter: JobFilter()).first?.killed == true)
        let store = try GatewayStore(dataDirectory: rig.dataDirectory)
        let actions = try await store.actions(limit: 10)
        #expect(actions.map(\.method) == ["OfflineWorker", "SetRebalanceThreshold", "KillJob"])
        #expect(actions.allSatisfy { $0.caller.hasPrefix("127.0.0.1:") && $0.outcome == "ok" })
        #expect(actions[1].arguments == "threshold=30")
        #expect(try await store.definition(ofJob: id)?.requestor == "land-alice")

        // A restart of the gateway keeps the record.
        await rig.gateway.shutdown()
        rig.gateway = try await GatewayRuntime.start(
            .init(
                upstream: HostAndPort(host: "127.0.0.1", port: rig.upstream.port), thriftAddress: HostAndPort(host: "127.0.0.1", port: 0),
                httpAddress: HostAndPort(host: "127.0.0.1", port: 0), dataDirectory: rig.dataDirectory, workers: []),
            logger: Logger(label: "gateway-test"))
        let client = ScootConsoleClient(caller: ThriftClient(configuration: .init(host: "127.0.0.1", port: rig.gateway.thriftServer.port)))
        let jobs = try await client.listJobs(filter: JobFilter())
        #expect(jobs.map(\.id) == [id] && jobs.first?.requestor == "land-alice" && jobs.first?.killed == true)
        await rig.stop()
    }

    @Test func whenTheSchedulerIsDownThePollSaysSoAndTheRecordStays() async throws {
        let rig = try await GatewayRig.start()
        let id = try await rig.client.runJob(job: Self.job("land-alice")).id
        await rig.upstream.shutdown()
        do {
            _ = try await rig.client.getClusterLoad()
            Issue.record("GetClusterLoad must fail while the scheduler is down")
        } catch let error as TApplicationException {
            #expect(error.message?.contains("the gateway cannot reach the Scoot scheduler at 127.0.0.1:\(rig.upstream.port)") == true)
        }
        #expect(try await rig.client.listJobs(filter: JobFilter()).map(\.id) == [id])

        // The scheduler comes back on the same port: the gateway reconnects by itself.
        let restarted = try await ThriftServer.start(
            configuration: .init(host: "127.0.0.1", port: rig.upstream.port), processor: CloudScootProcessor(handler: rig.scheduler),
            logger: Logger(label: "gateway-test"))
        try await rig.eventually("calls work again") { (try? await rig.client.getClusterLoad()) != nil }
        #expect(try await rig.client.getStatus(jobId: id).status == .inProgress)
        await restarted.shutdown()
        await rig.stop()
    }
}
