import Testing
@testable import TUIKit

@Suite struct TerminalTests {
    @Test func drawsOnlyChanges() {
        let backend = TestBackend(width: 8, height: 2)
        let terminal = Terminal(backend: backend)
        #expect(terminal.draw { $0.write("jobs", x: 0, y: 0) } == 16)
        #expect(backend.lines == ["jobs    ", "        "])
        #expect(backend.flushCount == 1)

        #expect(terminal.draw { $0.write("jobs", x: 0, y: 0) } == 0)
        #expect(backend.flushCount == 1)
        #expect(backend.drawCount == 1)

        terminal.draw { $0.write("jobz", x: 0, y: 0, role: .normal) }
        #expect(backend.lastChanges == [CellChange(x: 3, y: 0, cell: Cell(grapheme: "z"))])
        #expect(backend.flushCount == 2)
    }

    @Test func resizeRepaintsEverything() {
        let backend = TestBackend(width: 4, height: 1, events: [.resize(width: 6, height: 2), .key(.character("q"))])
        let terminal = Terminal(backend: backend)
        terminal.draw { $0.write("ab", x: 0, y: 0, role: .title) }
        #expect(backend.roleAt(x: 1, y: 0) == .title)
        if case .resize(let width, let height) = backend.nextEvent(timeoutMs: 0) {
            backend.resize(width: width, height: height)
            terminal.resize()
        }
        #expect(terminal.draw { $0.write("ab", x: 0, y: 0) } == 12)
        #expect(backend.clearCount == 1)
        #expect(backend.lines == ["ab    ", "      "])
        #expect(backend.nextEvent(timeoutMs: 0) == .key(.character("q")))
        #expect(backend.nextEvent(timeoutMs: 0) == nil)
    }
}

@Suite("Redrawing in place")
struct TerminalRedrawTests {
    @Test func anUpdateInPlaceSendsOnlyWhatChanged() {
        let backend = TestBackend(width: 10, height: 3)
        let terminal = Terminal(backend: backend)
        terminal.draw { $0.write("age 45s", x: 0, y: 1) }
        #expect(terminal.redraw { buffer in buffer.write("46", x: 4, y: 1); return true } == 1)
        #expect(backend.lastChanges.map(\.x) == [5])
        #expect(backend.screen.lines()[1].hasPrefix("age 46s"))
        #expect(terminal.redraw { _ in false } == nil, "declined: draw a full frame instead")
        #expect(terminal.previous?.lines()[1].hasPrefix("age 46s") == true, "the last frame is kept")
        terminal.resize()
        #expect(terminal.redraw { _ in true } == nil, "no previous frame after a resize")
    }
}
