import Testing
@testable import SchedulerCore

/// Builds a job with `running` running tasks (started at `startedAt`) and `waiting` waiting ones.
func job(_ id: String, _ requestor: String, running: Int = 0, waiting: Int = 0, priority: Int = 0, startedAt: SchedulerInstant = .zero) -> JobLoad {
    JobLoad(
        id: id, requestor: requestor, priority: priority,
        running: (0..<running).map { RunningTask(taskID: "r\($0)", startedAt: startedAt) },
        waiting: (0..<waiting).map { "w\($0)" })
}

/// The §3.5 cluster: 1000 workers, classes c0…c5 = 30/25/20/15/10/0 %, one job per class.
func readmeExample() throws -> SchedulingInput {
    let percents = ["c0": 30, "c1": 25, "c2": 20, "c3": 15, "c4": 10, "c5": 0]
    let map = Dictionary(uniqueKeysWithValues: percents.keys.map { ("requestor\($0)", $0) })
    let running = ["c0": 200, "c1": 300, "c2": 0, "c3": 100, "c4": 110, "c5": 0]
    let waiting = ["c0": 290, "c1": 230, "c2": 150, "c3": 150, "c4": 90, "c5": 328]
    return SchedulingInput(
        healthyWorkers: 1000, runningTasks: 710, classLoadPercents: percents, requestorToClass: try RequestorClassifier(map),
        jobs: percents.keys.sorted().map { job("job-\($0)", "requestor\($0)", running: running[$0]!, waiting: waiting[$0]!) })
}

@Suite("Load-based algorithm")
struct LoadBasedSchedulerTests {
    @Test func readmeExampleStartsExactlyTheDocumentedTasks() throws {
        let decision = LoadBasedScheduler.step(try readmeExample())
        let starts = decision.classes.mapValues(\.start)
        #expect(starts == ["c0": 94, "c1": 0, "c2": 150, "c3": 46, "c4": 0, "c5": 0])
        #expect(decision.tasksToStart.count == 290)
        #expect(decision.tasksToStop.isEmpty)
        #expect(decision.classes.mapValues(\.target) == ["c0": 300, "c1": 250, "c2": 200, "c3": 150, "c4": 100, "c5": 0])
        #expect(decision.classes["c1"]?.loaned == 50)
        #expect(decision.ignoredJobs == 1, "the 0 % class never runs")
        // Spread over c0 (10), c1 (−5), c2 (20), c3 (5), c4 (−1); c5 is ignored (0 %).
        #expect(decision.spread == 25)
    }

    @Test func tasksOfAJobStartInJobOrder() throws {
        let input = try readmeExample()
        let decision = LoadBasedScheduler.step(input)
        let c2 = decision.tasksToStart.map(input.waitingTask(at:)).filter { $0.jobID == "job-c2" }.map(\.taskID)
        #expect(c2 == (0..<150).map { "w\($0)" })
    }

    @Test func normalizationMatchesScoot() {
        #expect(ClassLoadPercents.normalized(["a": 30, "b": 25, "c": 15, "d": 10, "e": 0]) == ["a": 39, "b": 31, "c": 18, "d": 12, "e": 0])
        #expect(ClassLoadPercents.normalized(["a": 60, "b": 40]) == ["a": 60, "b": 40])
        #expect(ClassLoadPercents.normalized(["a": 1, "b": 1, "c": 1]).values.reduce(0, +) == 100)
        #expect(ClassLoadPercents.normalized(["x": 7]) == ["x": 100])
    }

    @Test func targetsGiveTheRemainderToTheLargestClass() {
        #expect(ClassLoadPercents.targets(workers: 7, percents: ["a": 50, "b": 30, "c": 20]) == ["a": 4, "b": 2, "c": 1])
        #expect(ClassLoadPercents.targets(workers: 0, percents: ["a": 100]) == ["a": 0])
    }

