import NIOCore
import NIOPosix
import ScootAPI
import TestSupport
import TUIKit
import Testing
import Thrift
@testable import ConsoleApp

/// What keeps an idle console cheap: no redraw between polls that arrive on time, the tasks of
/// a job fetched only while shown, and the job list re-sorted only when it changed.
@Suite("Idle economy")
struct IdleEconomyTests {
    @Test func theHeaderSaysRefreshWhilePollsAreOnTimeAndTheAgeOnceLate() {
        var state = connectedState()
        #expect(state.dataAgeText == "data < 2s old, every 1s")
        state.now = .milliseconds(1999)
        #expect(state.dataAgeText == "data < 2s old, every 1s")
        state.now = .seconds(7)
        #expect(state.dataAgeText == "data 7s old")
        state.paused = true
        #expect(state.dataAgeText == "data 7s old (paused)")
    }

    @Test func ticksBetweenOnTimePollsChangeNothingOnScreen() {
        var state = connectedState()
        for milliseconds in stride(from: 250, through: 1750, by: 250) {
            let before = state
            _ = ConsoleUpdate.update(&state, .tick(now: .milliseconds(milliseconds)))
            #expect(!state.differsOnScreen(from: before), "tick at \(milliseconds) ms")
        }
        let before = state
        _ = ConsoleUpdate.update(&state, .tick(now: .seconds(2)))
        #expect(state.differsOnScreen(from: before), "a late poll shows its age")
    }

    @Test func aPollThatBringsNothingNewDrawsNothing() {
        var state = connectedState()
        var snapshot = sampleSnapshot(jobs: [sampleJob("j1", submitted: 0)])
        snapshot.load = ClusterLoad(classes: [], spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 4, computedAtMs: 200_000)
        state.snapshot = snapshot
        let drawn = FrameInputs(state)
        // A second later: the job is 3m old either way, the clock moved, nothing on screen did.
        snapshot.load?.computedAtMs = 201_000
        snapshot.observedAt = snapshot.observedAt.addingTimeInterval(1)
        state.snapshot = snapshot
        state.now += .seconds(1)
        state.snapshotAt = state.now
        state.pollRequestID += 1
        state.loadHistory.record(snapshot)  // every poll records the load; only the Classes pane shows it
        #expect(FrameInputs(state) == drawn, "no render for a poll that changed nothing visible")
        var classes = state
        classes.pane = .classes
        let classesFrame = FrameInputs(classes)
        classes.loadHistory.record(snapshot)
        #expect(FrameInputs(classes) != classesFrame, "the Classes pane draws its sparklines on every poll")
        // An age that changes on screen, a job that changes, a key: all draw.
        var young = state
        young.snapshot?.jobs = [sampleJob("j1", submitted: 150_000)]
        let youngFrame = FrameInputs(young)
        young.snapshot?.load?.computedAtMs = 202_000
        #expect(FrameInputs(young) != youngFrame, "51s → 52s is on screen")
        var changed = state
        changed.snapshot?.jobs[0].runningTasks = 7
        #expect(FrameInputs(changed) != drawn)
        var moved = state
        press(&moved, .character("j"), .character("S"))
        #expect(FrameInputs(moved) != drawn)
    }

    @Test func theTasksOfAJobArePolledOnlyWhileTheTasksPaneShowsThem() {
        var state = connectedState()
        press(&state, .enter)
        #expect(state.pane == .tasks)
        #expect(state.tasksOfJob == "j2")
        _ = ConsoleUpdate.update(&state, .pollFinished(id: state.pollRequestID, result: .success(sampleSnapshot())))
        press(&state, .character("1"))
        state.nextPollAt = state.now
        #expect(ConsoleUpdate.update(&state, .tick(now: state.now)) == [.poll(id: state.pollRequestID, job: nil, workers: false, startingAt: state.now)])
        _ = ConsoleUpdate.update(&state, .pollFinished(id: state.pollRequestID, result: .success(sampleSnapshot())))
        #expect(press(&state, .character("2")) == [.poll(id: state.pollRequestID, job: "j2", workers: false, startingAt: state.now)], "back on Tasks: polled at once")
    }

    @Test func theTasksPaneSaysItIsLoadingUntilItsJobArrives() {
        var state = connectedState()
        state.tasksOfJob = "j1"
        state.pane = .tasks
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.contains("loading the tasks of j1…") })
    }

    @Test func anUnchangedJobListKeepsTheSortedRows() {
        var state = connectedState()
        state.sorts[.jobs] = SortOrder(column: "ID", ascending: true)
        let sorted = state.rows.jobs.map(\.job)
        var same = sampleSnapshot()
        same.schedulerStatus.currentTasks = 9
        state.snapshot = same
        #expect(state.rows.jobs.map(\.job) == sorted)
        same.jobs.append(sampleJob("j0", submitted: 3))
        state.snapshot = same
        #expect(state.rows.jobs.map(\.job).map(\.id) == ["j0", "j1", "j2"])
    }
}

