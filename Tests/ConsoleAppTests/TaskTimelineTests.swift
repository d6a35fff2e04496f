import Foundation
import ScootAPI
import Thrift
import TUIKit
import Testing
@testable import ConsoleApp

/// Where a poll's cluster load came from.
enum TimelineLoad {
    /// None: the tests that need no load.
    case none
    /// GetClusterLoad of a server with the console extension (serve, the gateway), which
    /// carries the scheduler status.
    case consoleExtension
    /// What the console computes from a plain Scoot's `/admin/metrics.json`: no scheduler status.
    case metrics
}

/// One poll of job `job` at `seconds` after `TimelineSample.base`: each task's status and latest
/// run (GetStatus), and the task list (ListTasks' entries, or what the console saw on a plain
/// Scoot's workers).
func timelinePoll(
    _ seconds: Int64, job: String = "job-a", _ tasks: [String: (Status, RunStatus?)], listed: [TaskSummary] = [], load: TimelineLoad = .none
) -> ClusterSnapshot {
    var snapshot = sampleSnapshot(jobs: [sampleJob(job, submitted: TimelineSample.base)])
    snapshot.selectedJobStatus = JobStatus(
        id: job, status: .inProgress, taskStatus: ThriftMap(uniqueKeysWithValues: tasks.map { ($0.key, $0.value.0) }),
        taskData: ThriftMap(uniqueKeysWithValues: tasks.compactMap { task in task.value.1.map { (task.key, $0) } }))
    snapshot.selectedJobTasks = listed
    snapshot.observedAt = Date(timeIntervalSince1970: Double(TimelineSample.base + seconds * 1000) / 1000)
    let computedAtMs = TimelineSample.base + seconds * 1000
    switch load {
    case .none: snapshot.load = nil
    case .metrics:
        snapshot.load = ClusterLoad(classes: [], spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 0, computedAtMs: computedAtMs)
    case .consoleExtension:
        snapshot.load = ClusterLoad(
            classes: [], spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 0, computedAtMs: computedAtMs,
            schedulerStatus: snapshot.schedulerStatus)
    }
    return snapshot
}

/// Times of the timeline tests: milliseconds from `base`, the job's submission.
enum TimelineSample {
    static let base: Int64 = 1_796_000_000_000
    static func ms(_ seconds: Int64) -> Int64 { base + seconds * 1000 }
    static let running = RunStatus(status: .running, runId: "1")
    static let done = RunStatus(status: .complete, runId: "1", exitCode: 0)
}

/// The timeline of what `polls` showed, as the Tasks pane builds it.
func timeline(of polls: [ClusterSnapshot]) -> TaskTimeline {
    var state = connectedState()
    state.tasksOfJob = polls.last?.selectedJobStatus?.id
    for poll in polls {
        state.taskHistory.record(poll)
        state.snapshot = poll
    }
    return state.taskTimelineModel!
}

/// The bars of `lane` as (kind, start, end) in seconds from `TimelineSample.base`.
func shape(_ lane: TaskTimeline.Lane) -> [String] {
    lane.bars.map { "\($0.kind.word) \(($0.startMs - TimelineSample.base) / 1000)–\(($0.endMs - TimelineSample.base) / 1000)\($0.isOpen ? "…" : "")" }
}

@Suite("Task timeline: the history of attempts and the bars")
struct TaskTimelineTests {
    typealias S = TimelineSample

    @Test func waitingThenRunningThenDoneAsThePollsSawIt() {
        let timeline = timeline(of: [
            timelinePoll(10, ["t1": (.notStarted, nil)]),
            timelinePoll(20, ["t1": (.inProgress, S.running)]),
            timelinePoll(30, ["t1": (.completed, S.done)]),
        ])
        #expect(timeline.source == .observed)
        let lane = timeline.lane(at: 0)
        #expect(shape(lane) == ["waiting 0–20", "done 20–30"])
        #expect(lane.bars.dropFirst().allSatisfy { $0.startIsSeen && $0.endIsSeen })
        #expect(!lane.bars[0].startIsSeen, "the wait starts at the job's submission, from ListJobs")
        #expect(lane.attempts == 1 && lane.attemptsUnseen == 0)
        #expect(timeline.span == S.ms(0)...S.ms(30))
    }