    @Test(arguments: [
        [String: Int](), ["a": -1, "b": 101], ["a": 0, "b": 0],
    ])
    func invalidPercentsAreRejected(percents: [String: Int]) {
        #expect(throws: ClassLoadPercents.InvalidPercents.self) { try ClassLoadPercents.validate(percents) }
    }

    @Test func requestorMappingIsUnanchoredLongestFirstWithSmallestClassFallback() throws {
        let percents = ["land": 50, "diff": 30, "unknown": 1, "zero": 0, "big": 19]
        let classifier = try RequestorClassifier(["land.*": "land", "land-urgent": "diff", "ci": "big", "nowhere": "missing"])
        #expect(classifier.classify("land-bot", percents: percents)?.className == "land")
        #expect(classifier.classify("x-land-urgent-y", percents: percents)?.className == "diff", "longest pattern wins")
        #expect(classifier.classify("my-ci-job", percents: percents)?.className == "big", "unanchored")
        let fallback = try #require(classifier.classify("alice", percents: percents))
        #expect(fallback.className == "zero" && !fallback.matched, "unmatched → smallest percent class")
        #expect(classifier.classify("nowhere", percents: ["land": 99, "unknown": 1])?.className == "unknown", "class without percent → smallest")
        #expect(throws: RequestorClassifier.InvalidMap.self) { try RequestorClassifier(["(": "land"]) }
        #expect(classifier.danglingClasses(against: percents) == ["missing"])
    }

    @Test func aZeroPercentClassNeverRunsAndItsRunningTasksCountNowhere() throws {
        let input = SchedulingInput(
            healthyWorkers: 10, runningTasks: 3, classLoadPercents: ["a": 100, "z": 0],
            requestorToClass: try RequestorClassifier(["za": "z", "aa": "a"]),
            jobs: [job("j1", "za", running: 3, waiting: 5), job("j2", "aa", waiting: 2)])
        let decision = LoadBasedScheduler.step(input)
        #expect(decision.classes["z"] == ClassDecision(percent: 0, target: 0, running: 0, waiting: 0, start: 0, stop: 0))
        #expect(decision.tasksToStart.map { input.waitingTask(at: $0).jobID } == ["j2", "j2"])
    }

    @Test func idleClassesLendTheirWorkers() throws {
        // Only class b has work: it gets every free worker through the loan phase.
        let input = SchedulingInput(
            healthyWorkers: 100, runningTasks: 0, classLoadPercents: ["a": 70, "b": 30],
            requestorToClass: try RequestorClassifier(["^a": "a", "^b": "b"]), jobs: [job("j", "b", waiting: 500)])
        let decision = LoadBasedScheduler.step(input)
        #expect(decision.classes["b"]?.start == 100)
    }

    @Test func leastRunningRoundRobinAcrossJobs() throws {
        let input = SchedulingInput(
            healthyWorkers: 7, runningTasks: 2, classLoadPercents: ["a": 100], requestorToClass: try RequestorClassifier([:]),
            jobs: [job("busy", "r", running: 2, waiting: 5), job("idle1", "r", waiting: 5), job("idle2", "r", waiting: 5)])
        let order = LoadBasedScheduler.step(input).tasksToStart.map { input.waitingTask(at: $0).jobID }
        // idle1 and idle2 catch up with busy's 2 running tasks; then busy, first in that bin.
        #expect(order == ["idle1", "idle2", "idle1", "idle2", "busy"])
    }

    @Test func higherPriorityIsServedFirstInsideAClass() throws {
        let input = SchedulingInput(
            healthyWorkers: 3, runningTasks: 0, classLoadPercents: ["a": 100], requestorToClass: try RequestorClassifier([:]),
            jobs: [job("low", "r", waiting: 5), job("high", "r", waiting: 2, priority: 2), job("mid", "r", waiting: 5, priority: 1)])
        #expect(LoadBasedScheduler.step(input).tasksToStart.map { input.waitingTask(at: $0).jobID } == ["high", "high", "mid"])
    }

