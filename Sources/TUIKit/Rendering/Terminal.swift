/// Drives frames onto a `Backend`: renders each frame into a fresh buffer of the backend's size,
/// sends only the cells that changed since the previous frame, and draws nothing at all when
/// nothing changed.
public final class Terminal {
    /// Where frames go.
    public let backend: any Backend
    /// The last frame sent to the backend (nil before the first, or after `resize`).
    public private(set) var previous: Buffer?

    /// A terminal drawing onto `backend`.
    public init(backend: any Backend) {
        self.backend = backend
    }

    /// Renders one frame with `render`, then draws and flushes the changed cells, if any.
    /// Returns the number of cells sent to the backend.
    @discardableResult
    public func draw(_ render: (inout Buffer) -> Void) -> Int {
        let size = backend.size
        var frame = Buffer(area: Rect(width: size.width, height: size.height))
        render(&frame)
        let changes = frame.diff(from: previous)
        previous = frame
        guard !changes.isEmpty else { return 0 }
        backend.draw(changes)
        backend.flush()
        return changes.count
    }

    /// Updates the previous frame in place with `update` (which returns false, having written
    /// nothing, when it cannot: e.g. the frame's layout changed) and sends the cells that changed. Returns nil when there
    /// is no previous frame of the backend's size or `update` declined: draw a full frame then.
    @discardableResult
    public func redraw(_ update: (inout Buffer) -> Bool) -> Int? {
        let size = backend.size
        guard var frame = previous, frame.area == Rect(width: size.width, height: size.height) else { return nil }
        // Updated in place (the only reference, so no copy of the frame), its changes recorded.
        previous = nil
        frame.startRecording()
        guard update(&frame) else {
            _ = frame.recordedChanges()
            previous = frame  // `update` declines before it writes anything
            return nil
        }
        let changes = frame.recordedChanges()
        previous = frame
        guard !changes.isEmpty else { return 0 }
        backend.draw(changes)
        backend.flush()
        return changes.count
    }

    /// After the terminal changed size: clears the screen and forgets the previous frame, so the
    /// next `draw` repaints every cell.
    public func resize() {
        backend.clear()
        previous = nil
    }
}
