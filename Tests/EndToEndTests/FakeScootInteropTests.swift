import TestSupport
import ClusterObservation
import ConsoleApp
import Foundation
import Glibc
import ScootAPI
import ScootWorkerAPI
import Testing
import Thrift

/// A fake Scoot cluster (Apache Thrift's Python library: a scheduler and 4 workers behaving as
/// real Scoot's do) in a process of its own.
final class FakeScootClusterProcess: @unchecked Sendable {
    private let process = Process()
    /// The scheduler's CloudScoot address.
    let scheduler: HostAndPort
    /// The scheduler's metrics address.
    let http: HostAndPort
    /// The workers' thrift addresses (their ids in the scheduler).
    let workers: [HostAndPort]

    init(workers count: Int = 4) async throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", PythonInterop.interopScripts.appendingPathComponent("fake_scoot_cluster.py").path, "--workers", String(count),
            "--poll-max", "0.25",
        ]
        process.environment = try await PythonInterop.pythonEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        let line = await PythonInterop.firstLine(of: pipe.fileHandleForReading)
        struct Description: Decodable { var scheduler: String; var http: String; var workers: [String] }
        guard line.hasPrefix("CLUSTER "), let description = try? JSONDecoder().decode(Description.self, from: Data(line.dropFirst(8).utf8)) else {
            process.terminate()
            throw PythonInterop.InteropError("fake_scoot_cluster.py did not describe the cluster; it printed: \(line)")
        }
        scheduler = try HostAndPort(parsing: description.scheduler)
        http = try HostAndPort(parsing: description.http)
        workers = try description.workers.map { try HostAndPort(parsing: $0) }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Ended even when a test throws first: a process left running would hold the runner's output.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// `scoot-console gateway` in front of `upstream`, polling `workers`.
final class GatewayProcess: @unchecked Sendable {
    private let process = Process()
    /// Where clients connect.
    let port: Int

    init(upstream: HostAndPort, workers: [HostAndPort], dataDirectory: URL) async throws {
        process.executableURL = ServeProcess.binary
        process.arguments = [
            "gateway", "--upstream", upstream.description, "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
            "--data-dir", dataDirectory.path, "--scoot-workers", workers.map(\.description).joined(separator: ","), "--log-level", "warning",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        let banner = await PythonInterop.firstLine(of: pipe.fileHandleForReading)
        guard let range = banner.range(of: "CloudScoot on 127.0.0.1:"), let port = Int(banner[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw PythonInterop.InteropError("gateway did not print its address; it printed: \(banner)")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Ended even when a test throws first: a process left running would hold the runner's output.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs `body` with a fake Scoot cluster and a gateway in front of it, then stops both.
    static func inFrontOfAFakeCluster(_ body: (FakeScootClusterProcess, GatewayProcess) async throws -> Void) async throws {
        let cluster = try await FakeScootClusterProcess()
        defer { cluster.stop() }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-interop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let gateway = try await GatewayProcess(upstream: cluster.scheduler, workers: cluster.workers, dataDirectory: data)
        defer { gateway.stop() }
        try await body(cluster, gateway)
    }
}

/// Polls `condition` every 100 ms for up to 20 s; returns whether it came to hold.
private func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<200 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}

@Suite("A plain Scoot cluster (Python fakes), seen through the gateway and by the console", .serialized)
struct FakeScootInteropTests {
    static func job(_ requestor: String, tasks: Int) -> JobDefinition {
        JobDefinition(tasks: (1...tasks).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "task\($0)") }, requestor: requestor)
    }

    @Test func theFakesBehaveAsScootDoes() async throws {
        let result = try await PythonInterop.runScript("fake_scoot_check.py", [])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains(" passed, 0 failed"))
    }

