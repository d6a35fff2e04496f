import Glibc
import Testing
import TUIKit
@testable import TUINcurses

/// ncurses is global state: every test that starts curses is in this one serialized suite, and
/// each shuts its backend down before the next starts.
@Suite(.serialized) struct NcursesBackendTests {
    private func headless(_ theme: Theme = .builtinDefault, type: String = "xterm-256color",
                          environment: [String: String] = [:], depth: ColorDepth? = nil) throws -> NcursesBackend {
        try NcursesBackend(theme: theme, terminal: .headless(type: type, width: 40, height: 10),
                           colorDepth: depth, environment: environment)
    }

    @Test func drawsCellsIncludingWideCharactersAndReadsThemBack() throws {
        let backend = try headless()
        defer { backend.shutdown() }
        #expect(backend.codeset == "UTF-8")
        #expect(backend.supportsUnicode)
        #expect(backend.size == (40, 10))
        #expect(backend.colorDepth == .indexed256)

        var changes: [CellChange] = []
        for (index, character) in "┌─ Jobs".enumerated() {
            changes.append(CellChange(x: index, y: 1, cell: Cell(grapheme: String(character), role: .border)))
        }
        changes.append(CellChange(x: 0, y: 2, cell: Cell(grapheme: "漢", width: 2, role: .stateRunning)))
        changes.append(CellChange(x: 1, y: 2, cell: .continuation(role: .stateRunning)))
        changes.append(CellChange(x: 2, y: 2, cell: Cell(grapheme: "x", role: .selection, attributes: .underline)))
        changes.append(CellChange(x: 3, y: 2, cell: Cell(grapheme: "e\u{301}", role: .normal)))
        backend.draw(changes)
        backend.flush()

        #expect(backend.rowText(1).hasPrefix("┌─ Jobs "))
        #expect(backend.rowText(2).hasPrefix("漢xé "))
        let wide = try #require(backend.cellAt(x: 0, y: 2))
        #expect(wide.text == "漢")
        #expect(wide.pair == backend.cursesStyle(for: .stateRunning).pair)
        let selected = try #require(backend.cellAt(x: 2, y: 2))
        #expect(selected.text == "x")
        #expect(selected.attributes == .underline)
        #expect(backend.cellAt(x: 3, y: 2)?.text == "e\u{301}")

        // The role's pair carries the theme's colours (256-colour half).
        let running = backend.cursesStyle(for: .stateRunning)
        #expect(running.pair > 0)
        #expect(backend.pairColors(running.pair) == (114, -1))
        let selection = backend.cursesStyle(for: .selection)
        #expect(backend.pairColors(selection.pair) == (16, 117))
        let danger = try #require(backend.cellAt(x: 0, y: 0).map { _ in backend.cursesStyle(for: .danger) })
        #expect(backend.pairColors(danger.pair) == (231, 160))
        // Pairs are shared by roles with the same colours and allocated lazily.
        #expect(backend.cursesStyle(for: .meterOK).pair == running.pair)
        #expect(backend.cursesStyle(for: .normal).pair == 0)
        let count = backend.allocatedPairCount
        _ = backend.cursesStyle(for: .flashInfo)  // also 114 on default
        #expect(backend.allocatedPairCount == count)

        backend.clear()
        backend.flush()
        #expect(backend.rowText(1).allSatisfy { $0 == " " })
    }

    @Test func eightColourTerminalUsesTheFallbackColours() throws {
        let backend = try headless(type: "xterm")
        defer { backend.shutdown() }
        #expect(backend.colorDepth == .basic8)
        #expect(backend.pairColors(backend.cursesStyle(for: .stateRunning).pair) == (2, -1))
        #expect(backend.pairColors(backend.cursesStyle(for: .selection).pair) == (0, 6))
    }

