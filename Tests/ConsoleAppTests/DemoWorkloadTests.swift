import ScootAPI
import TestSupport
import Testing
@testable import ConsoleApp

@Suite("The demo workload reaches a steady state")
struct DemoWorkloadTests {
    @Test func submissionsStopAtTheQueueBound() {
        let workload = DemoWorkload(jobsPerMinute: 20, maximumQueuedTasks: 96)
        #expect(workload.shouldSubmit(currentTasks: 95))
        #expect(!workload.shouldSubmit(currentTasks: 96))
    }

    @Test func theQueueStaysBoundedAgainstASchedulerThatRunsNothing() async throws {
        // A scheduler that never runs a task is the worst case: every job stays queued.
        let server = try await CloudScootServer.start(handler: InMemoryCloudScoot(), configuration: .init(host: "127.0.0.1", port: 0))
        let client = CloudScootClient(host: "127.0.0.1", port: server.port)
        // A submission every 10 ms: the bound is reached within a few, and the other tests in
        // this process are not starved.
        let workload = DemoWorkload(jobsPerMinute: 6_000, maximumQueuedTasks: 50)
        let run = Task { await workload.run(client: client) }
        try await Task.sleep(for: .milliseconds(800))
        run.cancel()
        _ = await run.value
        // A RunJob the cancellation cut short at the client may still reach the server (seen
        // under load: it landed between the two reads below): let it land first.
        try await Task.sleep(for: .milliseconds(300))
        let held = Int(try await client.getSchedulerStatus().currentTasks)
        // The initial burst may pass the bound once; after it, nothing more is submitted.
        let largestBurst = (0..<6).map { workload.job($0).tasks.count }.reduce(0, +)
        #expect(held <= max(50 + 40, largestBurst), "held \(held) tasks")
        try await Task.sleep(for: .milliseconds(100))
        #expect(Int(try await client.getSchedulerStatus().currentTasks) == held, "nothing is submitted after cancel")
        await server.shutdown()
    }
}
