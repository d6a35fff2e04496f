import Foundation
import struct SchedulerCore.SettingsEdit
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

func sampleJob(_ id: String, requestor: String = "land-bot", className: String = "land", running: Int32 = 1, waiting: Int32 = 2, failed: Int32 = 0, submitted: Int64 = 0) -> JobSummary {
    JobSummary(
        id: id, requestor: requestor, className: className, tag: id, basis: "", priority: 0, status: .inProgress, killed: false,
        waitingTasks: waiting, runningTasks: running, completedTasks: 0, failedTasks: failed, submittedAtMs: submitted)
}

func sampleSnapshot(jobs: [JobSummary] = [sampleJob("j1", submitted: 1), sampleJob("j2", requestor: "diff-x", className: "diff", running: 0, submitted: 2)]) -> ClusterSnapshot {
    ClusterSnapshot(
        jobs: jobs, workers: [WorkerInfo(id: "local-0", state: .busy, lastSnapshotId: "", tasksRun: 3), WorkerInfo(id: "local-1", state: .idle, lastSnapshotId: "", tasksRun: 0)],
        load: nil, schedulerStatus: SchedulerStatus(currentTasks: 5, maxTasks: -1),
        settings: .init(classLoadPercents: ["land": 60, "diff": 40], requestorToClassMap: ["land.*": "land"], rebalanceThreshold: 0, rebalanceMinimumDuration: 4))
}

/// The id of the poll the runtime runs next, with the clock moved to `now` (by default, the
/// start the poll was handed over for).
func pollDue(_ state: inout ConsoleState, at now: Duration? = nil) -> Int? {
    let effects = ConsoleUpdate.update(&state, .tick(now: now ?? max(state.now, state.pollStartsAt)))
    if case .poll(let id, _, _, _) = effects.first { return id }
    return state.pollInFlight ? state.pollRequestID : nil
}

/// A connected console with the sample snapshot.
func connectedState(readOnly: Bool = false) -> ConsoleState {
    var state = ConsoleState(endpoint: "127.0.0.1:9090", readOnly: readOnly)
    let effects = ConsoleUpdate.update(&state, .tick(now: .zero))
    guard case .poll(let id, _, _, _) = effects.first else { return state }
    _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .success(sampleSnapshot())))
    return state
}

/// The actions among `effects`, and that each was put on record (`sent`) before it was sent.
func performed(_ effects: [ConsoleEffect]) -> [ConsoleAction] {
    var recorded: [String] = []
    var actions: [ConsoleAction] = []
    for effect in effects {
        switch effect {
        case .audit(let entry) where entry.outcome == .sent: recorded.append(entry.action)
        case .perform(let action) where recorded.contains(action.auditAction.name): actions.append(action)
        default: break
        }
    }
    return actions
}

@discardableResult
func press(_ state: inout ConsoleState, _ keys: Key...) -> [ConsoleEffect] {
    keys.flatMap { ConsoleUpdate.update(&state, .key($0)) }
}

@Suite("Console update: keys → state and effects")
struct ConsoleUpdateTests {
    @Test func killAsksForConfirmationWithCancelFocused() {
        var state = connectedState()
        press(&state, .character("x"))
        // Jobs sort newest first by default; the first row is the newest job.
        #expect(state.overlay == .confirm(.killJobs(["j2"]), confirmFocused: false))
        #expect(press(&state, .enter).isEmpty, "enter on Cancel sends nothing")
        #expect(state.overlay == nil)
        press(&state, .character("x"), .tab)
        #expect(performed(press(&state, .enter)) == [.killJobs(["j2"])])
    }

