import Foundation
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

@Suite("Task timeline: keys")
struct TimelineKeysTests {
    typealias S = TimelineSample

    /// The sample job's polls fed through the update function, on the Tasks pane.
    static func polledState(listed: Bool = true) -> ConsoleState {
        var state = connectedState()
        state.pane = .tasks
        state.tasksOfJob = "job-a"
        for poll in S.jobPolls(listed: listed) {
            let id = pollDue(&state)!
            _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .success(poll)))
        }
        return state
    }

    @Test func pollsFeedTheHistoryThroughTheUpdateFunction() {
        let state = Self.polledState()
        #expect(state.taskHistory.jobID == "job-a")
        #expect(state.taskHistory.tasks["task-2"]?.attempts.map(\.number) == [1, 2])
        #expect(state.taskHistory.tasks["task-2"]?.attempts.map(\.workerID) == ["sim-worker-1", "sim-worker-2"])
        #expect(state.taskTimelineModel?.source == .listTasks)
        #expect(Self.polledState(listed: false).taskTimelineModel?.source == .observed)
    }

    @Test func capitalTTogglesTheTimelineInTheTasksPaneOnly() {
        var state = Self.polledState()
        press(&state, .character("T"))
        #expect(state.taskTimeline.shown)
        press(&state, .character("T"))
        #expect(!state.taskTimeline.shown)
        state.pane = .jobs
        press(&state, .character("T"))
        #expect(!state.taskTimeline.shown)
        #expect(ConsoleUpdate.helpLines(pane: .tasks, readOnly: true).contains { $0.text.hasPrefix("T ") && $0.text.contains("timeline") })
    }

    @Test func arrowsAndHLMoveTheTimeCursorOneColumnAndPastTheEndItFollowsTheData() throws {
        var state = Self.polledState()
        press(&state, .character("T"))
        let timeline = try #require(state.taskTimelineModel)
        let column = timeline.window(zoom: 0, cursorMs: nil).millisecondsPerColumn(width: TaskTimelineLayout.barWidth(screenWidth: state.screen.width))
        press(&state, .left)
        #expect(state.taskTimeline.cursorMs == timeline.span.upperBound - column)
        press(&state, .character("h"))
        #expect(state.taskTimeline.cursorMs == timeline.span.upperBound - 2 * column)
        press(&state, .character("l"), .right)
        #expect(state.taskTimeline.cursorMs == nil, "back at the end: the latest time again")
        for _ in 0..<500 { press(&state, .left) }
        #expect(state.taskTimeline.cursorMs == timeline.span.lowerBound, "the cursor stops at the job's start")
    }

    @Test func bracketsZoomAroundTheCursorAndZeroFitsTheJob() {
        var state = Self.polledState()
        press(&state, .character("T"), .left)
        let cursor = state.taskTimeline.cursorMs
        press(&state, .character("]"), .character("]"))
        #expect(state.taskTimeline.zoom == 2)
        #expect(state.taskTimeline.cursorMs == cursor)
        press(&state, .character("["))
        #expect(state.taskTimeline.zoom == 1)
        press(&state, .character("0"))
        #expect(state.taskTimeline.zoom == 0)
        #expect(state.taskTimeline.cursorMs == cursor, "fitting keeps the time cursor")
        press(&state, .character("["))
        #expect(state.flash?.text == "the whole job is shown")
        for _ in 0..<20 { press(&state, .character("]")) }
        #expect(state.flash?.text.hasPrefix("zoomed in as far as it goes") == true)
        #expect(state.taskTimeline.zoom == 4, "190 s over 98 columns: one step more would make a column 60 ms, under 100 ms")
    }

    @Test func timeKeysWithoutTheTimelineSayHowToShowIt() {
        var state = Self.polledState()
        press(&state, .character("]"))
        #expect(state.flash?.text == "the time cursor and the zoom work in the timeline: T shows it")
        #expect(state.taskTimeline.zoom == 0)
    }

    @Test func anotherJobOpensFittedWithTheCursorAtItsEnd() {
        var state = Self.polledState()
        press(&state, .character("T"), .left, .character("]"))
        #expect(state.taskTimeline.position(for: "job-a").zoom == 1)
        #expect(state.taskTimeline.position(for: "job-b") == (nil, 0))
    }

    @Test func theTaskCursorIsTheTablesAndPagesByTheLanesShown() {
        var state = Self.polledState()
        press(&state, .character("T"), .character("j"))
        #expect(state.selectedTask?.id == "task-2")
        press(&state, .character("T"))
        #expect(state.selectedTask?.id == "task-2", "the table keeps the timeline's row")
        // Forty tasks, fewer lanes than table rows at 80×24.
        var tasks: [String: (Status, RunStatus?)] = [:]
        for number in 1...40 { tasks["t\(number)"] = (.notStarted, nil) }
        state.snapshot = timelinePoll(10, tasks)
        _ = ConsoleUpdate.update(&state, .resize(width: 80, height: 24))
        press(&state, .character("T"), .character("g"), .pageDown)
        let lanes = TaskTimelineLayout.lanes(tableRows: ConsoleLayout.visibleRows(of: .tasks, screen: (80, 24)))
        #expect(state.visibleRows(of: .tasks) == lanes)
        #expect(state.tables[.tasks]?.selected == lanes)
        #expect(state.tables[.tasks]?.offset == lanes, "the lane under the cursor is on screen")
    }

    @Test func aMovedTimeCursorIsANewFrameAndAClockOnlyRedrawLeavesTheTimelineAlone() {
        var state = S.jobState(listed: true)
        let before = FrameInputs(state)
        press(&state, .left)
        #expect(FrameInputs(state) != before)
        var full = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &full)
        var redrawn = full
        #expect(ConsoleView.renderTimeOnly(state, into: &redrawn))
        #expect(redrawn == full)
    }
}