    @Test func noColorGivesAttributesOnly() throws {
        let backend = try headless(environment: ["NO_COLOR": "1"])
        defer { backend.shutdown() }
        #expect(backend.colorDepth == .monochrome)
        #expect(backend.theme == Theme.builtinMono)
        backend.draw([CellChange(x: 0, y: 0, cell: Cell(grapheme: "s", role: .selection)),
                      CellChange(x: 1, y: 0, cell: Cell(grapheme: "r", role: .stateRunning))])
        backend.flush()
        for role in StyleRole.allCases { #expect(backend.cursesStyle(for: role).pair == 0, "\(role)") }
        #expect(backend.allocatedPairCount == 0)
        #expect(backend.cellAt(x: 0, y: 0)?.pair == 0)
        #expect(backend.cellAt(x: 0, y: 0)?.attributes == .reverse)
        #expect(backend.cellAt(x: 1, y: 0)?.attributes == .bold)
    }

    @Test func emptyNoColorKeepsColours() throws {
        let backend = try headless(environment: ["NO_COLOR": ""])
        defer { backend.shutdown() }
        #expect(backend.colorDepth == .indexed256)
    }

    @Test func unknownTerminalThrows() {
        #expect(throws: NcursesError.cannotOpenTerminal(type: "no-such-terminal-xyz")) {
            _ = try NcursesBackend(terminal: .headless(type: "no-such-terminal-xyz"))
        }
        #expect(throws: NcursesError.cannotOpenTerminal(type: "")) {
            _ = try NcursesBackend(terminal: .standard, environment: [:])
        }
    }

    @Test func resizeIsReportedWithTheNewSize() throws {
        let backend = try headless()
        defer { backend.shutdown() }
        backend.simulateResize(width: 30, height: 8)
        #expect(backend.nextEvent(timeoutMs: 0) == .resize(width: 30, height: 8))
        #expect(backend.size == (30, 8))
    }

    @Test func decodesKeysFromTheTerminalInput() throws {
        // xterm-256color sends \EOA for up (keypad mode), \E[6~ for PgDn, \E[Z for BackTab, \EOP for F1.
        let bytes: [UInt8] = Array("j\r\t".utf8) + [3, 127] + Array("é漢".utf8)
            + Array("\u{1B}OA\u{1B}[6~\u{1B}[Z\u{1B}OP\u{1B}[3~".utf8)
        let path = "/tmp/ncurses-keys-\(getpid()).bin"
        let file = try #require(fopen(path, "w"))
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        defer { unlink(path) }

        let backend = try NcursesBackend(terminal: .headless(type: "xterm-256color", input: path, output: "/dev/null",
                                                             width: 40, height: 10), environment: [:])
        defer { backend.shutdown() }
        var keys: [Key] = []
        while let event = backend.nextEvent(timeoutMs: 100), keys.count < 20 {
            if case .key(let key) = event { keys.append(key) }
        }
        #expect(keys == [.character("j"), .enter, .tab, .control("c"), .backspace, .character("é"), .character("漢"),
                         .up, .pageDown, .backTab, .function(1), .delete])
    }

    @Test func timeoutWithoutInputGivesNil() throws {
        let backend = try headless()
        defer { backend.shutdown() }
        #expect(backend.nextEvent(timeoutMs: 0) == nil)
        backend.shutdown()
        backend.shutdown()  // idempotent
        backend.draw([CellChange(x: 0, y: 0, cell: Cell(grapheme: "x"))])  // ignored, no crash
        #expect(backend.size == (0, 0))
        #expect(backend.nextEvent(timeoutMs: 0) == nil)
    }
}

@Suite struct KeyDecodingTests {
    @Test func characters() {
        #expect(NcursesBackend.decodeCharacter(10) == .enter)
        #expect(NcursesBackend.decodeCharacter(13) == .enter)
        #expect(NcursesBackend.decodeCharacter(27) == .escape)
        #expect(NcursesBackend.decodeCharacter(9) == .tab)
        #expect(NcursesBackend.decodeCharacter(127) == .backspace)
        #expect(NcursesBackend.decodeCharacter(8) == .backspace)
        #expect(NcursesBackend.decodeCharacter(3) == .control("c"))
        #expect(NcursesBackend.decodeCharacter(1) == .control("a"))
        #expect(NcursesBackend.decodeCharacter(26) == .control("z"))
        #expect(NcursesBackend.decodeCharacter(0) == nil)
        #expect(NcursesBackend.decodeCharacter(0x6A) == .character("j"))
        #expect(NcursesBackend.decodeCharacter(0x20) == .character(" "))
        #expect(NcursesBackend.decodeCharacter(0xE9) == .character("é"))
        #expect(NcursesBackend.decodeCharacter(0x6F22) == .character("漢"))
        #expect(NcursesBackend.decodeCharacter(0xD800) == nil)
    }

    @Test func functionKeys() {
        // Codes from ncurses' curses.h.
        #expect(NcursesBackend.decodeKeyCode(0o403) == .up)
        #expect(NcursesBackend.decodeKeyCode(0o402) == .down)
        #expect(NcursesBackend.decodeKeyCode(0o404) == .left)
        #expect(NcursesBackend.decodeKeyCode(0o405) == .right)
        #expect(NcursesBackend.decodeKeyCode(0o523) == .pageUp)
        #expect(NcursesBackend.decodeKeyCode(0o522) == .pageDown)
        #expect(NcursesBackend.decodeKeyCode(0o406) == .home)
        #expect(NcursesBackend.decodeKeyCode(0o550) == .end)
        #expect(NcursesBackend.decodeKeyCode(0o527) == .enter)
        #expect(NcursesBackend.decodeKeyCode(0o541) == .backTab)
        #expect(NcursesBackend.decodeKeyCode(0o407) == .backspace)
        #expect(NcursesBackend.decodeKeyCode(0o512) == .delete)
        #expect(NcursesBackend.decodeKeyCode(0o410 + 1) == .function(1))
        #expect(NcursesBackend.decodeKeyCode(0o410 + 12) == .function(12))
        #expect(NcursesBackend.decodeKeyCode(0o410 + 13) == nil)
        #expect(NcursesBackend.decodeKeyCode(0o631) == nil)  // KEY_MOUSE: not handled
    }
}