    @Test func readOnlyRemovesEveryDangerousKey() {
        var state = connectedState(readOnly: true)
        #expect(press(&state, .character("x")).isEmpty, "x is not bound in read-only mode")
        #expect(state.overlay == nil)
        press(&state, .character(":"))
        for character in "kill j1" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.overlay == .commandLine(text: "kill j1", error: "read-only: kill job j1 is not available"))
        #expect(KeyTable.bindings(in: .jobs, readOnly: true).allSatisfy { !$0.dangerous })
    }

    @Test func kIsUpNotKill() {
        var state = connectedState()
        press(&state, .character("j"))
        #expect(state.selection(in: .jobs, count: 2) == 1)
        #expect(press(&state, .character("k")).isEmpty)
        #expect(state.selection(in: .jobs, count: 2) == 0)
        #expect(state.overlay == nil)
        let navigation: Set<KeyCommand> = [.moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom]
        #expect(KeyTable.all.filter { navigation.contains($0.command) }.allSatisfy { !$0.dangerous })
    }

    @Test func marksKillEveryMarkedJob() {
        var state = connectedState()
        press(&state, .character(" "), .character(" "))
        #expect(state.marks == ["j1", "j2"])
        press(&state, .character("x"))
        #expect(state.overlay == .confirm(.killJobs(["j1", "j2"]), confirmFocused: false))
    }

    @Test func thresholdFormValidatesAsYouTypeAndNeedsConfirmation() {
        var state = connectedState()
        press(&state, .character("t"))
        #expect(state.overlay == .form(.threshold, text: "0", error: nil))
        press(&state, .backspace, .character("x"))
        guard case .form(_, "x", let error?) = state.overlay else { Issue.record("expected an error, got \(String(describing: state.overlay))"); return }
        #expect(error.contains("not a whole number"))
        #expect(press(&state, .enter).isEmpty, "invalid input sends nothing")
        press(&state, .backspace, .character("3"), .character("0"), .enter)
        #expect(state.overlay == .confirm(.setRebalanceThreshold(30), confirmFocused: false))
        #expect(performed(press(&state, .right, .enter)) == [.setRebalanceThreshold(30)])
    }

    @Test func percentsFormRejectsEmptyAndNegative() {
        var state = connectedState()
        press(&state, .character("p"))
        #expect(state.overlay == .form(.percents, text: "land=60,diff=40", error: nil))
        press(&state, .control("u"), .enter)
        guard case .form(.percents, "", let error?) = state.overlay else { Issue.record("expected an error"); return }
        #expect(error.contains("no percents given"))
        for character in "land=-5" { press(&state, .character(character)) }
        guard case .form(_, _, let negative?) = state.overlay else { Issue.record("expected an error"); return }
        #expect(negative.contains("negative"))
    }

    @Test func commandLineRunsEveryAction() throws {
        #expect(try CommandParser.parse("kill a b") == .action(.killJobs(["a", "b"])))
        #expect(try CommandParser.parse("threshold 30") == .action(.setRebalanceThreshold(30)))
        #expect(try CommandParser.parse("duration 4") == .action(.setRebalanceMinimumDuration(4)))
        #expect(try CommandParser.parse("percents =land=40,diff=25") == .editPercents(SettingsEdit(mode: .replace, set: ["land": 40, "diff": 25])))
        #expect(try CommandParser.parse("maxtasks 500") == .action(.setMaxTasks(500)))
        #expect(try CommandParser.parse("offline local-0") == .action(.offlineWorker("local-0")))
        #expect(try CommandParser.parse("reinstate local-0") == .action(.reinstateWorker("local-0")))
        #expect(try CommandParser.parse("map ^ci-.*=land") == .editRequestorMap(SettingsEdit(mode: .merge, set: ["^ci-.*": "land"])))
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("threshold abc") }
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("map (=land") }
        // Swift's Regex takes a lookahead; the scheduler (RE2 syntax, as Scoot's Go regexp) does not.
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("map (?=ci)=land") }
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("percents =land=0") }
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("frobnicate") }
    }

    @Test func filterNarrowsTheJobsPane() {
        var state = connectedState()
        press(&state, .character("/"))
        for character in "class:diff" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.rows.jobs.map(\.job).map(\.id) == ["j2"])
        state.jobFilter = "status:running"
        #expect(state.rows.jobs.map(\.job).map(\.id) == ["j1"])
        state.jobFilter = "requestor:land"
        #expect(state.rows.jobs.map(\.job).map(\.id) == ["j1"])
    }

    @Test func pollingSkipsOverlapsBacksOffAndIgnoresLateAnswers() {
        var state = ConsoleState(endpoint: "x")
        let first = ConsoleUpdate.update(&state, .tick(now: .zero))
        #expect(first == [.poll(id: 1, job: nil, workers: false, startingAt: .zero)])
        #expect(ConsoleUpdate.update(&state, .tick(now: .seconds(5))).isEmpty, "a poll in flight is not overlapped")
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 1, result: .failure(PollFailure("connection refused"))))
        #expect(state.connection == .disconnected(error: "connection refused", retryAt: .seconds(6)))
        _ = ConsoleUpdate.update(&state, .tick(now: .seconds(6)))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 2, result: .failure(PollFailure("connection refused"))))
        #expect(state.nextPollAt == .seconds(8), "back-off doubles")
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 1, result: .success(sampleSnapshot())))
        #expect(state.snapshot == nil, "a late answer to an old poll is ignored")
        _ = ConsoleUpdate.update(&state, .tick(now: .seconds(8)))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 3, result: .success(sampleSnapshot())))
        #expect(state.connection == .connected)
        _ = ConsoleUpdate.update(&state, .tick(now: .seconds(9)))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 4, result: .failure(PollFailure("timeout"))))
        #expect(state.snapshot != nil, "stale data stays visible")
    }

    @Test func pauseStopsPolling() {
        var state = connectedState()
        #expect(press(&state, .character("Z")) == [.cancelPoll], "the poll waiting to start is dropped")
        #expect(!state.pollInFlight)
        #expect(ConsoleUpdate.update(&state, .tick(now: .seconds(60))).isEmpty)
        #expect(press(&state, .character("Z")) == [.poll(id: state.pollRequestID, job: nil, workers: false, startingAt: .seconds(60))], "resuming polls at once")
    }

    /// The console sleeps until a poll's answer: the next poll is handed over with it, to start
    /// a refresh later, and the state has no deadline for it.
    @Test func theNextPollIsHandedOverWithTheAnswer() {
        var state = ConsoleState(endpoint: "x")
        _ = ConsoleUpdate.update(&state, .tick(now: .zero))
        _ = ConsoleUpdate.update(&state, .tick(now: .milliseconds(40)))
        let next = ConsoleUpdate.update(&state, .pollFinished(id: 1, result: .success(sampleSnapshot())))
        #expect(next == [.poll(id: 2, job: nil, workers: false, startingAt: .milliseconds(1040))])
        #expect(state.nextDeadline() == .milliseconds(2040), "only the data turning late is a deadline")
        #expect(ConsoleUpdate.update(&state, .tick(now: .milliseconds(1040))).isEmpty, "the waiting poll is not asked again")
    }

    @Test func aKeyThatWantsDataNowReplacesTheWaitingPollButNeverARunningOne() {
        var state = connectedState()
        #expect(state.pollStartsAt == .seconds(1))
        _ = ConsoleUpdate.update(&state, .tick(now: .milliseconds(300)))
        #expect(press(&state, .control("r")) == [.poll(id: 3, job: nil, workers: false, startingAt: .milliseconds(300))])
        _ = ConsoleUpdate.update(&state, .tick(now: .milliseconds(310)))
        #expect(press(&state, .control("r")).isEmpty, "a poll that has started is not overlapped")
        #expect(press(&state, .character("3")).isEmpty, "the Workers pane waits for the running poll's answer")
        let answer = ConsoleUpdate.update(&state, .pollFinished(id: 3, result: .success(sampleSnapshot())))
        #expect(answer == [.poll(id: 4, job: nil, workers: true, startingAt: .milliseconds(1310))])
    }

    @Test func aFasterRefreshMovesTheWaitingPoll() {
        var state = connectedState()
        #expect(press(&state, .character("+")) == [.poll(id: 3, job: nil, workers: false, startingAt: .milliseconds(500))])
    }

    @Test func actionResultsAreFlashedVerbatim() {
        var state = connectedState()
        _ = ConsoleUpdate.update(&state, .actionFinished(.killJobs(["j1"]), result: .failure(PollFailure("Internal error processing KillJob: cannot kill Job Id j1, not found."))))
        #expect(state.flash?.text == "kill job j1 failed: Internal error processing KillJob: cannot kill Job Id j1, not found.")
        #expect(state.flash?.isError == true)
    }
}

