import Foundation
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

/// A connected console at 120×40 with `count` jobs, newest first (`job-000` is the oldest).
func manyJobsState(_ count: Int, width: Int = 120, height: Int = 40) -> ConsoleState {
    var state = connectedState()
    state.snapshot = sampleSnapshot(jobs: (0..<count).map { sampleJob(String(format: "job-%03d", $0), running: Int32($0 % 7), submitted: Int64($0)) })
    _ = ConsoleUpdate.update(&state, .resize(width: width, height: height))
    return state
}

@Suite("Tables keep their place")
struct TablePlaceTests {
    @Test func theCursorWalksDownTheScreenAndOnlyThenTheViewScrolls() {
        var state = manyJobsState(200)
        let visible = ConsoleLayout.visibleRows(of: .jobs, screen: state.screen)
        #expect(visible == 32, "120×40: header 2, tabs 1, frame 2, table header 1, flash 1, hints 1")
        for step in 1..<visible {
            press(&state, .character("j"))
            #expect(state.tables[.jobs]?.selected == step)
            #expect(state.tables[.jobs]?.offset == 0, "step \(step): the view stays while the cursor is on screen")
        }
        press(&state, .character("j"))
        #expect(state.tables[.jobs]?.selected == visible)
        #expect(state.tables[.jobs]?.offset == 1, "the cursor reached the last row: the view scrolls by one")
        for _ in 0..<(60 - visible) { press(&state, .character("j")) }
        #expect(state.tables[.jobs]?.selected == 60)
        #expect(state.tables[.jobs]?.offset == 60 - visible + 1)
        // The drawn frame agrees: the cursor's row is the last row of the table.
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let selectedLine = (0..<40).first { y in buffer[10, y]?.role == .selection }
        #expect(selectedLine == 5 + visible - 1)
        #expect(buffer.lines()[selectedLine ?? 0].contains(state.selectedJob?.id ?? "?"))
    }

    @Test func pageDownMovesByTheVisibleHeightAndFollowsAResize() {
        var state = manyJobsState(200)
        let visible = ConsoleLayout.visibleRows(of: .jobs, screen: state.screen)
        press(&state, .pageDown)
        #expect(state.tables[.jobs]?.selected == visible)
        #expect(state.tables[.jobs]?.offset == visible)
        _ = ConsoleUpdate.update(&state, .resize(width: 80, height: 24))
        let small = ConsoleLayout.visibleRows(of: .jobs, screen: (80, 24))
        press(&state, .pageDown)
        #expect(state.tables[.jobs]?.selected == visible + small)
        let table = state.tables[.jobs]!
        #expect(table.selected! >= table.offset && table.selected! < table.offset + small, "the cursor stays inside the smaller view")
        press(&state, .character("G"))
        #expect(state.tables[.jobs]?.selected == 199)
        #expect(state.tables[.jobs]?.offset == 200 - small)
        press(&state, .character("g"))
        #expect(state.tables[.jobs]?.offset == 0)
    }

    @Test func rowsDoNotReSortUnderAMovingCursorAndDoOnceItStops() {
        var state = manyJobsState(5)
        press(&state, .character(">"), .character(">"), .character(">"))  // REQUESTOR, CLASS, TAG …
        state.sorts[.jobs] = SortOrder(column: "RUN", ascending: false)
        let before = state.rows.jobs.map(\.id)
        press(&state, .character("j"))
        var changed = state.snapshot!
        changed.jobs[0].runningTasks = 99  // job-000 would jump to the top
        _ = ConsoleUpdate.update(&state, .pollFinished(id: state.pollRequestID, result: .success(changed)))
        #expect(state.rows.jobs.map(\.id) == before, "the order holds while the cursor moves")
        #expect(state.orderFrozen)
        _ = ConsoleUpdate.update(&state, .tick(now: state.now + ConsoleState.orderFrozenFor))
        #expect(state.rows.jobs.first?.id == "job-000", "re-sorted once the cursor stopped")
        #expect(state.selectedJob?.id == before[1], "the cursor stayed on its job")
    }
}

