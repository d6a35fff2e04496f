// The gateway entry of `make bench`: what `scoot-console gateway` adds to a call, side by side in
// one run with the same calls straight at the CloudScoot server it forwards to (the in-memory
// handler of `demo-server`, a plain CloudScoot without admission limits, on loopback), and what
// its console calls cost with many jobs recorded.
import TestSupport
import Foundation
import Logging
import ScootAPI
import ScootGateway
import Thrift

/// p50 and p99 in milliseconds of `count` sequential runs of `call`.
private func latencies(_ count: Int, _ call: () async throws -> Void) async throws -> (p50: Double, p99: Double) {
    var samples: [Double] = []
    for _ in 0..<count {
        let start = ContinuousClock.now
        try await call()
        samples.append(milliseconds(ContinuousClock.now - start))
    }
    samples.sort()
    return (samples[count / 2], samples[count * 99 / 100])
}

/// Runs the gateway benchmark and prints its table.
func runGatewayBenchmark() async throws {
    print("")
    print("scoot-bench: gateway in front of a plain CloudScoot server (loopback, 1 connection each, sequential calls)")
    var logger = Logger(label: "scoot-bench")
    logger.logLevel = .error
    let upstream = try await ThriftServer.start(
        configuration: .init(host: "127.0.0.1", port: 0), processor: CloudScootProcessor(handler: InMemoryCloudScoot()), logger: logger)
    let gatewayData = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-bench-gateway-\(UUID().uuidString)")
    let gateway = try await GatewayRuntime.start(
        .init(
            upstream: HostAndPort(host: "127.0.0.1", port: upstream.port), thriftAddress: HostAndPort(host: "127.0.0.1", port: 0),
            httpAddress: HostAndPort(host: "127.0.0.1", port: 0), dataDirectory: gatewayData, workers: []),
        logger: logger)
    let direct = CloudScootClient(host: "127.0.0.1", port: upstream.port, connectTimeout: .seconds(10), callTimeout: .seconds(60))
    let through = ScootConsoleClient(caller: ThriftClient(configuration: .init(host: "127.0.0.1", port: gateway.thriftServer.port, callTimeout: .seconds(60))))
    let job = ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "600"]), taskId: "t")], requestor: "land-bench")
    let known = try await direct.runJob(job: job).id
    print("  call                               direct p50/p99 ms   gateway p50/p99 ms   gateway/direct (p50)")
    func row(_ name: String, _ count: Int, _ directCall: () async throws -> Void, _ gatewayCall: () async throws -> Void) async throws {
        try await directCall()
        try await gatewayCall()  // connect and warm up
        let a = try await latencies(count, directCall)
        let b = try await latencies(count, gatewayCall)
        let label = name.padding(toLength: 34, withPad: " ", startingAt: 0)
        print("  " + label + String(format: " %8.2f / %6.2f   %8.2f / %7.2f   %6.2f×", a.p50, a.p99, b.p50, b.p99, b.p50 / a.p50))
    }
    try await row("GetSchedulerStatus", 2000, { _ = try await direct.getSchedulerStatus() }, { _ = try await through.getSchedulerStatus() })
    try await row("GetStatus of a 1-task job", 2000, { _ = try await direct.getStatus(jobId: known) }, { _ = try await through.getStatus(jobId: known) })
    try await row("RunJob of a 1-task job (recorded)", 500, { _ = try await direct.runJob(job: job) }, { _ = try await through.runJob(job: job) })

    print("  with N jobs recorded              GetClusterLoad p50/p99 ms   ListJobs(500) p50/p99 ms")
    var recorded = 500
    for target in [1_000, 10_000] {
        while recorded < target {
            _ = try await through.runJob(job: job)
            recorded += 1
        }
        let load = try await latencies(200) { _ = try await through.getClusterLoad() }
        let list = try await latencies(200) { _ = try await through.listJobs(filter: JobFilter(limit: 500)) }
        print(String(format: "  %6d                             %8.2f / %7.2f        %8.2f / %7.2f", target, load.p50, load.p99, list.p50, list.p99))
    }
    await gateway.shutdown()
    await upstream.shutdown()
    try? FileManager.default.removeItem(at: gatewayData)
}
