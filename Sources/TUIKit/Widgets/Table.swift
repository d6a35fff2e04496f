/// One column of a `Table`.
public struct TableColumn: Sendable, Hashable {
    public var title: String
    /// The column's share of the width (split like a horizontal `Layout`).
    public var width: Constraint
    public var alignment: Alignment

    public init(_ title: String, width: Constraint, alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// One cell of a table row: text (truncated with "…" to the column) and its role.
public struct TableCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public var text: String
    public var role: StyleRole
    public var attributes: TextAttributes

    public init(_ text: String, role: StyleRole = .normal, attributes: TextAttributes = []) {
        self.text = text
        self.role = role
        self.attributes = attributes
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// One row of a table: a stable id (for marks) and its cells, one per column.
public struct TableRow: Sendable, Hashable {
    public var id: String
    public var cells: [TableCell]

    public init(id: String, cells: [TableCell]) {
        self.id = id
        self.cells = cells
    }
}

/// Which column a table is sorted by, shown as ▲/▼ after its title.
public struct TableSort: Sendable, Hashable {
    public var column: Int
    public var ascending: Bool

    public init(column: Int, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

/// A virtualized table: rows come from a closure and only the visible ones are requested, so a
/// 100,000-row table costs what a screenful does.
///
/// Layout: a header row (titles, sort indicator), then rows. With `showsMarks`, a two-column
/// gutter shows `●` (`*` in ASCII) before marked rows. The selected row is drawn in the
/// `.selection` role across the full width.
public struct Table {
    public var columns: [TableColumn]
    /// How many rows there are.
    public var rowCount: Int
    /// The row at an index in `0..<rowCount`; called only for visible rows.
    public var row: (Int) -> TableRow
    public var sort: TableSort?
    /// Whether to leave a gutter for mark glyphs.
    public var showsMarks: Bool
    /// Blank columns between adjacent columns.
    public var columnSpacing: Int
    public var characters: BoxCharacters
    /// When set, only these columns' cells are drawn, over what the buffer holds (the header
    /// and other cells are left alone): the redraw of cells that changed on their own, such as
    /// ages. The result equals a full render of the same table.
    public var onlyColumns: Set<Int>?

    public init(
        columns: [TableColumn], rowCount: Int, sort: TableSort? = nil, showsMarks: Bool = true,
        columnSpacing: Int = 1, characters: BoxCharacters = .unicode, row: @escaping (Int) -> TableRow
    ) {
        self.columns = columns
        self.rowCount = rowCount
        self.row = row
        self.sort = sort
        self.showsMarks = showsMarks
        self.columnSpacing = columnSpacing
        self.characters = characters
    }

    /// How many rows fit in `area` under the header.
    public static func visibleRows(in area: Rect) -> Int { Swift.max(0, area.height - 1) }

    /// Draws the header and visible rows, first scrolling `state` so the selection is visible.
    public func render(into buffer: inout Buffer, area: Rect, state: inout TableState) {
        guard !area.isEmpty else { return }
        let visible = Table.visibleRows(in: area)
        state.scrollToSelection(visibleHeight: visible, rowCount: rowCount)
        let gutter = showsMarks ? 2 : 0
        let body = Rect(x: area.x + gutter, y: area.y, width: area.width - gutter, height: area.height)
        let columnRects = Layout.horizontal(columns.map(\.width), spacing: columnSpacing).split(body)

        if let onlyColumns {
            renderCells(onlyColumns, into: &buffer, area: area, columnRects: columnRects, state: state, visible: visible)
            return
        }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), role: .header)
        for (index, column) in columns.enumerated() {
            let rect = columnRects[index]
            var title = column.title
            var attributes: TextAttributes = []
            if let sort, sort.column == index, rect.width >= 2 {
                // The indicator always shows; the title gives way.
                let indicator = sort.ascending ? characters.ascending : characters.descending
                title = TextTruncation.truncate(title, toWidth: rect.width - 2) + " " + String(indicator)
                attributes = .bold
            }
            buffer.write(title, x: rect.x, y: area.y, width: rect.width, alignment: column.alignment, role: .header, attributes: attributes)
        }

        guard visible > 0, rowCount > 0 else { return }
        for index in state.offset..<Swift.min(rowCount, state.offset + visible) {
            let y = area.y + 1 + index - state.offset
            let current = self.row(index)
            let isSelected = index == state.selected
            if showsMarks, state.marked.contains(current.id) {
                buffer.write(String(characters.mark), x: area.x, y: y, role: .marked)
            }
            for (column, cell) in zip(columnRects.indices, current.cells) {
                let rect = columnRects[column]
                buffer.write(cell.text, x: rect.x, y: y, width: rect.width, alignment: columns[column].alignment, role: cell.role, attributes: cell.attributes)
            }
            if isSelected { buffer.setRole(.selection, in: Rect(x: area.x, y: y, width: area.width, height: 1)) }
        }
    }

    /// Draws the cells of `only` for the visible rows, over blank cells as a fresh frame has them.
    private func renderCells(_ only: Set<Int>, into buffer: inout Buffer, area: Rect, columnRects: [Rect], state: TableState, visible: Int) {
        guard visible > 0, rowCount > 0 else { return }
        for index in state.offset..<Swift.min(rowCount, state.offset + visible) {
            let y = area.y + 1 + index - state.offset
            let current = self.row(index)
            for column in only where column < columnRects.count && column < current.cells.count {
                let rect = Rect(x: columnRects[column].x, y: y, width: columnRects[column].width, height: 1)
                buffer.fill(rect, with: .blank)
                let cell = current.cells[column]
                buffer.write(cell.text, x: rect.x, y: y, width: rect.width, alignment: columns[column].alignment, role: cell.role, attributes: cell.attributes)
                if index == state.selected { buffer.setRole(.selection, in: rect) }
            }
        }
    }
}