@Suite("Sorting every pane")
struct SortingTests {
    @Test func theMenuPicksAColumnByItsLetterAndTheArrowsAreConventional() {
        var state = manyJobsState(10)
        #expect(state.rows.jobs.first?.id == "job-009", "AGE ▲: youngest first")
        press(&state, .character("s"))
        guard case .sortMenu = state.overlay else { Issue.record("no sort menu"); return }
        press(&state, .character("u"))
        #expect(state.sort(of: .jobs) == SortOrder(column: "RUN", ascending: false), "a count starts largest first")
        #expect(state.rows.jobs.map(\.job.runningTasks) == state.rows.jobs.map(\.job.runningTasks).sorted(by: >))
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[4].contains("RUN ▼"))
        press(&state, .character("S"))
        #expect(state.sort(of: .jobs) == SortOrder(column: "RUN", ascending: true))
        press(&state, .character("s"), .character("r"))
        #expect(state.sort(of: .jobs) == SortOrder(column: "REQUESTOR", ascending: true), "text starts a→z")
        buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[4].contains("REQUESTOR ▲"))
    }

    @Test(arguments: [Pane.tasks, .workers, .audit, .events, .classes])
    func everyPaneWithRowsSorts(pane: Pane) {
        var state = connectedState()
        state.pane = pane
        let before = state.sort(of: pane)
        #expect(before != nil)
        press(&state, .character("S"))
        #expect(state.sort(of: pane)?.ascending == !(before?.ascending ?? true))
        #expect(state.sort(of: .jobs) == JobRow.columns.defaultSort, "only the pane on screen changes")
    }

    @Test func sortCommandTakesAColumnPrefixAndADirection() {
        var state = manyJobsState(3)
        press(&state, .character(":"))
        for character in "sort wa desc" { press(&state, .character(character)) }
        press(&state, .enter)
        #expect(state.sort(of: .jobs) == SortOrder(column: "WAIT", ascending: false))
        press(&state, .character(":"))
        for character in "sort nosuch" { press(&state, .character(character)) }
        press(&state, .enter)
        guard case .commandLine(_, let error?) = state.overlay else { Issue.record("expected an error"); return }
        #expect(error.contains("no column nosuch") && error.contains("REQUESTOR"))
    }

    @Test func headersNeverMangleOnNarrowColumns() {
        let state = manyJobsState(3, width: 80, height: 24)
        var buffer = Buffer(area: Rect(width: 80, height: 24))
        ConsoleView.render(state, into: &buffer)
        #expect(!buffer.lines()[3].contains("…"), "header: \(buffer.lines()[3])")
    }
}

@Suite("Inputs edit in place")
struct TextInputTests {
    @Test func editingKeysWorkAtTheCursor() {
        var input = TextInput("thresh")
        input.handle(.left)
        input.handle(.left)
        input.handle(.character("o"))
        #expect(input.text == "threosh" && input.cursor == 5)
        input.handle(.home)
        input.handle(.delete)
        #expect(input.text == "hreosh" && input.cursor == 0)
        input.handle(.end)
        input.handle(.backspace)
        #expect(input.text == "hreos")
        input = TextInput("kill job-1 job-2")
        input.handle(.control("w"))
        #expect(input.text == "kill job-1 ")
        input.handle(.left)
        input.handle(.control("k"))
        #expect(input.text == "kill job-1")
        input.handle(.control("u"))
        #expect(input.text.isEmpty && input.cursor == 0)
        let handledUp = input.handle(.up)
        #expect(!handledUp, "↑ is not an editing key")
    }

    @Test func theCommandLineEditsInPlaceAndRecallsHistory() {
        var state = connectedState()
        press(&state, .character(":"))
        for character in "thresh" { press(&state, .character(character)) }
        press(&state, .left, .left, .character("o"))
        guard case .commandLine(let input, _) = state.overlay else { Issue.record("no command line"); return }
        #expect(input.text == "threosh" && input.cursor == 5)
        press(&state, .escape)
        press(&state, .character(":"))
        for character in "threshold 30" { press(&state, .character(character)) }
        press(&state, .enter)  // opens the confirmation
        press(&state, .escape)
        press(&state, .character(":"))
        for character in "maxt" { press(&state, .character(character)) }
        press(&state, .up)
        #expect(state.overlay == .commandLine(text: "threshold 30", error: nil), "↑ recalls the last command")
        press(&state, .down)
        #expect(state.overlay == .commandLine(text: "maxt", error: nil), "↓ past the newest gives back what was typed")
    }