    @Test func aRunningTaskEndsAtTheLatestPollAndStaysOpen() {
        let timeline = timeline(of: [timelinePoll(10, ["t1": (.notStarted, nil)]), timelinePoll(20, ["t1": (.inProgress, S.running)]),
                                     timelinePoll(25, ["t1": (.inProgress, S.running)])])
        #expect(shape(timeline.lane(at: 0)) == ["waiting 0–20", "running 20–25…"])
        #expect(timeline.nowMs == S.ms(25))
    }

    @Test func aTaskAlreadyRunningWhenTheConsoleFirstLookedHasAnUnseenStartAndNoWait() {
        let timeline = timeline(of: [timelinePoll(10, ["t1": (.inProgress, S.running)])])
        let lane = timeline.lane(at: 0)
        #expect(shape(lane) == ["running 10–10…"])
        #expect(lane.bars[0].startedUnseen)
    }

    @Test func listTasksGivesTheServersTimesAndWorker() {
        let timeline = timeline(of: [timelinePoll(
            30, ["t1": (.completed, S.done), "t2": (.inProgress, S.running), "t3": (.notStarted, nil)],
            listed: [TaskSummary(taskId: "t1", status: .completed, workerId: "w0", startedAtMs: S.ms(2), endedAtMs: S.ms(12), attempts: 1),
                     TaskSummary(taskId: "t2", status: .inProgress, workerId: "w1", startedAtMs: S.ms(5), attempts: 1),
                     TaskSummary(taskId: "t3", status: .notStarted, attempts: 0)],
            load: .consoleExtension)])
        #expect(timeline.source == .listTasks)
        #expect(shape(timeline.lane(at: 0)) == ["waiting 0–2", "done 2–12"])
        #expect(timeline.lane(at: 0).bars.allSatisfy { !$0.startIsSeen && !$0.endIsSeen })
        #expect(timeline.lane(at: 0).bars[1].workerID == "w0")
        #expect(shape(timeline.lane(at: 1)) == ["waiting 0–5", "running 5–30…"])
        #expect(shape(timeline.lane(at: 2)) == ["waiting 0–30…"])
    }

    @Test(arguments: [TimelineLoad.none, .metrics])
    func aPlainScootsTaskListIsWhatTheConsoleSawOnTheWorkers(load: TimelineLoad) {
        // No GetClusterLoad: the task list comes from the workers as the console polled them,
        // also when the console computed the class loads from metrics.json (as real Scoot has).
        let timeline = timeline(of: [
            timelinePoll(10, ["t1": (.notStarted, nil)], listed: [TaskSummary(taskId: "t1", status: .notStarted, attempts: 0)], load: load),
            timelinePoll(20, ["t1": (.inProgress, S.running)],
                         listed: [TaskSummary(taskId: "t1", status: .inProgress, workerId: "w7", startedAtMs: S.ms(19), attempts: 1)], load: load),
        ])
        #expect(timeline.source == .observed)
        #expect(shape(timeline.lane(at: 0)) == ["waiting 0–20", "running 20–20…"])
        #expect(timeline.lane(at: 0).bars[1].workerID == "w7")
    }