    @Test func theGatewayPassesEveryAnswerAndRefusalBackUnchanged() async throws {
        try await GatewayProcess.inFrontOfAFakeCluster { cluster, gateway in
            let result = try await PythonInterop.runScript("gateway_check.py", [cluster.scheduler.description, "127.0.0.1:\(gateway.port)"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains(" passed, 0 failed"))
        }
    }

    @Test func throughTheGatewayEveryPaneIsFilled() async throws {
        try await GatewayProcess.inFrontOfAFakeCluster { cluster, gateway in try await Self.everyPaneIsFilled(cluster, gateway) }
    }

    private static func everyPaneIsFilled(_ cluster: FakeScootClusterProcess, _ gateway: GatewayProcess) async throws {
        let client = ScootConsoleClient(caller: ThriftClient(configuration: .init(host: "127.0.0.1", port: gateway.port, callTimeout: .seconds(10))))
        let land = try await client.runJob(job: Self.job("land-alice", tasks: 2)).id
        let diff = try await client.runJob(job: Self.job("diff-bob", tasks: 1)).id
        let ci = try await client.runJob(job: Self.job("CI-carol", tasks: 1)).id

        #expect(try await eventually { try await client.listWorkers().filter { $0.state == .busy }.count == 4 }, "4 tasks on 4 workers")
        let jobs = Dictionary(uniqueKeysWithValues: try await client.listJobs(filter: JobFilter()).map { ($0.id, $0) })
        #expect(jobs[land]?.requestor == "land-alice" && jobs[land]?.className == "land" && jobs[land]?.tag == land)
        #expect(jobs[diff]?.className == "diff" && jobs[ci]?.className == "regression")
        #expect(jobs.values.allSatisfy { $0.submittedAtMs > 0 && $0.unknownFields == nil })
        let workers = try await client.listWorkers()
        #expect(Set(workers.map(\.id)) == Set(cluster.workers.map(\.description)))
        #expect(Set(workers.compactMap(\.currentJobId)) == [land, diff, ci])
        #expect(try await eventually { try await client.listTasks(jobId: land).allSatisfy { $0.workerId != nil && $0.status == .inProgress } })
        let load = try await client.getClusterLoad()
        let running = Dictionary(uniqueKeysWithValues: load.classes.map { ($0.name, $0.running) })
        #expect(running["land"] == 2 && running["diff"] == 1 && running["regression"] == 1 && load.workers?.busy == 4)

        // A kill through the gateway: killed, not failed, once Scoot has aborted the tasks.
        _ = try await client.killJob(jobId: land)
        #expect(try await eventually {
            let job = try await client.listJobs(filter: JobFilter()).first { $0.id == land }
            return job?.status == .completed && job?.killed == true
        })
        let status = try await client.getStatus(jobId: land)
        #expect(status.taskData?.values.allSatisfy { JobStatusDigest.abortReason($0) == .user } == true)
    }

    @Test func theConsoleWithScootWorkersListsEveryRunningJobByItself() async throws {
        let cluster = try await FakeScootClusterProcess()
        defer { cluster.stop() }
        let scheduler = CloudScootClient(host: cluster.scheduler.host, port: cluster.scheduler.port)
        let ids = [
            try await scheduler.runJob(job: Self.job("land-alice", tasks: 1)).id, try await scheduler.runJob(job: Self.job("diff-bob", tasks: 2)).id,
        ]
        let source = ThriftDataSource(
            caller: ThriftClient(configuration: .init(host: cluster.scheduler.host, port: cluster.scheduler.port)),
            metricsAddress: cluster.http, workerPoller: WorkerPoller(configuration: .init(addresses: cluster.workers)))
        #expect(try await eventually {
            let snapshot = try await source.fetch(selectedJob: nil)
            return Set(snapshot.jobs.filter { $0.runningTasks > 0 }.map(\.id)) == Set(ids)
        }, "both jobs found on the workers without :track")
        let snapshot = try await source.fetch(selectedJob: ids[1])
        // Scoot publishes its stats only after its first minute (the fake latches them the same way).
        #expect(snapshot.limitation(of: .classes)?.contains("no class stats yet") == true, "\(snapshot.limitations)")
        #expect(snapshot.limitation(of: .workers) == nil, "the workers are polled, not counted from the metrics")
        #expect(snapshot.workers.count == 4 && snapshot.workers.filter { $0.state == .busy }.count == 3)
        #expect(snapshot.workerCounts?.running == 3 && snapshot.workerCounts?.free == 1)
        #expect(snapshot.selectedJobTasks.map(\.taskId) == ["task1", "task2"])
        #expect(snapshot.selectedJobTasks.allSatisfy { task in cluster.workers.map(\.description).contains(task.workerId ?? "") })
        // The output of a running task, read from its worker's HTTP port.
        var outUri: String?
        _ = try await eventually {
            outUri = try await source.fetch(selectedJob: ids[1]).selectedJobStatus?.taskData?["task1"]?.outUri
            return outUri != nil
        }
        let uri = try #require(outUri, "Scoot reports a running task's output URL once its worker said RUNNING")
        #expect(uri.hasPrefix("http://"))
        let output = await TaskOutput.lastLines(of: [uri])
        #expect(output.contains { $0.hasPrefix("line ") && $0.hasSuffix(" of task task1") }, "\(output)")
        let said = try await source.perform(.killJobs([ids[1]]))
        #expect(said.hasPrefix("kill of \(ids[1]) accepted: the scheduler is aborting its 2 running tasks"), "\(said)")
        #expect(try await eventually {
            let job = try await source.fetch(selectedJob: nil).jobs.first { $0.id == ids[1] }
            return job?.status == .completed && job?.killed == true
        })
        // Offline and reinstate take the worker ids the workers were polled by.
        _ = try await source.perform(.offlineWorker(cluster.workers[3].description))
        #expect(try await source.fetch(selectedJob: nil).workers.first { $0.id == cluster.workers[3].description }?.state == .offline)
        _ = try await source.perform(.reinstateWorker(cluster.workers[3].description))
    }
}