    @Test func historyIsBoundedAndSkipsRepeats() {
        var history = InputHistory()
        for index in 0..<(InputHistory.capacity + 20) { history.record("cmd \(index)") }
        history.record("cmd \(InputHistory.capacity + 19)")
        history.record("   ")
        #expect(history.entries.count == InputHistory.capacity)
        #expect(history.entries.last == "cmd \(InputHistory.capacity + 19)")
        #expect(history.older(than: "x") == "cmd \(InputHistory.capacity + 19)")
        #expect(history.older(than: "x") == "cmd \(InputHistory.capacity + 18)")
        #expect(history.newer() == "cmd \(InputHistory.capacity + 19)")
        #expect(history.newer() == "x")
        #expect(history.newer() == nil)
    }

    @Test func aLongCommandLineCostsLinearTime() {
        // 2,000 characters typed one by one and drawn each time: the prompt scrolls to the cursor.
        var state = connectedState()
        press(&state, .character(":"))
        for _ in 0..<2_000 { press(&state, .character("k")) }
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[39].hasPrefix(":kkkk"), "the prompt keeps its label and shows the text's end")
    }
}

@Suite("Scrollable overlays")
struct ViewerTests {
    @Test func helpScrollsAndSearches() {
        var state = connectedState()
        _ = ConsoleUpdate.update(&state, .resize(width: 120, height: 40))
        press(&state, .character("?"))
        guard case .viewer(let opened) = state.overlay else { Issue.record("no help"); return }
        let (rows, height) = ConsoleLayout.viewerRows(opened, screen: state.screen)
        #expect(rows.count > height, "the Jobs pane's help is longer than the screen")
        for character in "/kill" { press(&state, .character(character)) }
        press(&state, .enter)
        guard case .viewer(let found) = state.overlay else { Issue.record("help closed"); return }
        let shown = rows.dropFirst(found.scroll.offset).prefix(height).map(\.text)
        #expect(shown.contains { $0.hasPrefix("x") && $0.contains("kill job") }, "the kill key is on screen: \(shown)")
        press(&state, .character("G"))
        guard case .viewer(let end) = state.overlay else { Issue.record("help closed"); return }
        let last = rows.dropFirst(end.scroll.offset).prefix(height).map(\.text)
        #expect(last.contains { $0.hasPrefix(":quit") }, "G shows the last : command")
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.contains(":quit") })
        #expect(buffer.lines()[2].contains("rows "), "the frame says where the view is")
        press(&state, .escape)
        #expect(state.overlay == nil)
    }

    @Test func longLinesWrapInsteadOfBeingCut() {
        let long = String(repeating: "word ", count: 60) + "END"
        let rows = Viewport.rows([ViewportLine(long)], width: 50)
        #expect(rows.count > 5)
        #expect(rows.allSatisfy { DisplayWidth.width(of: $0.text) <= 50 })
        #expect(rows.last?.text.hasSuffix("END") == true)
        #expect(rows.map(\.text).joined().replacingOccurrences(of: " ", with: "") == long.replacingOccurrences(of: " ", with: ""))
    }

    @Test func theMessageHistoryKeepsWhatTheFlashLineCut() {
        var state = connectedState()
        let long = "offline worker w1 failed: " + String(repeating: "x", count: 300)
        ConsoleUpdate.flash(&state, long, error: true)
        ConsoleUpdate.flash(&state, "refresh every 2s", error: false)
        press(&state, .character("L"))
        guard case .viewer(let viewer) = state.overlay else { Issue.record("no messages"); return }
        #expect(viewer.lines.first?.text.hasSuffix("refresh every 2s") == true, "newest first")
        #expect(viewer.lines.dropFirst().first?.text.hasSuffix(long) == true, "in full")
        #expect(viewer.lines.dropFirst().first?.role == .stateFailed)
    }
}

