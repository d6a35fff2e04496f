/// A one-row history graph: one block (`▁…█`, or `_.-=#` in ASCII) per value, newest at the
/// right; values are scaled to `maximum` (default: the largest value shown).
public struct Sparkline: Sendable, Hashable {
    public var values: [Double]
    public var maximum: Double?
    public var role: StyleRole
    public var characters: BoxCharacters

    public init(values: [Double], maximum: Double? = nil, role: StyleRole = .normal, characters: BoxCharacters = .unicode) {
        self.values = values
        self.maximum = maximum
        self.role = role
        self.characters = characters
    }

    /// Draws the last `area.width` values on the first row of `area`, right-aligned.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty, !values.isEmpty else { return }
        let shown = values.suffix(area.width)
        let top = maximum ?? shown.max() ?? 0
        let levels = characters.sparkLevels
        var x = area.maxX - shown.count
        for value in shown {
            let scaled = top > 0 ? Swift.min(1, Swift.max(0, value / top)) : 0
            let level = Int((scaled * Double(levels.count - 1)).rounded())
            buffer.write(String(levels[level]), x: x, y: area.y, role: role)
            x += 1
        }
    }
}
