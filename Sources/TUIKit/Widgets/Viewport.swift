/// One logical line of a `Viewport`: its text and role.
public struct ViewportLine: Sendable, Hashable, ExpressibleByStringLiteral {
    public var text: String
    public var role: StyleRole

    public init(_ text: String, role: StyleRole = .normal) {
        self.text = text
        self.role = role
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// Where a `Viewport` is scrolled to and what it searches for. Offsets count wrapped rows, so the
/// owner moves it with the row count `Viewport.rows(_:width:)` gives for the width it draws at.
public struct ViewportState: Sendable, Hashable {
    /// The first wrapped row shown.
    public var offset: Int
    /// The search (`/`) whose matches are highlighted; empty for none.
    public var query: String
    /// The row of the current match (where `n`/`N` continue from); nil before a search.
    public var matchRow: Int?

    public init(offset: Int = 0, query: String = "") {
        self.offset = offset
        self.query = query
    }

    /// The largest offset that still fills `height` rows.
    static func maximumOffset(rowCount: Int, height: Int) -> Int { Swift.max(0, rowCount - Swift.max(1, height)) }

    /// Scrolls by `delta` rows, stopping at the ends.
    public mutating func scroll(by delta: Int, rowCount: Int, height: Int) {
        offset = Swift.min(Swift.max(0, offset + delta), Self.maximumOffset(rowCount: rowCount, height: height))
    }

    /// Shows the last page.
    public mutating func toBottom(rowCount: Int, height: Int) { offset = Self.maximumOffset(rowCount: rowCount, height: height) }

    /// Brings the offset back inside the content (after a resize).
    public mutating func clamp(rowCount: Int, height: Int) { scroll(by: 0, rowCount: rowCount, height: height) }

    /// Scrolls to the next row (after the first shown, or before it when `forward` is false)
    /// containing `query`, case-insensitively, wrapping around; returns false when no row has it.
    public mutating func jump(toMatchOf query: String, in rows: [ViewportLine], forward: Bool, includingCurrent: Bool, height: Int) -> Bool {
        self.query = query
        let needle = query.lowercased()
        guard !needle.isEmpty, !rows.isEmpty else { return false }
        let start = Swift.min(matchRow ?? offset, rows.count - 1)
        for step in (includingCurrent ? 0 : 1)...rows.count {
            let row = ((forward ? start + step : start - step) % rows.count + rows.count) % rows.count
            if rows[row].text.lowercased().contains(needle) {
                // The match goes to the top of the view, unless the view is at its end already.
                offset = Swift.min(row, Self.maximumOffset(rowCount: rows.count, height: height))
                matchRow = row
                return true
            }
        }
        return false
    }
}

/// Scrollable text: lines wrapped to the width (never cut), a scroll bar on the right edge when
/// they do not fit, and the matches of a search highlighted. Used for help, task output, audit
/// details and message history, as less and k9s show long text.
public struct Viewport: Sendable {
    public var lines: [ViewportLine]
    public var characters: BoxCharacters

    public init(lines: [ViewportLine], characters: BoxCharacters = .unicode) {
        self.lines = lines
        self.characters = characters
    }

    /// The width the text gets inside `width` columns: one column is kept for the scroll bar.
    public static func textWidth(in width: Int) -> Int { Swift.max(1, width - 1) }

    /// `lines` wrapped to `width` columns: at the last space that fits, or mid-word for a word
    /// longer than the width; a continuation row is indented by two columns.
    public static func rows(_ lines: [ViewportLine], width: Int) -> [ViewportLine] {
        let width = Swift.max(4, width)
        var rows: [ViewportLine] = []
        for line in lines {
            var rest = Substring(line.text)
            var first = true
            repeat {
                let room = first ? width : width - 2
                var used = 0
                var end = rest.startIndex
                var lastSpace: String.Index?
                while end < rest.endIndex {
                    let next = used + DisplayWidth.width(of: rest[end])
                    if next > room { break }
                    if rest[end] == " " { lastSpace = end }
                    used = next
                    end = rest.index(after: end)
                }
                if end < rest.endIndex, let lastSpace, lastSpace > rest.startIndex { end = rest.index(after: lastSpace) }
                rows.append(ViewportLine((first ? "" : "  ") + rest[..<end], role: line.role))
                rest = rest[end...]
                first = false
            } while !rest.isEmpty
        }
        return rows
    }

    /// Draws the rows of `state.offset…` into `area`, the scroll bar in its last column.
    public func render(into buffer: inout Buffer, area: Rect, state: ViewportState) {
        guard !area.isEmpty else { return }
        Self.render(rows: Self.rows(lines, width: Self.textWidth(in: area.width)), into: &buffer, area: area, state: state, characters: characters)
    }

    /// Draws rows already wrapped to `textWidth(in: area.width)` (a caller that needed them for
    /// scrolling does not wrap twice).
    public static func render(rows: [ViewportLine], into buffer: inout Buffer, area: Rect, state: ViewportState, characters: BoxCharacters) {
        guard !area.isEmpty else { return }
        let textWidth = Self.textWidth(in: area.width)
        let offset = Swift.min(Swift.max(0, state.offset), ViewportState.maximumOffset(rowCount: rows.count, height: area.height))
        let needle = state.query.lowercased()
        for (index, row) in rows.dropFirst(offset).prefix(area.height).enumerated() {
            let y = area.y + index
            buffer.write(row.text, x: area.x, y: y, role: row.role, maxWidth: textWidth)
            guard !needle.isEmpty else { continue }
            // Highlight every match on the row (reverse video, whatever the role).
            let lowered = Array(row.text.lowercased())
            let pattern = Array(needle)
            var start = 0
            while start + pattern.count <= lowered.count {
                if Array(lowered[start..<start + pattern.count]) == pattern {
                    let x = area.x + DisplayWidth.width(of: String(Array(row.text)[..<start]))
                    let width = DisplayWidth.width(of: String(Array(row.text)[start..<start + pattern.count]))
                    for column in x..<Swift.min(x + width, area.x + textWidth) {
                        if var cell = buffer[column, y] {
                            cell.attributes.insert(.reverse)
                            buffer.set(x: column, y: y, cell: cell)
                        }
                    }
                    start += pattern.count
                } else {
                    start += 1
                }
            }
        }
        guard rows.count > area.height, area.height > 0 else { return }
        // The scroll bar: a thumb as tall as the share of rows shown, placed by the offset.
        let thumb = Swift.max(1, area.height * area.height / rows.count)
        let top = (area.height - thumb) * offset / Swift.max(1, rows.count - area.height)
        for y in 0..<area.height {
            let inThumb = y >= top && y < top + thumb
            buffer.write(String(inThumb ? characters.meterFill : characters.meterEmpty), x: area.maxX - 1, y: area.y + y, role: inThumb ? .borderFocused : .dim)
        }
    }

    /// `rows 12–40 of 120`, for a frame's title; empty when everything fits.
    public static func positionText(rowCount: Int, height: Int, offset: Int) -> String {
        guard rowCount > height else { return "" }
        let first = Swift.min(offset, ViewportState.maximumOffset(rowCount: rowCount, height: height)) + 1
        return "rows \(first)–\(Swift.min(rowCount, first + height - 1)) of \(rowCount)"
    }
}