    /// A replay opened after the task started, or a killed job nobody had open: no history of
    /// the task, so a plain Scoot's list (what the console saw on the workers) draws the attempt.
    @Test func withoutAHistoryAPlainScootsTaskListDrawsTheAttemptWithTheTimesSeen() {
        let task = TaskTimeline.Task(id: "t1", state: .killed, workerID: "w3", startedAtMs: S.ms(2), endedAtMs: S.ms(12), attempts: 1)
        let timeline = TaskTimeline(jobID: "job-a", tasks: [task], job: nil, history: nil, source: .observed, nowMs: S.ms(20))
        let lane = timeline.lane(at: 0)
        #expect(shape(lane) == ["killed 2–12"])
        #expect(lane.bars[0].workerID == "w3")
        #expect(lane.bars[0].startIsSeen && lane.bars[0].endIsSeen, "the console's own observations, ±1 poll")
    }

    @Test func aGrowingAttemptsCounterIsARetryEachAttemptWithItsWorker() {
        let listed = { (status: Status, worker: String?, started: Int64?, ended: Int64?, attempts: Int32) in
            [TaskSummary(taskId: "t1", status: status, workerId: worker, startedAtMs: started.map(S.ms), endedAtMs: ended.map(S.ms), attempts: attempts)]
        }
        let timeline = timeline(of: [
            timelinePoll(10, ["t1": (.inProgress, S.running)], listed: listed(.inProgress, "w0", 4, nil, 1), load: .consoleExtension),
            timelinePoll(20, ["t1": (.notStarted, S.running)], listed: listed(.notStarted, "w0", 4, nil, 1), load: .consoleExtension),
            timelinePoll(30, ["t1": (.inProgress, RunStatus(status: .running, runId: "2"))], listed: listed(.inProgress, "w1", 25, nil, 2), load: .consoleExtension),
            timelinePoll(40, ["t1": (.completed, RunStatus(status: .complete, runId: "2", exitCode: 0))], listed: listed(.completed, "w1", 25, 38, 2), load: .consoleExtension),
        ])
        let lane = timeline.lane(at: 0)
        #expect(shape(lane) == ["waiting 0–4", "waiting 20–25", "retried 4–20", "done 25–38"])
        #expect(lane.bars.compactMap(\.workerID) == ["w0", "w1"])
        #expect(lane.bars.compactMap(\.attempt) == [1, 2])
        #expect(!lane.bars[2].startIsSeen && lane.bars[2].endIsSeen, "the end of the retried attempt is the poll that saw the task waiting again")
        #expect(!lane.bars[3].startIsSeen && !lane.bars[3].endIsSeen)
        #expect(lane.attempts == 2)
    }

    @Test func aRetryBetweenTwoPollsClosesTheEarlierAttemptWhereTheNextStarted() {
        let timeline = timeline(of: [
            timelinePoll(10, ["t1": (.inProgress, S.running)],
                         listed: [TaskSummary(taskId: "t1", status: .inProgress, workerId: "w0", startedAtMs: S.ms(4), attempts: 1)], load: .consoleExtension),
            timelinePoll(20, ["t1": (.inProgress, S.running)],
                         listed: [TaskSummary(taskId: "t1", status: .inProgress, workerId: "w1", startedAtMs: S.ms(15), attempts: 2)], load: .consoleExtension),
        ])
        // The poll saw the new attempt at 20 s; the server says it started at 15 s: the first had ended by then.
        #expect(shape(timeline.lane(at: 0)) == ["waiting 0–4", "retried 4–15", "running 15–20…"])
    }

    @Test func withoutACounterANewRunIDIsANewAttempt() {
        // A plain Scoot shows a task queued again as IN_PROGRESS with the run before, then the new run.
        let timeline = timeline(of: [
            timelinePoll(10, ["t1": (.notStarted, nil)]),
            timelinePoll(20, ["t1": (.inProgress, S.running)]),
            timelinePoll(30, ["t1": (.inProgress, RunStatus(status: .running, runId: "2"))]),
            timelinePoll(40, ["t1": (.completed, RunStatus(status: .failed, runId: "2", error: "lost"))]),
        ])
        let lane = timeline.lane(at: 0)
        #expect(shape(lane) == ["waiting 0–20", "retried 20–30", "failed 30–40"])
        #expect(lane.attempts == 2)
    }

