/// Text in an area: lines are word-wrapped (or cut) to the width, and when lines are left over
/// the last visible one ends in "…".
public struct Paragraph: Sendable, Hashable {
    public var text: String
    public var role: StyleRole
    /// Wrap at word boundaries (true) or cut each line at the width (false).
    public var wraps: Bool
    public var alignment: Alignment

    public init(_ text: String, role: StyleRole = .normal, wraps: Bool = true, alignment: Alignment = .left) {
        self.text = text
        self.role = role
        self.wraps = wraps
        self.alignment = alignment
    }

    /// The lines `text` takes at `width` columns, before height truncation.
    public func lines(width: Int) -> [String] {
        guard width > 0 else { return [] }
        let source = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard wraps else { return source.map { TextTruncation.truncate($0, toWidth: width) } }
        return source.flatMap { Paragraph.wrap($0, width: width) }
    }

    /// Word-wraps one line; words longer than `width` are broken.
    static func wrap(_ line: String, width: Int) -> [String] {
        var result: [String] = []
        var current = ""
        var currentWidth = 0
        for word in line.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = DisplayWidth.width(of: word)
            if currentWidth > 0, currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if currentWidth > 0 { result.append(current) }
            while wordWidth > width {
                let head = TextTruncation.prefix(of: word, width: width)
                guard !head.isEmpty else { return result }
                result.append(head)
                word.removeFirst(head.count)
                wordWidth = DisplayWidth.width(of: word)
            }
            current = word
            currentWidth = wordWidth
        }
        result.append(current)
        return result
    }

    /// Draws as many lines as fit; an overflowing last line ends in "…".
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        var shown = self.lines(width: area.width)
        if shown.count > area.height {
            shown = Array(shown.prefix(area.height))
            let last = shown[shown.count - 1]
            shown[shown.count - 1] = TextTruncation.prefix(of: last, width: area.width - 1) + String(TextTruncation.ellipsis)
        }
        for (offset, line) in shown.enumerated() {
            buffer.write(line, x: area.x, y: area.y + offset, width: area.width, alignment: alignment, role: role)
        }
    }
}
