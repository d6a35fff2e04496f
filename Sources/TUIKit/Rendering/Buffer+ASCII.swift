extension Buffer {
    /// Every cell in ASCII, for terminals that show nothing else (`--ascii`): the glyphs widgets
    /// and states use get a look-alike of the same width, any other non-ASCII character `?`,
    /// and a wide character `?` followed by a space.
    public mutating func transliterateToASCII() {
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                guard let cell = self[x, y], cell.width > 0, !cell.grapheme.unicodeScalars.allSatisfy({ $0.value < 0x7F }) else { continue }
                let replacement = Self.asciiLookAlikes[cell.grapheme] ?? "?"
                set(x: x, y: y, cell: Cell(grapheme: replacement, width: 1, role: cell.role, attributes: cell.attributes))
                if cell.width == 2 { set(x: x + 1, y: y, cell: Cell(grapheme: " ", width: 1, role: cell.role, attributes: cell.attributes)) }
            }
        }
    }

    /// One-column ASCII forms of the glyphs the widgets and the console draw.
    static let asciiLookAlikes: [String: String] = [
        "▶": ">", "✓": "+", "✗": "x", "⊘": "/", "…": ".", "○": "o", "●": "*", "✖": "X", "⚠": "!", "→": ">", "←": "<",
        "≥": ">", "≤": "<", "≈": "~", "–": "-", "—": "-", "−": "-", "·": ".", "▲": "^", "▼": "v", "∞": "~", "×": "x", "█": "#",
        "▇": "#", "▆": "=", "▅": "=", "▄": "-", "▃": "-", "▂": "_", "▁": "_", "░": ".", "▒": ":", "▓": "#", "│": "|",
        "─": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "‹": "<", "›": ">",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "é": "e", "ö": "o", "ü": "u", "ï": "i",
    ]
}