    @Test func finishedStatesTakeTheTablesStateAndColour() {
        let timeline = timeline(of: [
            timelinePoll(10, ["exit": (.inProgress, S.running), "timeout": (.inProgress, S.running), "kill": (.inProgress, S.running),
                              "preempt": (.inProgress, S.running), "waitkill": (.notStarted, nil)]),
            timelinePoll(20, [
                "exit": (.completed, RunStatus(status: .complete, runId: "1", exitCode: 3)),
                "timeout": (.completed, RunStatus(status: .timedout, runId: "1")),
                "kill": (.completed, RunStatus(status: .aborted, runId: "1", error: "UserRequested -> Error(s) encountered, canceling task.")),
                "preempt": (.completed, RunStatus(status: .aborted, runId: "1", error: "RebalanceRequested -> Error(s) encountered, canceling task.")),
                "waitkill": (.completed, RunStatus(status: .aborted, runId: "", error: "UserRequested")),
            ]),
        ])
        let kinds = Dictionary(uniqueKeysWithValues: timeline.lanes.map { ($0.taskID, $0.bars.map(\.kind.word)) })
        #expect(kinds["exit"] == ["failed"])
        #expect(kinds["timeout"] == ["failed"])
        #expect(kinds["kill"] == ["killed"])
        #expect(kinds["preempt"] == ["killed"])
        // Killed while waiting: the wait, then the kill's mark, and no attempt.
        let waitKill = timeline.lanes.first { $0.taskID == "waitkill" }!
        #expect(shape(waitKill) == ["waiting 0–20", "killed 20–20"])
        #expect(waitKill.attempts == 0 && waitKill.bars[1].attempt == nil)
    }

    @Test func everyKindDrawsInTheColourAndGlyphOfTheTablesBadge() {
        let states: [TaskState] = [.complete, .exited(1), .killed, .preempted, .timedOut, .failed]
        for state in states {
            let kind = TaskTimeline.Kind(TaskHistory.Outcome(state)!)
            #expect(kind.role == state.badge.role, "\(state)")
            #expect(kind.glyph(.unicode) == state.badge.text.first, "\(state)")
        }
        #expect(TaskTimeline.Kind.running.role == TaskState.running.badge.role)
        #expect(TaskTimeline.Kind.waiting.role == TaskState.waiting.badge.role)
        #expect(TaskTimeline.Kind.retried.glyph(.ascii) == "r" && TaskTimeline.Kind.retried.glyph(.unicode) == "↻")
    }

    @Test func theHistoryKeepsAtMostTenThousandTasksTheFirstInTaskOrder() {
        var tasks: [String: (Status, RunStatus?)] = [:]
        for number in 1...(TaskHistory.taskCapacity + 5) { tasks["t\(number)"] = (.notStarted, nil) }
        var history = TaskHistory()
        history.record(timelinePoll(10, tasks))
        #expect(history.tasks.count == TaskHistory.taskCapacity)
        #expect(history.tasksLeftOut == 5)
        #expect(history.tasks["t10000"] != nil && history.tasks["t10001"] == nil)
    }

    @Test func theHistoryKeepsTheNewest32AttemptsOfATask() {
        var history = TaskHistory()
        for attempt in 1...40 {
            let listed = [TaskSummary(taskId: "t1", status: .inProgress, workerId: "w\(attempt)", startedAtMs: S.ms(Int64(attempt) * 10), attempts: Int32(attempt))]
            history.record(timelinePoll(Int64(attempt) * 10 + 1, ["t1": (.inProgress, S.running)], listed: listed, load: .consoleExtension))
        }
        let task = history.tasks["t1"]!
        #expect(task.attempts.count == TaskHistory.attemptCapacity)
        #expect(task.attemptsDropped == 8)
        #expect(task.attempts.first?.number == 9 && task.attempts.last?.number == 40)
        #expect(task.attempts.dropLast().allSatisfy { $0.outcome == .retried })
    }

