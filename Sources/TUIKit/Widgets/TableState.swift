/// What a `Table` remembers between frames: the selected row, the first visible row and the
/// marked rows (by id, so marks survive re-sorting).
///
/// Movement functions take the row count and clamp; `scrollToSelection` (called by the table
/// when it renders) moves the offset just enough to keep the selection visible.
public struct TableState: Sendable, Hashable {
    /// The selected row index; nil when the table is empty.
    public var selected: Int?
    /// The index of the first visible row.
    public var offset: Int
    /// Ids of marked rows (for bulk actions).
    public var marked: Set<String>

    public init(selected: Int? = 0, offset: Int = 0, marked: Set<String> = []) {
        self.selected = selected
        self.offset = offset
        self.marked = marked
    }

    /// Moves the selection by `delta` rows (negative is up), stopping at the ends.
    public mutating func move(by delta: Int, rowCount: Int) {
        guard rowCount > 0 else { selected = nil; return }
        selected = Swift.min(Swift.max(0, (selected ?? 0) + delta), rowCount - 1)
    }

    /// Selects the first row.
    public mutating func toTop(rowCount: Int) {
        selected = rowCount > 0 ? 0 : nil
        offset = 0
    }

    /// Selects the last row.
    public mutating func toBottom(rowCount: Int) {
        selected = rowCount > 0 ? rowCount - 1 : nil
    }

    /// Moves up one page of `visibleHeight` rows, keeping the selection's place on screen.
    public mutating func pageUp(visibleHeight: Int, rowCount: Int) {
        let page = Swift.max(1, visibleHeight)
        offset = Swift.max(0, offset - page)
        move(by: -page, rowCount: rowCount)
    }

    /// Moves down one page of `visibleHeight` rows, keeping the selection's place on screen.
    public mutating func pageDown(visibleHeight: Int, rowCount: Int) {
        let page = Swift.max(1, visibleHeight)
        offset = Swift.max(0, Swift.min(offset + page, rowCount - page))
        move(by: page, rowCount: rowCount)
    }

    /// Brings the selection and offset back inside `rowCount` rows (after rows went away).
    public mutating func clamp(rowCount: Int) {
        if rowCount == 0 {
            selected = nil
            offset = 0
        } else {
            selected = Swift.min(Swift.max(0, selected ?? 0), rowCount - 1)
            offset = Swift.min(Swift.max(0, offset), rowCount - 1)
        }
    }

    /// Adjusts `offset` so the selection lies within `visibleHeight` rows from it and no rows
    /// are left blank at the bottom while earlier rows exist.
    public mutating func scrollToSelection(visibleHeight: Int, rowCount: Int) {
        clamp(rowCount: rowCount)
        guard visibleHeight > 0 else { return }
        if let selected {
            if selected < offset { offset = selected }
            if selected >= offset + visibleHeight { offset = selected - visibleHeight + 1 }
        }
        offset = Swift.max(0, Swift.min(offset, rowCount - visibleHeight))
    }

    /// Marks the row with `id`, or unmarks it when already marked.
    public mutating func toggleMark(_ id: String) {
        if marked.remove(id) == nil { marked.insert(id) }
    }
}