@Suite("Failure messages")
struct FailureMessageTests {
    /// The banner used to show NIO's `Connection errors: SingleConnectionFailure(target: [IPv4]…`.
    @Test func transportFailuresAreBriefAndServerErrorsVerbatim() {
        let refused = ThriftTransportError.connectFailed(
            endpoint: "127.0.0.1:9", reason: "Connection errors: SingleConnectionFailure(target: [IPv4]127.0.0.1/127.0.0.1:9, error: connection reset (error set): Connection refused (errno: 111))")
        #expect(PollFailure(describing: refused).message == "connection refused")
        #expect(PollFailure(describing: ThriftTransportError.callTimedOut(method: "GetClusterLoad", seconds: 10)).message == "no answer to GetClusterLoad within 10 s")
        let server = TApplicationException(.internalError, message: "Internal error processing KillJob: cannot kill Job Id x, not found.")
        #expect(PollFailure(describing: server).message == "\(server)")
    }
}

@Suite("Disconnected before the first poll")
struct FirstPollFailureTests {
    @Test func theFlashLineSaysWhatToCheckWhenThereIsNoDataYet() {
        var state = ConsoleState(endpoint: "127.0.0.1:9")
        _ = ConsoleUpdate.update(&state, .tick(now: .zero))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: 1, result: .failure(PollFailure("connection refused"))))
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.hasPrefix("cannot reach 127.0.0.1:9: connection refused; is the scheduler running there? (--connect HOST:PORT)") })
    }
}

@Suite("Refresh interval")
struct RefreshIntervalTests {
    /// A `--refresh 3` start used to jump to 500 ms on the first `+` (the steps assumed 1 s).
    @Test func plusAndMinusStepFromAnyStartingInterval() {
        var state = connectedState()
        state.refreshInterval = .seconds(3)
        press(&state, .character("+"))
        #expect(state.refreshInterval == .seconds(2))
        state.refreshInterval = .seconds(3)
        press(&state, .character("-"))
        #expect(state.refreshInterval == .seconds(5))
        state.refreshInterval = .milliseconds(250)
        press(&state, .character("+"))
        #expect(state.refreshInterval == .milliseconds(250), "the fastest step stays")
        #expect(state.flash?.text == "refresh every 250ms")
    }
}

@Suite("Redrawing only what the clock changed")
struct TimeOnlyRedrawTests {
    /// A state at `nowMs` with jobs of many ages (some crossing 2 minutes), tasks and workers.
    static func state(pane: Pane, nowMs: Int64, width: Int, height: Int, selected: Int) -> ConsoleState {
        var state = connectedState()
        var snapshot = sampleSnapshot(jobs: (0..<60).map { index in
            var job = sampleJob(String(format: "job-%02d-4b0f8f1e-1c2d-4e5f", index), running: Int32(index % 4), submitted: Int64(index) * 1_700)
            if index % 7 == 0 { job.statusAtMs = Int64(index) * 900 }
            return job
        })
        snapshot.load = ClusterLoad(classes: [], spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 4, computedAtMs: nowMs)
        if selected == 7 {
            // A rebalance counting down: the header's own time text moves too.
            snapshot.settings.rebalanceThreshold = 20
            snapshot.load?.rebalanceFiresAtMs = 400_000
        }
        snapshot.selectedJobStatus = JobStatus(id: "job-01-4b0f8f1e-1c2d-4e5f", status: .inProgress,
                                               taskStatus: ThriftMap(uniqueKeysWithValues: (0..<20).map { ("t\($0)", $0 % 3 == 0 ? Status.completed : .inProgress) }))
        snapshot.selectedJobTasks = (0..<20).map { TaskSummary(taskId: "t\($0)", status: .inProgress, workerId: "w\($0 % 3)", startedAtMs: Int64($0) * 4_000, endedAtMs: $0 % 3 == 0 ? Int64($0) * 5_000 : nil, attempts: 1) }
        snapshot.workers = (0..<12).map { WorkerInfo(id: "w\($0)", state: .busy, lastSnapshotId: "", tasksRun: 1, reachable: $0 % 2 == 0, lastAnswerAtMs: Int64($0) * 3_000) }
        state.snapshot = snapshot
        state.tasksOfJob = "job-01-4b0f8f1e-1c2d-4e5f"
        state.marks = ["job-03-4b0f8f1e-1c2d-4e5f"]
        state.pane = pane
        _ = ConsoleUpdate.update(&state, .resize(width: width, height: height))
        state.tables[pane] = TableState(selected: selected)
        state.scrollToSelection(in: pane)
        return state
    }

