import Testing
@testable import SchedulerCore

@Suite("Manual clock and simulated workers")
struct ClockAndSimulationTests {
    @Test func sleepersWakeOnlyOnceTimePassesTheirDeadline() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(until: .seconds(10)) }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.now == .seconds(10))
        try await clock.sleep(until: .seconds(3))  // a deadline in the past returns at once
    }

    @Test func aCancelledSleeperThrows() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(until: .seconds(10)) }
        while clock.sleeperCount == 0 { await Task.yield() }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func theContinuousClockMovesForward() {
        let clock = ContinuousSchedulerClock()
        let first = clock.now
        #expect(first >= .zero)
        #expect(clock.now >= first)
    }

    @Test(arguments: [
        (["sleep", "2.5"], Duration.milliseconds(2500)),
        (["sh", "-c", "sleep 3"], .seconds(3)),
        (["bash", "-c", "  sleep 0.25 "], .milliseconds(250)),
    ])
    func sleepCommandsGiveTheirDuration(argv: [String], expected: Duration) {
        #expect(SimulatedCommand.sleepDuration(of: argv) == expected)
    }

    @Test(arguments: [["echo", "hi"], ["sleep"], ["sleep", "-1"], ["sleep", "x"], ["sh", "-c", "sleep 1; exit 1"]])
    func otherCommandsUseTheDurationModel(argv: [String]) {
        #expect(SimulatedCommand.sleepDuration(of: argv) == nil)
    }

    @Test func seededRandomDurationsRepeatAndStayInRange() {
        func durations() -> [Duration] {
            let clock = ManualClock()
            let workers = SimulatedWorkers(
                clock: clock, configuration: .init(workerCount: 1, durationModel: .uniform(.seconds(1)...(.seconds(3)), seed: 42)))
            var finishes: [Duration] = []
            for attempt in 1...20 {
                workers.startRun(
                    RunRequest(
                        attemptID: attempt, workerID: "sim-worker-0", task: TaskReference(jobID: "j", taskID: "t\(attempt)"),
                        argv: ["work"], environment: [:], snapshotID: "", timeout: .seconds(60), tag: ""))
            }
            for _ in 0..<3000 {
                clock.advance(by: .milliseconds(1))
                for event in workers.collectEvents() {
                    if case .finished = event { finishes.append(clock.now) }
                }
            }
            return finishes
        }
        let first = durations()
        #expect(first.count == 20)
        #expect(first.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(3) })
        #expect(Set(first).count > 5)
        #expect(durations() == first)
    }

    @Test func workersAnnounceThemselvesAndReportRunningThenTheConfiguredExitCode() {
        let clock = ManualClock()
        let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2, idPrefix: "w", outcome: .exit(7)))
        #expect(workers.collectEvents() == [.joined(workerID: "w0"), .joined(workerID: "w1")])
        workers.startRun(
            RunRequest(
                attemptID: 9, workerID: "w1", task: TaskReference(jobID: "j", taskID: "t"), argv: ["sleep", "2"], environment: [:],
                snapshotID: "s", timeout: .seconds(60), tag: "tag"))
        let running = RunStatus(state: .running, runID: "0", outURI: "sim://w1/runs/0/stdout", errURI: "sim://w1/runs/0/stderr", snapshotID: "s")
        #expect(workers.collectEvents() == [.progress(attemptID: 9, status: running)])
        clock.advance(by: .seconds(2))
        var finished = running
        finished.state = .complete
        finished.exitCode = 7
        #expect(workers.collectEvents() == [.finished(attemptID: 9, status: finished)])
        #expect(workers.collectEvents().isEmpty)
    }
}
