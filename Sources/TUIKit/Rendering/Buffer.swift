/// A grid of cells covering `area`: widgets render into it and a `Terminal` diffs two of them.
///
/// Coordinates are absolute (the same as `area`'s); writes outside the area are ignored.
public struct Buffer: Sendable, Hashable {
    /// The cells this buffer covers.
    public private(set) var area: Rect
    /// Row-major cells, `area.width * area.height` of them.
    public private(set) var cells: [Cell]
    /// While recording (`startRecording`), the cells writes touched, with what each held before,
    /// so an update in place knows its changes without a copy of the frame to diff against (at
    /// most one entry per cell); nil when not recording.
    private var originals: (recorded: [Bool], cells: [(index: Int, cell: Cell)])?

    /// A buffer of blank cells covering `area`.
    public init(area: Rect, filling cell: Cell = .blank) {
        self.area = area
        self.cells = Array(repeating: cell, count: area.area)
    }

    /// Two buffers are equal when they show the same cells (recording is not part of it).
    public static func == (lhs: Buffer, rhs: Buffer) -> Bool { lhs.area == rhs.area && lhs.cells == rhs.cells }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(area)
        hasher.combine(cells)
    }

    /// Starts recording the cells that writes change (see `recordedChanges`).
    public mutating func startRecording() { originals = (Array(repeating: false, count: cells.count), []) }

    /// The cells that differ from what they held at `startRecording`, in row order (a cell
    /// blanked and written back the same is no change); recording stops.
    public mutating func recordedChanges() -> [CellChange] {
        defer { originals = nil }
        return (originals?.cells ?? []).filter { cells[$0.index] != $0.cell }.map(\.index).sorted().map(change(at:))
    }

    /// Stores `cell` at `index`, remembering the cell's first value while recording.
    private mutating func store(_ cell: Cell, at index: Int) {
        if originals?.recorded[index] == false, cells[index] != cell {
            originals?.recorded[index] = true
            originals?.cells.append((index, cells[index]))
        }
        cells[index] = cell
    }

    private func index(x: Int, y: Int) -> Int? {
        guard area.contains(x: x, y: y) else { return nil }
        return (y - area.y) * area.width + (x - area.x)
    }

    /// The cell at (x, y), or nil outside the area.
    public subscript(x: Int, y: Int) -> Cell? {
        index(x: x, y: y).map { cells[$0] }
    }

    /// Replaces the cell at (x, y); ignored outside the area. Overwriting half of a wide
    /// grapheme blanks its other half, so no orphaned half is ever drawn.
    public mutating func set(x: Int, y: Int, cell: Cell) {
        guard let index = index(x: x, y: y) else { return }
        let old = cells[index]
        if old.width == 0, cell.width != 0, x > area.x, cells[index - 1].width == 2 {
            store(Cell(role: cells[index - 1].role), at: index - 1)
        }
        if old.width == 2, x + 1 < area.maxX, cells[index + 1].width == 0 {
            store(Cell(role: old.role), at: index + 1)
        }
        store(cell, at: index)
    }

    /// Changes the role of the cell at (x, y), keeping its grapheme.
    public mutating func setRole(x: Int, y: Int, role: StyleRole) {
        guard let index = index(x: x, y: y) else { return }
        var cell = cells[index]
        cell.role = role
        store(cell, at: index)
    }

    /// Writes `text` from (x, y) rightwards, at most `maxWidth` columns (default: to the area's
    /// right edge) and returns the columns used. Wide graphemes take two cells (the second a
    /// continuation cell) and are never split: one that does not fit whole is not drawn.
    /// Zero-width graphemes (combining marks alone, control characters) are skipped.
    @discardableResult
    public mutating func write(
        _ text: String, x: Int, y: Int, role: StyleRole = .normal, attributes: TextAttributes = [], maxWidth: Int? = nil
    ) -> Int {
        guard y >= area.y, y < area.maxY else { return 0 }
        let limit = min(area.maxX, x + (maxWidth ?? Int.max / 2))
        if let written = writeASCII(text, x: x, y: y, role: role, attributes: attributes, limit: limit) { return written }
        var column = x
        for character in text {
            let width = DisplayWidth.width(of: character)
            if width == 0 { continue }
            if column + width > limit { break }
            if column >= area.x {
                set(x: column, y: y, cell: Cell(grapheme: String(character), width: UInt8(width), role: role, attributes: attributes))
                if width == 2 { set(x: column + 1, y: y, cell: .continuation(role: role)) }
            } else if column + width > area.x {
                set(x: area.x, y: y, cell: Cell(role: role))  // the visible half of a clipped wide grapheme
            }
            column += width
        }
        return column - x
    }

    /// The fast path of `write` for all-ASCII text (one cell per printable byte); nil otherwise.
    private mutating func writeASCII(_ text: String, x: Int, y: Int, role: StyleRole, attributes: TextAttributes, limit: Int) -> Int? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            var column = x
            for byte in bytes where byte >= 0x20 && byte != 0x7F {
                if column >= limit { break }
                if column >= area.x {
                    set(x: column, y: y, cell: Cell(grapheme: Buffer.asciiGraphemes[Int(byte)], width: 1, role: role, attributes: attributes))
                }
                column += 1
            }
            return column - x
        } ?? nil
    }

    /// One-character strings for the ASCII range, so the fast path builds no strings.
    private static let asciiGraphemes: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Writes `text` aligned within `width` columns from (x, y), truncated with "…" when it does
    /// not fit; cells of the span the text does not cover are left as they are. Returns the
    /// columns written.
    @discardableResult
    public mutating func write(
        _ text: String, x: Int, y: Int, width: Int, alignment: Alignment, role: StyleRole = .normal, attributes: TextAttributes = []
    ) -> Int {
        guard width > 0 else { return 0 }
        let textWidth = DisplayWidth.width(of: text)
        // Text that does not fit: its longest prefix, then "…" in a cell of its own (so an ASCII
        // prefix still takes the fast path).
        let fitted = textWidth <= width ? text : TextTruncation.prefix(of: text, width: width - 1)
        let fittedWidth = textWidth <= width ? textWidth : DisplayWidth.width(of: fitted) + 1
        let slack = width - fittedWidth
        let offset = switch alignment {
        case .left: 0
        case .center: slack / 2
        case .right: slack
        }
        let written = write(fitted, x: x + offset, y: y, role: role, attributes: attributes, maxWidth: width - offset)
        guard textWidth > width else { return written }
        set(x: x + offset + written, y: y, cell: Cell(grapheme: String(TextTruncation.ellipsis), width: 1, role: role, attributes: attributes))
        return written + 1
    }

    /// Fills `rect` (clipped to the area) with blanks in `role`.
    public mutating func fill(_ rect: Rect, role: StyleRole = .normal) {
        fill(rect, with: Cell(role: role))
    }

    /// Fills `rect` (clipped to the area) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for row in clipped.y..<clipped.maxY {
            let start = (row - area.y) * area.width + (clipped.x - area.x)
            for index in start..<(start + clipped.width) { store(cell, at: index) }
        }
    }

    /// Changes the role of every cell in `rect` (clipped), keeping the graphemes: used to
    /// highlight a selected row.
    public mutating func setRole(_ role: StyleRole, in rect: Rect) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        for row in clipped.y..<clipped.maxY {
            let start = (row - area.y) * area.width + (clipped.x - area.x)
            for index in start..<(start + clipped.width) {
                var cell = cells[index]
                cell.role = role
                store(cell, at: index)
            }
        }
    }

    /// Every row as text, continuation cells skipped: what a snapshot test compares.
    public func lines() -> [String] {
        (0..<area.height).map { row in
            var line = ""
            for cell in cells[(row * area.width)..<((row + 1) * area.width)] where cell.width > 0 {
                line += cell.grapheme
            }
            return line
        }
    }

    /// The cells that differ from `previous`, in row order: every cell when there is no
    /// previous frame or its area differs.
    public func diff(from previous: Buffer?) -> [CellChange] {
        guard let previous, previous.area == area else { return cells.indices.map(change(at:)) }
        var changes: [CellChange] = []
        for index in cells.indices where cells[index] != previous.cells[index] {
            changes.append(change(at: index))
        }
        return changes
    }

    private func change(at index: Int) -> CellChange {
        CellChange(x: area.x + index % area.width, y: area.y + index / area.width, cell: cells[index])
    }
}
