/// A bordered box with an optional title in its top border.
///
/// ```
/// ┌ Jobs ───┐
/// │         │
/// └─────────┘
/// ```
public struct Block: Sendable, Hashable {
    /// Shown in the top border after the corner, truncated with "…" to fit.
    public var title: String?
    /// The border's role: `.border`, `.borderFocused` or `.prodFrame`.
    public var borderRole: StyleRole
    /// The title's role.
    public var titleRole: StyleRole
    public var characters: BoxCharacters

    public init(title: String? = nil, borderRole: StyleRole = .border, titleRole: StyleRole = .title, characters: BoxCharacters = .unicode) {
        self.title = title
        self.borderRole = borderRole
        self.titleRole = titleRole
        self.characters = characters
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    /// Draws the border and title and returns the inner area (empty when `area` is under 2×2).
    @discardableResult
    public func render(into buffer: inout Buffer, area: Rect) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let c = characters
        // Border cells are filled directly: one cell value per glyph, no text layout per cell.
        func cell(_ glyph: Character) -> Cell { Cell(grapheme: String(glyph), width: 1, role: borderRole) }
        let horizontal = cell(c.horizontal), vertical = cell(c.vertical)
        buffer.fill(Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1), with: horizontal)
        buffer.fill(Rect(x: area.x + 1, y: area.maxY - 1, width: area.width - 2, height: 1), with: horizontal)
        buffer.fill(Rect(x: area.x, y: area.y + 1, width: 1, height: area.height - 2), with: vertical)
        buffer.fill(Rect(x: area.maxX - 1, y: area.y + 1, width: 1, height: area.height - 2), with: vertical)
        buffer.set(x: area.x, y: area.y, cell: cell(c.topLeft))
        buffer.set(x: area.maxX - 1, y: area.y, cell: cell(c.topRight))
        buffer.set(x: area.x, y: area.maxY - 1, cell: cell(c.bottomLeft))
        buffer.set(x: area.maxX - 1, y: area.maxY - 1, cell: cell(c.bottomRight))
        if let title, !title.isEmpty, area.width >= 5 {
            let room = area.width - 2
            let text = " " + TextTruncation.truncate(title, toWidth: room - 2) + " "
            buffer.write(text, x: area.x + 1, y: area.y, role: titleRole, maxWidth: room)
        }
        return inner(area)
    }
}
