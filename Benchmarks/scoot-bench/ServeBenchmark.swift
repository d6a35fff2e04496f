// The serve entry of `make bench`: GetStatus throughput and latency on a 1,000-task job over 1
// and 4 connections, and end-to-end throughput of 200 `true` tasks on 4 process workers, against
// a real `serve` runtime (Thrift server, SQLite job log, process workers) on loopback.
import Foundation
import Logging
import SchedulerCore
import ScootAPI
import ScootServer
import Thrift

/// Starts a serve runtime on free loopback ports with `workers` process workers in a temporary directory.
func startBenchmarkServer(workers: Int) async throws -> (ServeRuntime, URL) {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-bench-serve-\(UUID().uuidString)")
    var logger = Logger(label: "scoot-bench")
    logger.logLevel = .error
    let runtime = try await ServeRuntime.start(
        .init(thriftAddress: HostAndPort(host: "127.0.0.1", port: 0), httpAddress: HostAndPort(host: "127.0.0.1", port: 0),
              processWorkers: workers, simulatedWorkers: 0, dataDirectory: data, scheduler: SchedulerConfiguration()),
        logger: logger)
    return (runtime, data)
}

func benchmarkClient(_ runtime: ServeRuntime) -> CloudScootClient {
    CloudScootClient(host: "127.0.0.1", port: runtime.thriftServer.port, connectTimeout: .seconds(10), callTimeout: .seconds(60))
}

/// Submits `tasks` tasks of `argv` as one job and waits until it completes; returns its id and the time taken.
func runJobToCompletion(_ client: CloudScootClient, tasks: Int, argv: [String]) async throws -> (id: String, elapsed: Duration) {
    let start = ContinuousClock.now
    let job = ScootAPI.JobDefinition(
        tasks: (0..<tasks).map { TaskDefinition(command: Command(argv: argv), taskId: "task-\($0)") }, requestor: "bench")
    let id = try await client.runJob(job: job).id
    while try await client.getStatus(jobId: id).status != .completed {
        try await Task.sleep(for: .milliseconds(2))
    }
    return (id, ContinuousClock.now - start)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Runs the serve benchmark and prints its table.
func runServeBenchmark() async throws {
    print("")
    print("scoot-bench: serve on loopback (Thrift unframed, SQLite job log, process workers)")
    let (statusServer, statusData) = try await startBenchmarkServer(workers: 4)
    let setup = benchmarkClient(statusServer)
    let (jobID, _) = try await runJobToCompletion(setup, tasks: 1000, argv: ["true"])
    print("  GetStatus of a 1,000-task job   connections   calls/s   p50 ms   p99 ms")
    for connections in [1, 4] {
        let callsPerConnection = 400
        let clients = (0..<connections).map { _ in benchmarkClient(statusServer) }
        for client in clients { _ = try await client.getStatus(jobId: jobID) }  // connect and warm up
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in clients {
                group.addTask {
                    var samples: [Double] = []
                    for _ in 0..<callsPerConnection {
                        let callStart = ContinuousClock.now
                        _ = try await client.getStatus(jobId: jobID)
                        samples.append(milliseconds(ContinuousClock.now - callStart))
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }.sorted()
        let elapsed = milliseconds(ContinuousClock.now - start) / 1000
        print(String(format: "                                  %11d  %8.0f  %7.2f  %7.2f", connections,
                     Double(latencies.count) / elapsed, latencies[latencies.count / 2], latencies[latencies.count * 99 / 100]))
    }
    await statusServer.shutdown()
    try? FileManager.default.removeItem(at: statusData)

    let (runServer, runData) = try await startBenchmarkServer(workers: 4)
    let (_, elapsed) = try await runJobToCompletion(benchmarkClient(runServer), tasks: 200, argv: ["true"])
    let seconds = milliseconds(elapsed) / 1000
    print(String(format: "  200 tasks of `true` on 4 process workers: %.2f s from submit to last completion, %.0f tasks/s", seconds, 200 / seconds))
    print("  (Scoot steps every 250 ms and starts at most one wave of 4 tasks per step: at least 12.5 s for the same work)")
    await runServer.shutdown()
    try? FileManager.default.removeItem(at: runData)
}
