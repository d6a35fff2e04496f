import Testing
@testable import TUIKit

/// Widgets composed into a whole screen, as the console does.
@Suite struct ScreenTests {
    private func screen(width: Int, height: Int, characters: BoxCharacters) -> [String] {
        let backend = TestBackend(width: width, height: height)
        let terminal = Terminal(backend: backend)
        var state = TableState(selected: 1, marked: ["b"])
        terminal.draw { buffer in
            let parts = Layout.vertical([.length(1), .fill(1), .length(1)]).split(buffer.area)
            Tabs(titles: ["Jobs", "Tasks"], selected: 0).render(into: &buffer, area: parts[0])
            let inner = Block(title: "Jobs", borderRole: .borderFocused, characters: characters).render(into: &buffer, area: parts[1])
            let ids = ["a", "b", "c"]
            Table(
                columns: [TableColumn("Job", width: .length(6)), TableColumn("Class", width: .fill(1))],
                rowCount: ids.count, sort: TableSort(column: 0, ascending: false), characters: characters
            ) { TableRow(id: ids[$0], cells: [TableCell(ids[$0]), "漢字 land"]) }
                .render(into: &buffer, area: inner, state: &state)
            KeyHintBar(hints: [.init(key: "q", description: "quit"), .init(key: "?", description: "help")])
                .render(into: &buffer, area: parts[2])
        }
        return backend.lines
    }

    @Test func smallScreen() {
        #expect(screen(width: 20, height: 8, characters: .unicode) == [
            "1 Jobs  2 Tasks     ",
            "┌ Jobs ────────────┐",
            "│  Job ▼  Class    │",
            "│  a      漢字 land│",
            "│● b      漢字 land│",
            "│  c      漢字 land│",
            "└──────────────────┘",
            "q quit  ? help      ",
        ])
    }

    @Test func narrowScreenInASCII() {
        #expect(screen(width: 14, height: 6, characters: .ascii) == [
            "1 Jobs        ",
            "+ Jobs ------+",
            "|  Job v  Cl…|",
            "|* b      漢…|",
            "+------------+",
            "q quit  ? help",
        ])
    }
}
