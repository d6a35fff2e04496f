import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

/// A connected console whose snapshot has four workers, for searching.
func stateWithWorkers() -> ConsoleState {
    var state = connectedState()
    state.snapshot?.workers = [
        WorkerInfo(id: "local-0", state: .busy, currentJobId: "j1", lastSnapshotId: "", tasksRun: 3),
        WorkerInfo(id: "local-1", state: .idle, lastSnapshotId: "", tasksRun: 0),
        WorkerInfo(id: "local-2", state: .suspended, lastSnapshotId: "", tasksRun: 1),
        WorkerInfo(id: "local-3", state: .busy, currentJobId: "j2", lastSnapshotId: "", tasksRun: 5),
    ]
    state.pane = .workers
    return state
}

@Suite("Search with / and n/N; load history")
struct SearchAndHistoryTests {
    @Test func slashInWorkersSearchesAsYouTypeAndNJumpsBetweenMatches() {
        var state = stateWithWorkers()
        press(&state, .character("/"))
        for character in "busy" { press(&state, .character(character)) }
        #expect(state.selectedWorker?.id == "local-0", "the first match from the cursor, while typing")
        press(&state, .enter)
        #expect(state.overlay == nil)
        #expect(state.rowSearch == "busy")
        press(&state, .character("n"))
        #expect(state.selectedWorker?.id == "local-3", "n skips the rows that do not match")
        press(&state, .character("n"))
        #expect(state.selectedWorker?.id == "local-0")
        #expect(state.flash?.text == "search wrapped to the top")
        press(&state, .character("N"))
        #expect(state.selectedWorker?.id == "local-3")
        #expect(state.flash?.text == "search wrapped to the bottom")
    }

    @Test func searchIsCaseInsensitiveAndMatchesTheStateWord() {
        var state = stateWithWorkers()
        press(&state, .character("/"))
        for character in "SUSP" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.selectedWorker?.id == "local-2")
    }

    @Test func noMatchSaysSoAndKeepsTheCursor() {
        var state = stateWithWorkers()
        press(&state, .character("j"))
        press(&state, .character("/"))
        for character in "zzz" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.selectedWorker?.id == "local-1")
        #expect(state.flash == ConsoleState.Flash(text: "no row matches /zzz", isError: true, until: state.now + .seconds(10)))
        press(&state, .character("n"))
        #expect(state.selectedWorker?.id == "local-1")
    }

    @Test func nWithoutASearchExplainsWhatToDo() {
        var state = stateWithWorkers()
        press(&state, .character("n"))
        #expect(state.flash?.text == "nothing to search for: press / and type a search first")
        #expect(state.flash?.isError == true)
    }

    @Test func inTheJobsPaneNAndNStepThroughTheFilteredRowsWithWrap() {
        var state = connectedState()
        #expect(state.rows.jobs.map(\.job).count == 2)
        press(&state, .character("n"))
        #expect(state.selection(in: .jobs, count: 2) == 1)
        press(&state, .character("n"))
        #expect(state.selection(in: .jobs, count: 2) == 0)
        #expect(state.flash?.text == "search wrapped to the top")
    }

    @Test func slashInTheClassesPaneOpensTheJobFilter() {
        var state = connectedState()
        state.pane = .classes
        press(&state, .character("/"), .character("d"))
        #expect(state.pane == .jobs)
        #expect(state.jobFilter == "d")
    }

    @Test func historyKeepsOneSamplePerPollBoundedAndForgetsVanishedClasses() {
        var history = LoadHistory()
        var snapshot = sampleSnapshot()
        for poll in 0..<(LoadHistory.capacity + 10) {
            snapshot.schedulerStatus.currentTasks = Int32(poll)
            snapshot.load = ClusterLoad(
                classes: [ClassLoad(name: "land", percent: 100, target: 4, running: Int32(poll % 5), waiting: 1, loaned: 0, starting: 0, stopping: 0)],
                spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 0, computedAtMs: 0)
            history.record(snapshot)
        }
        #expect(history.tasks.count == LoadHistory.capacity)
        #expect(history.tasks.last == LoadHistory.capacity + 9)
        #expect(history.tasks.first == 10)
        #expect(history.runningByClass["land"]?.count == LoadHistory.capacity)
        snapshot.load?.classes = [ClassLoad(name: "diff", percent: 100, target: 4, running: 2, waiting: 0, loaned: 0, starting: 0, stopping: 0)]
        history.record(snapshot)
        #expect(history.runningByClass["land"] == nil)
        #expect(history.runningByClass["diff"] == [2])
    }

    @Test func everySuccessfulPollAddsToTheHistoryAndFailuresDoNot() {
        var state = connectedState()
        #expect(state.loadHistory.tasks == [5])
        guard let id = pollDue(&state, at: .seconds(1)) else { Issue.record("no poll"); return }
        _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .failure(PollFailure("connection refused"))))
        #expect(state.loadHistory.tasks == [5])
        guard let next = pollDue(&state, at: .seconds(10)) else { Issue.record("no retry"); return }
        _ = ConsoleUpdate.update(&state, .pollFinished(id: next, result: .success(sampleSnapshot())))
        #expect(state.loadHistory.tasks == [5, 5])
    }

    @Test func classesPaneDrawsTheHistoryUnderTheMeters() {
        var state = connectedState()
        for running in [1, 3, 6] {
            var snapshot = sampleSnapshot()
            snapshot.load = ClusterLoad(
                classes: [ClassLoad(name: "land", percent: 100, target: 6, running: Int32(running), waiting: 0, loaned: 0, starting: 0, stopping: 0)],
                spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 0, computedAtMs: 0)
            state.snapshot = snapshot
            state.loadHistory.record(snapshot)
        }
        state.pane = .classes
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let lines = buffer.lines()
        #expect(lines.contains { $0.contains("History, one column per poll (newest right):") })
        let landLine = lines.first { $0.contains("land") && $0.contains(" 6/6") && !$0.contains("run ") }
        #expect(landLine?.contains("▂▅█") == true, "running 1, 3, 6 of target 6 as rising blocks: \(landLine ?? "none")")
    }
}
