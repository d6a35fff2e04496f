import TUIKit

/// One column of a console table: everything about it in one value — title, width rule, when it
/// is shown, how it sorts and what its cells say — so that adding a column is one entry in one
/// list (`JobRow.columns`, `TaskRow.columns`, …).
struct Column<Row>: Sendable {
    let title: String
    /// The letter that picks it in the sort menu.
    let key: Character
    let width: Constraint
    let alignment: Alignment
    /// The column is left out of tables narrower than this.
    let shownFrom: Int
    /// Whether the sort menu starts this column largest first (counts), or smallest first (text).
    let startsDescending: Bool
    /// Ascending order: true when the first row comes before the second.
    let ascending: @Sendable (Row, Row) -> Bool
    let cell: @Sendable (Row, CellContext) -> TableCell
    /// Whether the cell reads the clock (an age, a duration): such cells are redrawn on their
    /// own when only the time moved.
    let readsTime: Bool

    /// A column of `title`; a fixed width is widened to hold the title and a sort arrow, so a
    /// header never mangles (`DONE ▲`, not `DO… ▲`).
    init(
        _ title: String, key: Character, width: Constraint, alignment: Alignment = .left, shownFrom: Int = 0, startsDescending: Bool = false,
        ascending: @escaping @Sendable (Row, Row) -> Bool, readsTime: Bool = true,
        cellAt cell: @escaping @Sendable (Row, CellContext) -> TableCell
    ) {
        self.readsTime = readsTime
        self.title = title
        self.key = key
        if case .length(let length) = width {
            self.width = .length(Swift.max(length, DisplayWidth.width(of: title) + 2))
        } else {
            self.width = width
        }
        self.alignment = alignment
        self.shownFrom = shownFrom
        self.startsDescending = startsDescending
        self.ascending = ascending
        self.cell = cell
    }

    /// A column whose cell does not depend on the time.
    init(
        _ title: String, key: Character, width: Constraint, alignment: Alignment = .left, shownFrom: Int = 0, startsDescending: Bool = false,
        ascending: @escaping @Sendable (Row, Row) -> Bool, cell: @escaping @Sendable (Row) -> TableCell
    ) {
        self.init(title, key: key, width: width, alignment: alignment, shownFrom: shownFrom, startsDescending: startsDescending,
                  ascending: ascending, readsTime: false, cellAt: { row, _ in cell(row) })
    }

    /// A column sorted by `value`.
    init<Value: Comparable & Sendable>(
        _ title: String, key: Character, width: Constraint, alignment: Alignment = .left, shownFrom: Int = 0, startsDescending: Bool = false,
        by value: @escaping @Sendable (Row) -> Value, cell: @escaping @Sendable (Row) -> TableCell
    ) {
        self.init(title, key: key, width: width, alignment: alignment, shownFrom: shownFrom, startsDescending: startsDescending,
                  ascending: { value($0) < value($1) }, cell: cell)
    }

    /// A column sorted by `value` whose cell reads the time (an age, a duration).
    init<Value: Comparable & Sendable>(
        _ title: String, key: Character, width: Constraint, alignment: Alignment = .left, shownFrom: Int = 0, startsDescending: Bool = false,
        by value: @escaping @Sendable (Row) -> Value, cellAt cell: @escaping @Sendable (Row, CellContext) -> TableCell
    ) {
        self.init(title, key: key, width: width, alignment: alignment, shownFrom: shownFrom, startsDescending: startsDescending,
                  ascending: { value($0) < value($1) }, cellAt: cell)
    }

    var tableColumn: TableColumn { TableColumn(title, width: width, alignment: alignment) }
}

/// Which column a pane's rows are sorted by (its title) and which way: ascending (▲) puts the
/// smallest value shown in the column at the top — a→z, 0→9, youngest AGE first.
public struct SortOrder: Sendable, Hashable {
    public var column: String
    public var ascending: Bool

    public init(column: String, ascending: Bool) {
        self.column = column
        self.ascending = ascending
    }
}

/// A table's columns and its sort: the shared part of every pane's table.
struct ColumnSet<Row: Identified>: Sendable {
    let columns: [Column<Row>]
    /// The sort a pane starts with.
    let defaultSort: SortOrder

    /// The columns that fit a table `width` wide, and the optional ones (`shownFrom: .max`)
    /// named in `optional`.
    func shown(width: Int, including optional: Set<String> = []) -> [Column<Row>] {
        columns.filter { width >= $0.shownFrom || optional.contains($0.title) }
    }

    /// `rows` in `order`; ties keep the rows' given order (stable).
    func sorted(_ rows: [Row], by order: SortOrder) -> [Row] {
        guard let column = columns.first(where: { $0.title == order.column }) else { return rows }
        let ascending = column.ascending
        let indexed = rows.enumerated().sorted { lhs, rhs in
            if order.ascending ? ascending(lhs.element, rhs.element) : ascending(rhs.element, lhs.element) { return true }
            if order.ascending ? ascending(rhs.element, lhs.element) : ascending(lhs.element, rhs.element) { return false }
            return lhs.offset < rhs.offset
        }
        return indexed.map(\.element)
    }

    /// The sort after picking `column` in the menu: a new column starts in its natural direction,
    /// the current one reverses.
    func picking(_ title: String, current: SortOrder) -> SortOrder {
        guard let column = columns.first(where: { $0.title == title }) else { return current }
        if current.column == title { return SortOrder(column: title, ascending: !current.ascending) }
        return SortOrder(column: title, ascending: !column.startsDescending)
    }

    /// The rows a table draws: cells of the shown columns, at the time in `context`.
    func tableRow(_ row: Row, shown: [Column<Row>], context: CellContext, only: Set<Int>? = nil) -> TableRow {
        TableRow(id: row.id, cells: shown.indices.map { only?.contains($0) == false ? TableCell("") : shown[$0].cell(row, context) })
    }

    /// The sort arrow's place among the shown columns.
    func tableSort(_ order: SortOrder, shown: [Column<Row>]) -> TableSort? {
        shown.firstIndex { $0.title == order.column }.map { TableSort(column: $0, ascending: order.ascending) }
    }
}

/// What a cell may depend on besides its row: the time, so that ages and durations move on
/// every poll while the rows themselves are built only when their data changes.
struct CellContext: Sendable {
    /// The scheduler's "now" in epoch milliseconds (`PaneRows.nowMs`).
    var nowMs: Int64
}

/// A row with a stable id: the cursor and marks follow it when rows re-sort.
protocol Identified: Sendable {
    var id: String { get }
}

extension Array where Element: Identified {
    /// These rows in the order of `previous` (ids), for the rows still there, then the new ones
    /// in their own order: htop's rule that rows do not re-sort while the cursor moves.
    func keepingOrder(of previous: [String]) -> [Element] {
        let place = Dictionary(previous.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = filter { place[$0.id] != nil }.sorted { place[$0.id]! < place[$1.id]! }
        return kept + filter { place[$0.id] == nil }
    }
}
