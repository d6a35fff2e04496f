import Foundation
import TUIKit
import Testing
@testable import ConsoleApp

/// The Tasks pane's timeline as whole screens (text and roles), compared with `Snapshots/` like
/// `ScreenSnapshotTests` (`UPDATE_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests` rewrites both).
@Suite("Screen snapshots: the task timeline")
struct TimelineScreenSnapshotTests {
    typealias S = TimelineSample

    func check(_ name: String, _ state: ConsoleState, width: Int, height: Int, characters: BoxCharacters = .unicode) throws {
        var state = state
        _ = ConsoleUpdate.update(&state, .resize(width: width, height: height))
        var buffer = Buffer(area: Rect(width: width, height: height))
        ConsoleView.render(state, into: &buffer, characters: characters)
        let text = ScreenSnapshotTests.snapshotText(buffer)
        let file = ScreenSnapshotTests.directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs; run UPDATE_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests and review the diff")
    }

    @Test func fromListTasksAt120x40() throws {
        try check("timeline-120x40", S.jobState(listed: true), width: 120, height: 40)
    }

    @Test func fromWhatThePollsSawAt80x24ZoomedWithTheCursorMoved() throws {
        var state = S.jobState(listed: false)
        state.taskTimeline.jobID = "job-a"
        state.taskTimeline.zoom = 1
        state.taskTimeline.cursorMs = S.ms(100)
        try check("timeline-observed-80x24", state, width: 80, height: 24)
    }

    @Test func inASCIIAt80x24() throws {
        try check("timeline-ascii-80x24", S.jobState(listed: true), width: 80, height: 24, characters: .ascii)
    }

    @Test func theCursorRowIsHighlightedAndItsAttemptsNameTheirWorkers() throws {
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(S.jobState(listed: true), into: &buffer)
        let lines = buffer.lines()
        let row = try #require(lines.firstIndex { $0.contains("│task-2 ") })
        #expect(buffer[1, row]?.role == .selection)
        #expect(buffer[1, row - 1]?.role == .normal)
        let detail = lines[lines.count - 4]
        #expect(detail.contains("#1 sim-worker-1") && detail.contains("#2 sim-worker-2"), "\(detail)")
        #expect(lines.contains { $0.contains("from ListTasks (server times)") })
    }
}