    @Test(arguments: [Pane.jobs, .tasks, .workers, .audit, .settings])
    func theTimeOnlyRedrawEqualsAFullRender(pane: Pane) async {
        for (width, height) in [(120, 40), (80, 24), (200, 50)] {
            for selected in [0, 7, 45] {
                // Gives the pool back between renders: a long synchronous run holds one of its threads.
                await Task.yield()
                for characters in [BoxCharacters.unicode, .ascii] {
                    for (before, after) in [(100_000, 101_000), (119_500, 120_500), (10_000, 250_000)] {
                        let earlier = Self.state(pane: pane, nowMs: Int64(before), width: width, height: height, selected: selected)
                        let later = Self.state(pane: pane, nowMs: Int64(after), width: width, height: height, selected: selected)
                        #expect(FrameInputs(later).differsOnlyInTime(from: FrameInputs(earlier)))
                        var incremental = Buffer(area: Rect(width: width, height: height))
                        ConsoleView.render(earlier, into: &incremental, characters: characters)
                        // As the runtime does it: the header only when its own time texts moved.
                        let header = FrameInputs(later).headerTimeDiffers(from: FrameInputs(earlier))
                        #expect(header == (selected == 7), "the header moves only with a countdown")
                        #expect(ConsoleView.renderTimeOnly(later, into: &incremental, characters: characters, header: header))
                        var full = Buffer(area: Rect(width: width, height: height))
                        ConsoleView.render(later, into: &full, characters: characters)
                        #expect(incremental == full, "\(pane) \(width)×\(height) row \(selected) \(characters == .ascii ? "ascii" : "unicode") \(before)→\(after)")
                    }
                }
            }
        }
    }

    @Test func anOverlayOrALostConnectionGetsAFullFrame() {
        var state = Self.state(pane: .jobs, nowMs: 100_000, width: 120, height: 40, selected: 0)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        press(&state, .character("?"))
        #expect(!ConsoleView.renderTimeOnly(state, into: &buffer))
        press(&state, .escape)
        state.connection = .disconnected(error: "refused", retryAt: .seconds(3))
        #expect(!ConsoleView.renderTimeOnly(state, into: &buffer))
    }
}

/// A caller that notes, for every call, whether it ran on `loop`, then answers through `inner`.
private actor LoopCheckingCaller: ThriftCaller {
    let loop: any EventLoop
    let inner: any ThriftCaller
    private(set) var callsOffTheLoop: [String] = []
    private(set) var calls = 0
    init(loop: any EventLoop, inner: any ThriftCaller) { self.loop = loop; self.inner = inner }
    func call<Arguments: ThriftStruct, Result: ThriftStruct>(method: String, arguments: Arguments, resultType: Result.Type) async throws -> Result {
        calls += 1
        if !loop.inEventLoop { callsOffTheLoop.append(method) }
        let result = try await inner.call(method: method, arguments: arguments, resultType: resultType)
        if !loop.inEventLoop { callsOffTheLoop.append(method + " (after the answer)") }
        return result
    }
}

@Suite("Polls on the event loop")
struct PollsOnTheEventLoopTests {
    /// A poll runs start to finish on its connection's event loop: no thread of the cooperative
    /// pool wakes for it (each such wake costs an idle console CPU).
    @Test func aPollNeverLeavesItsEventLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let caller = LoopCheckingCaller(loop: loop, inner: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
        let source = ThriftDataSource(caller: caller)
        try await Task.detached(executorPreference: EventLoopTaskExecutor(loop)) {
            _ = try await source.fetch(selectedJob: nil, workers: true)
            _ = try await source.fetch(selectedJob: nil, workers: false)
        }.value
        #expect(await caller.calls > 0)
        #expect(await caller.callsOffTheLoop == [])
    }

    /// The same over a real connection: the client's answers resume on the loop too.
    @Test func aPollOverTCPNeverLeavesItsEventLoop() async throws {
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: CloudScootProcessor(handler: InMemoryCloudScoot()))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let client = ThriftClient(configuration: .init(port: server.port), group: loop)
        let caller = LoopCheckingCaller(loop: loop, inner: client)
        let source = ThriftDataSource(caller: caller)
        try await Task.detached(executorPreference: EventLoopTaskExecutor(loop)) {
            _ = try await source.fetch(selectedJob: nil, workers: true)
            _ = try await source.fetch(selectedJob: nil, workers: false)
        }.value
        await server.shutdown()
        #expect(await caller.calls > 0)
        #expect(await caller.callsOffTheLoop == [])
    }
}
