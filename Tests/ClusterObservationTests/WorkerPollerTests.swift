import ClusterObservation
import Logging
import ScootAPI
import ScootWorkerAPI
import Testing
import Thrift

/// A Scoot worker's Worker service in process: answers QueryWorker with fixed runs, after a delay.
private struct FixedWorker: WorkerHandler {
    var status: ScootWorkerAPI.WorkerStatus
    var delay: Duration = .zero

    func queryWorker() async throws -> ScootWorkerAPI.WorkerStatus {
        if delay > .zero { try await Task.sleep(for: delay) }
        return status
    }

    func run(cmd: RunCommand) async throws -> ScootWorkerAPI.RunStatus { ScootWorkerAPI.RunStatus(status: .failed, runId: "") }
    func abort(runId: String) async throws -> ScootWorkerAPI.RunStatus { ScootWorkerAPI.RunStatus(status: .unknown, runId: runId) }
}

@Suite struct WorkerPollerTests {
    static let running = ScootWorkerAPI.WorkerStatus(
        runs: [ScootWorkerAPI.RunStatus(status: .running, runId: "0", outUri: "http://localhost:10100/output//0-stdout", snapshotId: "snap", jobId: "job-1", taskId: "task1", tag: "tag-1")],
        initialized: true, isHealthy: true, error: "")

    private func start(_ handler: FixedWorker) async throws -> ThriftServer {
        try await ThriftServer.start(
            configuration: .init(host: "127.0.0.1", port: 0), processor: WorkerProcessor(handler: handler), logger: Logger(label: "test"))
    }

    @Test func aSlowOrDeadWorkerNeitherSlowsThePollNorVanishes() async throws {
        let busy = try await start(FixedWorker(status: Self.running))
        let slow = try await start(FixedWorker(status: ScootWorkerAPI.WorkerStatus(runs: [], initialized: true, isHealthy: true, error: ""), delay: .seconds(6)))
        let dead = try await start(FixedWorker(status: Self.running))
        let deadPort = dead.port
        await dead.shutdown()
        let addresses = [busy.port, slow.port, deadPort].map { HostAndPort(host: "127.0.0.1", port: $0) }
        let poller = WorkerPoller(configuration: .init(addresses: addresses, queryTimeout: .seconds(10), answerWait: .milliseconds(300)))

        // The first poll returns long before the slow worker answers (0.3 s against 6 s).
        var first = await poller.poll()
        #expect(first.map(\.id) == addresses.map(\.description))
        #expect(first[1].lastAnswerAtMs == nil, "the slow worker's answer is not waited for")
        // On a loaded machine the other two may take a few polls to answer.
        for _ in 0..<50 where !first[0].reachable || first[2].failure != "connection refused" {
            try await Task.sleep(for: .milliseconds(50))
            first = await poller.poll()
        }
        #expect(first[0].reachable && first[0].activeRuns.map(\.jobId) == ["job-1"])
        #expect(!first[2].reachable && first[2].failure == "connection refused")

        let info = first[0].workerInfo(offline: false)
        #expect(info.state == .busy && info.currentJobId == "job-1" && info.currentTaskId == "task1" && info.lastSnapshotId == "snap")
        #expect(info.runs?.first?.tag == "tag-1" && info.tasksRun == 1)
        #expect(first[2].workerInfo(offline: false).state == .unreachable)
        #expect(first[0].workerInfo(offline: true).state == .offline)

        // The slow worker's query goes on in the background and lands in a later poll.
        var later = await poller.poll()
        while later[1].lastAnswerAtMs == nil {
            try await Task.sleep(for: .milliseconds(200))
            later = await poller.poll()
        }
        #expect(later[1].reachable && later[1].workerInfo(offline: false).state == .idle)
        // The same run seen again is not counted twice.
        #expect(later[0].runsSeen == 1)
        await busy.shutdown()
        await slow.shutdown()
    }

    @Test func anUnhealthyWorkerIsSuspendedWithItsError() {
        let observation = WorkerObservation(
            id: "w:1", reachable: true, status: ScootWorkerAPI.WorkerStatus(runs: [], initialized: true, isHealthy: false, error: "disk full"))
        let info = observation.workerInfo(offline: false)
        #expect(info.state == .suspended && info.healthy == false && info.error == "disk full")
    }
}
