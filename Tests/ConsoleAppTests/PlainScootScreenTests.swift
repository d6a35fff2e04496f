import Foundation
import ScootAPI
import TUIKit
import Thrift
import Testing
@testable import ConsoleApp

/// The panes as they look against a real Scoot cluster: workers polled with QueryWorker (one
/// busy, one idle, one unreachable, one unhealthy), a job found on a worker (its requestor and
/// priority unknown), a job killed on Scoot (tasks COMPLETED with ABORTED / UserRequested).
@Suite("Screens against plain Scoot")
struct PlainScootScreenTests {
    static func state(pane: Pane) -> ConsoleState {
        var state = connectedState()
        state.snapshot?.load = ScreenSnapshotTests.load()
        state.snapshot?.workers = [
            WorkerInfo(
                id: "localhost:10101", state: .busy, currentJobId: "0c85c5ff-found", currentTaskId: "task1", lastSnapshotId: "stream-gc-sm-1a2b",
                tasksRun: 3, reachable: true, healthy: true, initialized: true, error: nil,
                runs: [RunStatus(status: .running, runId: "2", snapshotId: "stream-gc-sm-1a2b", jobId: "0c85c5ff-found", taskId: "task1", tag: "nightly")],
                lastAnswerAtMs: 60_500),
            WorkerInfo(id: "localhost:10103", state: .idle, lastSnapshotId: "", tasksRun: 1, reachable: true, healthy: true, initialized: true, runs: [], lastAnswerAtMs: 60_500),
            WorkerInfo(id: "localhost:10105", state: .unreachable, lastSnapshotId: "", tasksRun: 0, reachable: false, error: "connection refused", lastAnswerAtMs: 1_000),
            WorkerInfo(id: "localhost:10107", state: .suspended, lastSnapshotId: "", tasksRun: 0, reachable: true, healthy: false, initialized: true, error: "disk full", runs: []),
        ]
        var found = sampleJob("0c85c5ff-found", requestor: "", className: "", running: 1, waiting: 0, submitted: 31_000)
        found.tag = "nightly"
        found.unknownFields = ["requestor", "basis", "priority", "submittedAt", "jobType"]
        found.statusAtMs = 58_000
        var killed = sampleJob("7e9a1c2d-killed", requestor: "land-alice", running: 0, waiting: 0, failed: 2, submitted: 2_000)
        killed.status = .completed
        killed.killed = true
        killed.statusAtMs = 60_000
        state.snapshot?.jobs = [found, killed]
        state.snapshot?.selectedJobStatus = JobStatus(
            id: "7e9a1c2d-killed", status: .completed, taskStatus: ["task1": .completed, "task2": .completed],
            taskData: [
                "task1": RunStatus(status: .aborted, runId: "", error: "UserRequested", exitCode: 0),
                "task2": RunStatus(status: .aborted, runId: "5", error: "UserRequested -> Error(s) encountered, canceling task.", exitCode: 0),
            ])
        state.snapshot?.selectedJobTasks = [
            TaskSummary(taskId: "task1", status: .completed, attempts: 0),
            TaskSummary(taskId: "task2", status: .completed, workerId: "localhost:10101", startedAtMs: 3_000, endedAtMs: 40_000, attempts: 1),
        ]
        state.tasksOfJob = "7e9a1c2d-killed"
        state.pane = pane
        return state
    }

    private func render(_ pane: Pane) -> Buffer {
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(Self.state(pane: pane), into: &buffer)
        return buffer
    }

    /// The first cell of `text` on the screen.
    private func find(_ text: String, in buffer: Buffer) -> (x: Int, y: Int)? {
        for (y, line) in buffer.lines().enumerated() {
            if let range = line.range(of: text) { return (line.distance(from: line.startIndex, to: range.lowerBound), y) }
        }
        return nil
    }

    @Test func polledWorkersSayWhatTheyRunAndWhyOneTakesNoWork() throws {
        try ScreenSnapshotTests().check("workers-polled-120x40", Self.state(pane: .workers), width: 120, height: 40)
        let buffer = render(.workers)
        let unreachable = try #require(find("✖ unreachable", in: buffer))
        #expect(buffer[unreachable.x, unreachable.y]?.role == .stateFailed)
        #expect(buffer.lines().contains { $0.contains("connection refused (answered 60s ago)") })
        #expect(buffer.lines().contains { $0.contains("nightly") && $0.contains("▶ busy") })
    }

