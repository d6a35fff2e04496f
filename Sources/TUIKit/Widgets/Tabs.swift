/// A row of numbered pane titles, the selected one highlighted: `1 Jobs  2 Tasks  3 Workers`.
public struct Tabs: Sendable, Hashable {
    public var titles: [String]
    public var selected: Int
    /// Blank columns between titles.
    public var spacing: Int

    public init(titles: [String], selected: Int, spacing: Int = 2) {
        self.titles = titles
        self.selected = selected
        self.spacing = spacing
    }

    /// Draws the titles on the first row of `area`; those that do not fit are left out.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        var x = area.x
        for (index, title) in titles.enumerated() {
            let number = "\(index + 1)"
            let width = DisplayWidth.width(of: number) + 1 + DisplayWidth.width(of: title)
            if x + width > area.maxX { break }
            let isSelected = index == selected
            x += buffer.write(number, x: x, y: area.y, role: isSelected ? .selection : .keyName)
            x += buffer.write(" " + title, x: x, y: area.y, role: isSelected ? .selection : .normal, attributes: isSelected ? .bold : [])
            x += spacing
        }
    }
}