    @Test func anotherJobStartsTheHistoryOverAndARepeatedPollChangesNothing() {
        var history = TaskHistory()
        history.record(timelinePoll(10, job: "job-a", ["a1": (.notStarted, nil)]))
        let revision = history.revision
        history.record(timelinePoll(11, job: "job-a", ["a1": (.notStarted, nil)]))
        #expect(history.revision == revision, "the same status again is no change")
        #expect(history.lastPollMs == S.ms(11))
        history.record(timelinePoll(12, job: "job-b", ["b1": (.notStarted, nil)]))
        #expect(history.jobID == "job-b")
        #expect(Array(history.tasks.keys) == ["b1"])
        #expect(history.firstPollMs == S.ms(12))
        #expect(history.revision > revision)
        var snapshot = timelinePoll(13, job: "job-b", [:])
        snapshot.selectedJobStatus = nil
        history.record(snapshot)
        #expect(history.jobID == "job-b", "a poll without the job's status (another pane) keeps what was seen")
    }

    @Test func aChangeAfterAGapIsBoundedByTheLastPollThatSawTheJob() {
        var history = TaskHistory()
        history.record(timelinePoll(10, ["t1": (.notStarted, nil)]))
        history.record(timelinePoll(40, ["t1": (.inProgress, S.running)]))
        #expect(history.tasks["t1"]?.attempts.first?.started == TaskHistory.Moment(atMs: S.ms(40), afterMs: S.ms(10)))
    }

    @Test func aFollowedJobIsDrawnFromItsListTasksEntries() {
        var state = connectedState()
        state.snapshot = timelinePoll(30, job: "job-a", ["a1": (.notStarted, nil)], load: .consoleExtension)
        state.snapshot?.jobs.append(sampleJob("job-f", submitted: S.base))
        state.snapshot?.followedJobTasks["job-f"] = [
            TaskSummary(taskId: "f10", status: .notStarted, attempts: 0),
            TaskSummary(taskId: "f2", status: .completed, workerId: "w3", startedAtMs: S.ms(3), endedAtMs: S.ms(9), attempts: 1),
        ]
        state.tasksOfJob = "job-f"
        let timeline = state.taskTimelineModel!
        #expect(timeline.source == .listTasks)
        #expect(timeline.tasks.map(\.id) == ["f2", "f10"])
        #expect(shape(timeline.lane(at: 0)) == ["waiting 0–3", "ended 3–9"], "ListTasks alone does not say how a task ended")
        #expect(shape(timeline.lane(at: 1)) == ["waiting 0–30…"])
    }

    @Test func theWindowHalvesWithEachZoomAndStaysInsideTheSpan() {
        let timeline = timeline(of: [timelinePoll(100, ["t1": (.notStarted, nil)])])
        #expect(timeline.window(zoom: 0, cursorMs: nil) == TaskTimeline.Window(startMs: S.ms(0), lengthMs: 100_000, cursorMs: S.ms(100)))
        #expect(timeline.window(zoom: 1, cursorMs: nil) == TaskTimeline.Window(startMs: S.ms(50), lengthMs: 50_000, cursorMs: S.ms(100)))
        #expect(timeline.window(zoom: 2, cursorMs: S.ms(50)) == TaskTimeline.Window(startMs: S.ms(37) + 500, lengthMs: 25_000, cursorMs: S.ms(50)))
        #expect(timeline.window(zoom: 2, cursorMs: S.ms(-5)).startMs == S.ms(0))
        #expect(timeline.window(zoom: 0, cursorMs: nil).column(of: S.ms(50), width: 100) == 50)
        #expect(timeline.canZoom(beyond: 0, width: 100))
        #expect(!timeline.canZoom(beyond: 3, width: 100), "100 s over 100 columns: 1/16 of it would be below 100 ms a column")
    }
}