    private func rebalanceInput(exceededSince: SchedulerInstant?, now: SchedulerInstant) throws -> SchedulingInput {
        // a (50 %) hogs all 10 workers; b (50 %) waits.
        SchedulingInput(
            healthyWorkers: 10, runningTasks: 10, classLoadPercents: ["a": 50, "b": 50],
            requestorToClass: try RequestorClassifier(["^a": "a", "^b": "b"]),
            rebalanceThreshold: 20, rebalanceMinimumDuration: .seconds(240), thresholdExceededSince: exceededSince, now: now,
            jobs: [
                JobLoad(id: "ja", requestor: "a", running: (0..<10).map { RunningTask(taskID: "t\($0)", startedAt: .seconds($0)) }, waiting: ["x"]),
                job("jb", "b", waiting: 8),
            ])
    }

    @Test func rebalanceWaitsForTheMinimumDurationThenStopsTheNewestTasks() throws {
        let first = LoadBasedScheduler.step(try rebalanceInput(exceededSince: nil, now: .seconds(100)))
        #expect(first.spread == 100)
        #expect(!first.rebalanced)
        #expect(first.thresholdExceededSince == .seconds(100))
        #expect(first.rebalanceFiresAt == .seconds(340))
        #expect(first.tasksToStart.isEmpty, "no free worker")

        let early = LoadBasedScheduler.step(try rebalanceInput(exceededSince: .seconds(100), now: .seconds(340)))
        #expect(!early.rebalanced, "must exceed the minimum duration strictly")

        let firing = try rebalanceInput(exceededSince: .seconds(100), now: .seconds(341))
        let fired = LoadBasedScheduler.step(firing)
        #expect(fired.rebalanced)
        #expect(fired.thresholdExceededSince == nil)
        #expect(fired.classes["a"]?.stop == 5)
        #expect(fired.tasksToStop.map { firing.runningTask(at: $0).taskID } == ["t9", "t8", "t7", "t6", "t5"], "most recently started first")
        #expect(fired.classes["b"]?.start == 5)
    }

    @Test func rebalanceTimerResetsWhenTheSpreadStaysBack() throws {
        var input = try rebalanceInput(exceededSince: .seconds(100), now: .seconds(200))
        input.jobs[1].waiting = []      // b has nothing waiting: a is the only class considered
        input.jobs[1].waitingCount = 0
        input.jobs[0].waiting = []
        input.jobs[0].waitingCount = 0
        let dip = LoadBasedScheduler.step(input)
        #expect(dip.spread == 0)
        #expect(dip.thresholdExceededSince == .seconds(100) && dip.spreadBackUnderSince == .seconds(200), "a dip keeps the timer")
        input.spreadBackUnderSince = .seconds(200)
        input.now = .seconds(200) + LoadBasedScheduler.timerResetGrace
        #expect(LoadBasedScheduler.step(input).thresholdExceededSince == nil, "reset after the grace")
    }

    @Test func rebalanceIsOffByDefault() throws {
        var input = try rebalanceInput(exceededSince: .seconds(0), now: .seconds(100_000))
        input.rebalanceThreshold = 0
        #expect(!LoadBasedScheduler.step(input).rebalanced)
    }
}

@Suite("Worker assignment with snapshot affinity")
struct WorkerAssignmentTests {
    @Test func prefersSameSnapshotThenFreshThenAny() {
        let tasks = [("s1", "a"), ("s2", "b"), ("s3", "c"), ("s4", "d")].map { (task: TaskReference(jobID: "j", taskID: $0.0), snapshotID: $0.1) }
        let idle = [
            WorkerAssignment.IdleWorker(id: "w1", lastSnapshotID: "x"),
            WorkerAssignment.IdleWorker(id: "w2", lastSnapshotID: "b"),
            WorkerAssignment.IdleWorker(id: "w3", lastSnapshotID: ""),
        ]
        let placed = WorkerAssignment.assign(tasks: tasks, idleWorkers: idle)
        #expect(placed.map(\.workerID) == ["w3", "w2", "w1"], "a → fresh, b → same snapshot, c → any, d waits")
        #expect(placed.map(\.task.taskID) == ["s1", "s2", "s3"])
    }
}
