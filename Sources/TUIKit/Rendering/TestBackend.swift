/// An in-memory `Backend` for tests: keeps the drawn screen, counts draws and flushes, and hands
/// out scripted events.
public final class TestBackend: Backend {
    /// What is on the screen (as drawn; only visible after a flush on a real terminal).
    public private(set) var screen: Buffer
    /// How many times `flush` was called.
    public private(set) var flushCount = 0
    /// How many times `draw` was called.
    public private(set) var drawCount = 0
    /// The changes of the last `draw` call.
    public private(set) var lastChanges: [CellChange] = []
    /// How many times `clear` was called.
    public private(set) var clearCount = 0
    /// Events `nextEvent` returns, first to last.
    public var events: [TerminalEvent]

    /// A blank screen of `width` × `height` with the given scripted events.
    public init(width: Int, height: Int, events: [TerminalEvent] = []) {
        self.screen = Buffer(area: Rect(width: width, height: height))
        self.events = events
    }

    public var size: (width: Int, height: Int) { (screen.area.width, screen.area.height) }

    public func draw(_ changes: [CellChange]) {
        drawCount += 1
        lastChanges = changes
        for change in changes { screen.set(x: change.x, y: change.y, cell: change.cell) }
    }

    public func flush() { flushCount += 1 }

    /// What `copyToClipboard` was given, first to last.
    public private(set) var clipboard: [String] = []

    public func copyToClipboard(_ text: String) { clipboard.append(text) }

    public func clear() {
        clearCount += 1
        screen = Buffer(area: screen.area)
    }

    /// The next scripted event (nil when the script is exhausted), ignoring the timeout.
    public func nextEvent(timeoutMs: Int) -> TerminalEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// Changes the screen size (blank) as a terminal resize would.
    public func resize(width: Int, height: Int) {
        screen = Buffer(area: Rect(width: width, height: height))
    }

    /// The screen rows as text.
    public var lines: [String] { screen.lines() }

    /// The role of the cell at (x, y), nil outside the screen.
    public func roleAt(x: Int, y: Int) -> StyleRole? { screen[x, y]?.role }
}
