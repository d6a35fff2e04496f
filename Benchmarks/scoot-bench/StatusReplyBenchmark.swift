// The status entry of `make bench`: the server side of GetStatus on a killed 1,000- and
// 100,000-task job (what KillJob answers), answered by the generated processor (the scheduler's
// JobStatus, converted to the wire's maps, encoded) and by `ServeProcessor` (written
// straight from the scheduler's snapshot), side by side in one run on the same scheduler.
import NIOCore
import SchedulerCore
import ScootAPI
import ScootServer
import Thrift

/// Runs the status benchmark and prints its table.
func runStatusReplyBenchmark() async throws {
    print("scoot-bench: GetStatus of a killed job, server side (message in, reply bytes out); median of 5 alternating rounds, ms")
    print("tasks      generated processor   from the snapshot   ratio   reply bytes")
    for tasks in [1_000, 100_000] {
        let clock = ManualClock()
        var configuration = SchedulerConfiguration()
        configuration.maxTasksPerJob = tasks
        let scheduler = Scheduler(
            configuration: configuration, clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 50)))
        let service = SchedulerService(scheduler: scheduler, metrics: ServerMetrics())
        let generated = ScootConsoleProcessor(handler: service)
        let direct = ServeProcessor(wrapping: generated, service: service)
        let definition = SchedulerCore.JobDefinition(
            tasks: (0..<tasks).map { SchedulerCore.TaskDefinition(taskID: "task-\($0)", argv: ["sleep", "1000"]) }, requestor: "bench")
        let id = try await scheduler.runJob(definition)
        await scheduler.step()
        _ = try await scheduler.kill(jobID: id)
        let call = ThriftClientCall.encodeCall(method: "GetStatus", sequenceID: 1, arguments: CloudScootMessages.GetStatusArguments(jobId: id))
        let iterations = tasks > 10_000 ? 5 : 200
        var generatedRounds: [Double] = []
        var directRounds: [Double] = []
        var replyBytes = 0
        for _ in 0..<5 {
            generatedRounds.append(await medianMilliseconds(iterations: iterations) { _ = await generated.process(call) })
            directRounds.append(await medianMilliseconds(iterations: iterations) {
                replyBytes = await direct.process(call).reply?.readableBytes ?? 0
            })
        }
        let before = generatedRounds.sorted()[2]
        let after = directRounds.sorted()[2]
        print(
            String(tasks).padding(toLength: 11, withPad: " ", startingAt: 0)
                + "\(format(before))          \(format(after))      \(String(format: "%5.2f", before / after))x   \(replyBytes)")
    }
}

/// Median wall time of `body` in milliseconds over `iterations` runs, after one warm-up.
private func medianMilliseconds(iterations: Int, _ body: () async -> Void) async -> Double {
    await body()
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<iterations {
        let start = clock.now
        await body()
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    return samples.sorted()[samples.count / 2]
}
