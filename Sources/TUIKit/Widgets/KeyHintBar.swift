/// A bottom line of key hints: `q quit  / filter  ? help`. Hints are drawn in order; the first
/// one that does not fit and all after it are dropped.
public struct KeyHintBar: Sendable, Hashable {
    /// One hint: the key as shown and what it does.
    public struct Hint: Sendable, Hashable {
        public var key: String
        public var description: String

        public init(key: String, description: String) {
            self.key = key
            self.description = description
        }
    }

    public var hints: [Hint]
    /// Blank columns between hints.
    public var spacing: Int

    public init(hints: [Hint], spacing: Int = 2) {
        self.hints = hints
        self.spacing = spacing
    }

    /// Draws on the first row of `area` (keys in `.keyName`, descriptions in `.keyHint`) and
    /// returns how many hints fitted.
    @discardableResult
    public func render(into buffer: inout Buffer, area: Rect) -> Int {
        guard !area.isEmpty else { return 0 }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), role: .keyHint)
        var x = area.x
        var shown = 0
        for hint in hints {
            let gap = shown == 0 ? 0 : spacing
            let width = gap + DisplayWidth.width(of: hint.key) + 1 + DisplayWidth.width(of: hint.description)
            if x + width > area.maxX { break }
            x += gap
            x += buffer.write(hint.key, x: x, y: area.y, role: .keyName, attributes: .bold)
            x += buffer.write(" " + hint.description, x: x, y: area.y, role: .keyHint)
            shown += 1
        }
        return shown
    }
}
