import Testing
@testable import SchedulerCore

/// The rebalance timer keeps running through a short dip of the spread (tasks starting and
/// finishing), is reset once the spread stays at or under the threshold, and fires as soon as
/// the spread is over again when it ran out during a dip.
@Suite struct RebalanceTimerTests {
    /// 10 workers all running class a's tasks; class b waits `waiting` tasks (0: spread 0).
    static func input(waiting: Int, now: Duration, since: Duration?, under: Duration?) throws -> SchedulingInput {
        SchedulingInput(
            healthyWorkers: 10, runningTasks: 10, classLoadPercents: ["a": 50, "b": 50], requestorToClass: try RequestorClassifier(["^a": "a", "^b": "b"]),
            rebalanceThreshold: 10, rebalanceMinimumDuration: .seconds(60), thresholdExceededSince: since, spreadBackUnderSince: under,
            now: now,
            jobs: [
                JobLoad(id: "ja", requestor: "a", running: (0..<10).map { RunningTask(taskID: "t\($0)", startedAt: .zero) }),
                JobLoad(id: "jb", requestor: "b", waiting: (0..<waiting).map { "w\($0)" }),
            ])
    }

    @Test func aShortDipKeepsTheCountdown() throws {
        let started = LoadBasedScheduler.step(try Self.input(waiting: 5, now: .seconds(0), since: nil, under: nil))
        #expect(started.thresholdExceededSince == .seconds(0) && started.rebalanceFiresAt == .seconds(60))
        let dip = LoadBasedScheduler.step(try Self.input(waiting: 0, now: .seconds(10), since: .seconds(0), under: nil))
        #expect(dip.spread <= 10)
        #expect(dip.thresholdExceededSince == .seconds(0) && dip.spreadBackUnderSince == .seconds(10) && dip.rebalanceFiresAt == .seconds(60))
        let back = LoadBasedScheduler.step(try Self.input(waiting: 5, now: .seconds(20), since: .seconds(0), under: .seconds(10)))
        #expect(back.thresholdExceededSince == .seconds(0) && back.spreadBackUnderSince == nil, "the countdown did not restart")
    }

    @Test func aLongDipResetsIt() throws {
        let reset = LoadBasedScheduler.step(try Self.input(waiting: 0, now: .seconds(45), since: .seconds(0), under: .seconds(10)))
        #expect(reset.thresholdExceededSince == nil && reset.spreadBackUnderSince == nil && reset.rebalanceFiresAt == nil)
    }

    @Test func aTimerThatRanOutDuringADipFiresWhenTheSpreadIsOverAgain() throws {
        let during = LoadBasedScheduler.step(try Self.input(waiting: 0, now: .seconds(70), since: .seconds(0), under: .seconds(55)))
        #expect(!during.rebalanced && during.thresholdExceededSince == .seconds(0))
        let over = LoadBasedScheduler.step(try Self.input(waiting: 5, now: .seconds(72), since: .seconds(0), under: .seconds(55)))
        #expect(over.rebalanced && !over.tasksToStop.isEmpty)
    }
}
