import Testing
@testable import TUIKit

@Suite struct TableTests {
    private final class CallCounter { var indices: [Int] = [] }

    private func jobsTable(rows: Int, sort: TableSort? = nil, counter: CallCounter? = nil, characters: BoxCharacters = .unicode) -> Table {
        Table(
            columns: [TableColumn("ID", width: .length(6), alignment: .right), TableColumn("Status", width: .fill(1))],
            rowCount: rows, sort: sort, characters: characters
        ) { index in
            counter?.indices.append(index)
            return TableRow(id: "job\(index)", cells: [TableCell("\(index)"), TableCell(index % 2 == 0 ? "running" : "waiting", role: .stateRunning)])
        }
    }

    @Test func rendersHeaderRowsAndSelection() {
        var buffer = Buffer(area: Rect(width: 20, height: 4))
        var state = TableState(selected: 1)
        jobsTable(rows: 5, sort: TableSort(column: 1, ascending: false)).render(into: &buffer, area: buffer.area, state: &state)
        #expect(buffer.lines() == [
            "      ID Status ▼   ",
            "       0 running    ",
            "       1 waiting    ",
            "       2 running    ",
        ])
        #expect(buffer[0, 2]?.role == .selection)
        #expect(buffer[10, 2]?.role == .selection)
        #expect(buffer[10, 1]?.role == .stateRunning)
        #expect(buffer[9, 0]?.attributes == .bold)
    }

    @Test func virtualizedRendersOnlyVisibleRows() {
        let counter = CallCounter()
        var buffer = Buffer(area: Rect(width: 200, height: 50))
        var state = TableState(selected: 50_000)
        jobsTable(rows: 100_000, counter: counter).render(into: &buffer, area: buffer.area, state: &state)
        #expect(counter.indices == Array(49_952...50_000))
        #expect(state.offset == 49_952)
    }

    @Test func selectionScrolling() {
        var state = TableState()
        let visible = 3
        state.move(by: 4, rowCount: 10)
        state.scrollToSelection(visibleHeight: visible, rowCount: 10)
        #expect(state.selected == 4 && state.offset == 2)
        state.move(by: -3, rowCount: 10)
        state.scrollToSelection(visibleHeight: visible, rowCount: 10)
        #expect(state.selected == 1 && state.offset == 1)
        state.pageDown(visibleHeight: visible, rowCount: 10)
        #expect(state.selected == 4 && state.offset == 4)
        state.toBottom(rowCount: 10)
        state.scrollToSelection(visibleHeight: visible, rowCount: 10)
        #expect(state.selected == 9 && state.offset == 7)
        state.pageUp(visibleHeight: visible, rowCount: 10)
        #expect(state.selected == 6 && state.offset == 4)
        state.toTop(rowCount: 10)
        #expect(state.selected == 0 && state.offset == 0)
        state.move(by: -5, rowCount: 10)
        #expect(state.selected == 0)
        state.move(by: 50, rowCount: 10)
        #expect(state.selected == 9)
        state.clamp(rowCount: 4)
        #expect(state.selected == 3)
        state.clamp(rowCount: 0)
        #expect(state.selected == nil && state.offset == 0)
    }

    @Test func tableScrollsToKeepSelectionVisible() {
        var buffer = Buffer(area: Rect(width: 20, height: 3))
        var state = TableState(selected: 7)
        jobsTable(rows: 10).render(into: &buffer, area: buffer.area, state: &state)
        #expect(buffer.lines() == [
            "      ID Status     ",
            "       6 running    ",
            "       7 waiting    ",
        ])
        #expect(buffer[3, 2]?.role == .selection)
    }

    @Test func marksInGutter() {
        var buffer = Buffer(area: Rect(width: 20, height: 3))
        var state = TableState(selected: nil, marked: ["job1"])
        jobsTable(rows: 2, sort: TableSort(column: 0)).render(into: &buffer, area: buffer.area, state: &state)
        #expect(buffer.lines() == [
            "    ID ▲ Status     ",
            "       0 running    ",
            "●      1 waiting    ",
        ])
        #expect(buffer[0, 2]?.role == .marked)
        var ascii = Buffer(area: Rect(width: 20, height: 3))
        jobsTable(rows: 2, sort: TableSort(column: 0), characters: .ascii).render(into: &ascii, area: ascii.area, state: &state)
        #expect(ascii.lines()[0] == "    ID ^ Status     ")
        #expect(ascii.lines()[2] == "*      1 waiting    ")
    }

    @Test func sortIndicatorSurvivesNarrowColumns() {
        var buffer = Buffer(area: Rect(width: 12, height: 2))
        var state = TableState()
        Table(columns: [TableColumn("Requestor", width: .length(4)), TableColumn("漢字漢字", width: .fill(1))], rowCount: 1, sort: TableSort(column: 0), showsMarks: false) { _ in
            TableRow(id: "r", cells: ["alice", "漢字漢字"])
        }.render(into: &buffer, area: buffer.area, state: &state)
        #expect(buffer.lines() == ["R… ▲ 漢字漢…", "ali… 漢字漢…"])
    }

    @Test func emptyTable() {
        var buffer = Buffer(area: Rect(width: 20, height: 3))
        var state = TableState()
        jobsTable(rows: 0).render(into: &buffer, area: buffer.area, state: &state)
        #expect(state.selected == nil)
        #expect(buffer.lines()[1] == String(repeating: " ", count: 20))
    }

    @Test func toggleMark() {
        var state = TableState()
        state.toggleMark("a")
        #expect(state.marked == ["a"])
        state.toggleMark("a")
        #expect(state.marked.isEmpty)
    }
}
