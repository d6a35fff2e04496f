/// One changed cell to draw.
public struct CellChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}

/// The only seam to a real terminal: everything above it renders into a `Buffer`; a `Terminal`
/// diffs frames and hands the backend just the cells that changed. The ncurses backend is the
/// only code that touches ncurses; `TestBackend` keeps the screen in memory for tests.
public protocol Backend: AnyObject {
    /// The terminal size in cells.
    var size: (width: Int, height: Int) { get }
    /// Draws changed cells (not yet visible until `flush`).
    func draw(_ changes: [CellChange])
    /// Makes everything drawn visible.
    func flush()
    /// Clears the whole screen (after a resize).
    func clear()
    /// Waits up to `timeoutMs` for a key or resize; nil on timeout.
    func nextEvent(timeoutMs: Int) -> TerminalEvent?
    /// Puts `text` on the terminal's clipboard (`Clipboard.osc52`).
    func copyToClipboard(_ text: String)
    /// A function any thread may call to end a `nextEvent` wait at once (it returns `.wakeUp`),
    /// so a loop can sleep until its next deadline instead of ticking; nil when the backend
    /// cannot be woken (the loop then keeps a short timeout).
    func makeWaker() -> (@Sendable () -> Void)?
}

extension Backend {
    public func makeWaker() -> (@Sendable () -> Void)? { nil }
}