@Suite("Full ids and the clipboard")
struct CopyTests {
    @Test func yCopiesTheFullIDAndIShowsEveryField() {
        var state = connectedState()
        let id = "4b0f8f1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b-a-very-long-job-id"
        state.snapshot?.jobs = [sampleJob(id)]
        #expect(press(&state, .character("y")) == [.copyToClipboard(id)])
        press(&state, .character("i"))
        guard case .viewer(let viewer) = state.overlay else { Issue.record("no details"); return }
        #expect(viewer.lines.contains { $0.text == "id          \(id)" })
    }

    @Test func osc52CarriesBase64() {
        #expect(Clipboard.osc52("job-1") == "\u{1B}]52;c;am9iLTE=\u{07}")
        #expect(Clipboard.osc52("ab") == "\u{1B}]52;c;YWI=\u{07}")
        #expect(Clipboard.osc52("abc") == "\u{1B}]52;c;YWJj\u{07}")
        #expect(Clipboard.osc52("") == "\u{1B}]52;c;\u{07}")
    }
}

@Suite("Times move while rows stand still")
struct CellTimeTests {
    @Test func agesMoveOnEveryPollEvenWhenTheJobListIsTheSame() {
        var state = connectedState()
        var snapshot = sampleSnapshot(jobs: [sampleJob("j1", submitted: 1_000)])
        snapshot.load = ClusterLoad(classes: [], spread: 0, rebalanceThreshold: 0, rebalanceMinimumDurationMin: 4, computedAtMs: 11_000)
        state.snapshot = snapshot
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[5].hasSuffix("10s│"))
        snapshot.load?.computedAtMs = 12_000  // a later poll, the same jobs: the rows are not rebuilt
        state.snapshot = snapshot
        buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[5].hasSuffix("11s│"), "\(buffer.lines()[5])")
    }

    @Test func theLoopSleepsUntilTheNextDeadline() {
        var state = connectedState()
        state.now = .seconds(10)
        state.snapshotAt = .seconds(10)
        state.nextPollAt = .seconds(11)
        state.pollInFlight = false
        #expect(state.nextDeadline() == .seconds(11), "the next poll, not yet handed over")
        state.pollInFlight = true
        #expect(state.nextDeadline() == .seconds(12), "the data turns late two intervals after it arrived")
        state.now = .milliseconds(12_300)
        #expect(state.nextDeadline() == .seconds(13), "late: the age text ticks on the second")
        ConsoleUpdate.flash(&state, "hello", error: false)
        #expect(state.nextDeadline() == .seconds(13))
        state.snapshotAt = nil
        #expect(state.nextDeadline() == .milliseconds(16_300), "the flash expires")
    }
}

@Suite("Dialogs taller than the screen")
struct LongDialogTests {
    @Test func aLongConfirmationScrollsAndKeepsItsButtons() {
        var state = connectedState()
        var percents: [String: Int32] = [:]
        for index in 0..<40 { percents["class-\(index)"] = 1 }
        state.overlay = .confirm(.setClassLoadPercents(percents), confirmFocused: false)
        let lines = ConsoleAction.setClassLoadPercents(percents).confirmationLines(in: state)
        var buffer = Buffer(area: Rect(width: 80, height: 24))
        ConsoleView.render(state, into: &buffer)
        #expect(lines.count > 24)
        #expect(buffer.lines().contains { $0.contains("[ Cancel ]") && $0.contains("[ Set ]") }, "the buttons stay on screen")
        let firstShown = buffer.lines().first { $0.contains("class-") }
        press(&state, .down, .down, .down)
        #expect(state.dialogScroll == 3)
        buffer = Buffer(area: Rect(width: 80, height: 24))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().first { $0.contains("class-") } != firstShown, "↓ scrolls the message")
        press(&state, .escape)
        state.overlay = .confirm(.setMaxTasks(3), confirmFocused: false)
        #expect(state.dialogScroll == 0, "a new confirmation opens at its top")
    }
}