@Suite("Selection stability")
struct SelectionStabilityTests {
    @Test func theSelectionFollowsItsJobWhenNewJobsArrive() {
        var state = connectedState()
        press(&state, .character("j"))
        #expect(state.selectedJob?.id == "j1")
        guard let id = pollDue(&state, at: .seconds(2)) else { Issue.record("expected a poll"); return }
        let newer = sampleJob("j3", submitted: 3)
        _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .success(sampleSnapshot(jobs: [sampleJob("j1", submitted: 1), sampleJob("j2", submitted: 2), newer]))))
        #expect(state.selectedJob?.id == "j1", "a new job on top must not move the cursor to another job")
    }
}

@Suite("Task output")
struct TaskOutputTests {
    @Test func enterOnATaskReadsItsOutputAndShowsIt() throws {
        var state = connectedState()
        state.snapshot?.selectedJobStatus = JobStatus(
            id: "j1", status: .inProgress, taskStatus: ["t1": .completed],
            taskData: ["t1": RunStatus(status: .complete, runId: "1", outUri: "file:///tmp/out", errUri: "file:///tmp/err", exitCode: 0)])
        state.tasksOfJob = "j1"
        state.pane = .tasks
        #expect(press(&state, .enter) == [.readOutput(title: "output of t1", uris: ["file:///tmp/out", "file:///tmp/err"])])
        _ = ConsoleUpdate.update(&state, .outputLoaded(title: "output of t1", lines: ["hello"]))
        guard case .viewer(let viewer) = state.overlay else { Issue.record("no viewer: \(String(describing: state.overlay))"); return }
        #expect(viewer.title == "output of t1" && viewer.lines.map(\.text) == ["hello"])
        press(&state, .escape)
        #expect(state.overlay == nil)
    }

    @Test func readsTheEndOfLargeFilesOnly() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("task-output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: path) }
        let big = (0..<20_000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        try big.write(to: path, atomically: true, encoding: .utf8)
        let lines = await TaskOutput.lastLines(of: ["file://\(path.path)", "s3://elsewhere/log", "file:///nonexistent/x"])
        #expect(lines.contains("line 19999"))
        #expect(!lines.contains("line 0"))
        #expect(lines.contains("(…earlier output cut)"))
        #expect(lines.count < 8000)
        #expect(lines.contains("(neither a local file nor an http:// URL; open it where the worker runs)"))
        #expect(lines.contains("(cannot read: no such file or not readable)"))
    }
}