    @Test func aJobFoundOnAWorkerShowsWhatIsUnknownAndAKilledJobReadsKilled() throws {
        try ScreenSnapshotTests().check("jobs-plain-scoot-120x40", Self.state(pane: .jobs), width: 120, height: 40)
        let buffer = render(.jobs)
        let row = try #require(buffer.lines().first { $0.contains("0c85c5ff-fo") })
        #expect(row.contains("≥30s") && row.contains(" ? "))
        let killedRow = try #require(buffer.lines().first { $0.contains("7e9a1c2d") })
        #expect(killedRow.contains("⊘ killed") && !killedRow.contains("failed"))
        #expect(buffer.lines().contains { $0.contains("SEEN") })
    }

    @Test func killedTasksReadKilledNotFailed() throws {
        let buffer = render(.tasks)
        let lines = buffer.lines().filter { $0.contains("task1") || $0.contains("task2") }
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("⊘ killed") })
        #expect(lines.contains { $0.contains("localhost:10101") })
    }

    @Test func whatIfPreviewsSayWhatAPlainScootCannotTell() {
        var state = Self.state(pane: .settings)
        state.snapshot?.load = nil
        state.snapshot?.limitations = ["Classes: /admin/metrics.json at 127.0.0.1:9091 has no class stats yet (Scoot publishes them after its first minute); the gateway computes them live"]
        let threshold = OverlayView.preview(.threshold, text: "30", state: state)
        #expect(threshold.first?.hasPrefix("The spread is not known here (Classes: /admin/metrics.json") == true)
        #expect(threshold.last == "With 30: a rebalance fires once the spread stays above 30pp for 4 min.")
        let percents = OverlayView.preview(.percents, text: "land=50,diff=50", state: state)
        #expect(percents.contains { $0.hasPrefix("  land") }, "the preview is computed from the polled workers")
        #expect(percents.contains("Not known here: 1 unfinished job(s) have no known requestor (found on workers): counted in the smallest class; the gateway knows them"))
        // A job with an unknown requestor makes the starts a range.
        state.snapshot?.jobs[0].waitingTasks = 3
        let ranged = WhatIf.preview(state.snapshot!, percents: ["land": 50, "diff": 50]) ?? []
        #expect(ranged.contains { $0.startRange != nil }, "\(ranged)")
        #expect(OverlayView.preview(.percents, text: "land=50,diff=50", state: state).contains { $0.contains("–") })
        // The targets add up to the polled workers that take work (busy + idle), not to the tasks.
        let targets = WhatIf.preview(state.snapshot!, percents: ["land": 50, "diff": 50])?.map(\.target) ?? []
        #expect(targets.reduce(0, +) == 2)
    }

    @Test func aGatewayWhoseSchedulerIsDownSaysSoRatherThanThatItCannotBeReached() {
        let failure = PollFailure(describing: TApplicationException(
            .internalError, message: "Internal error processing GetClusterLoad: the gateway cannot reach the Scoot scheduler at 10.0.0.5:9090: connection refused"))
        #expect(failure.message == "the gateway cannot reach the Scoot scheduler at 10.0.0.5:9090: connection refused")
        var state = Self.state(pane: .jobs)
        state.connection = .disconnected(error: failure.message, retryAt: .seconds(5))
        var buffer = Buffer(area: Rect(width: 140, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains {
            $0.contains("127.0.0.1:9090: the gateway cannot reach the Scoot scheduler at 10.0.0.5:9090: connection refused — showing the last data")
        })
    }

    /// Scoot's metrics in its first minute are `{}`: that is no class load, not eight idle classes.
    @Test func metricsWithoutClassStatsAreNoLoadRatherThanZeroRows() throws {
        let settings = ClusterSnapshot.Settings(classLoadPercents: ["land": 60, "diff": 40], requestorToClassMap: [:], rebalanceThreshold: 0, rebalanceMinimumDuration: 4)
        #expect(try SchedulerMetrics(json: Array("{}".utf8)).clusterLoad(settings: settings, computedAtMs: 0) == nil)
        let latched = try SchedulerMetrics(json: Array(#"{"scheduler/availableNodes": 4, "scheduler/schedRunningTasks__land": 3}"#.utf8))
        #expect(latched.clusterLoad(settings: settings, computedAtMs: 0)?.classes.first { $0.name == "land" }?.running == 3)
    }
}
