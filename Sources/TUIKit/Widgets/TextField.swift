/// A one-line input: `label text` with the cursor cell reversed, scrolled so the cursor stays
/// visible, and an optional error message on the row below in `.inputError`.
public struct TextField: Sendable, Hashable {
    public var label: String
    public var text: String
    /// The cursor position in graphemes, 0…`text.count`.
    public var cursor: Int
    /// A validation message shown below the field; nil when the input is valid.
    public var error: String?

    public init(label: String, text: String, cursor: Int? = nil, error: String? = nil) {
        self.label = label
        self.text = text
        self.cursor = cursor ?? text.count
        self.error = error
    }

    /// Draws the field on the first row of `area` and the error on the second; returns the
    /// cursor's screen position (nil when the field has no room).
    @discardableResult
    public func render(into buffer: inout Buffer, area: Rect) -> (x: Int, y: Int)? {
        guard !area.isEmpty else { return nil }
        let labelWidth = label.isEmpty ? 0 : buffer.write(label + " ", x: area.x, y: area.y, role: .normal, maxWidth: area.width)
        let field = Rect(x: area.x + labelWidth, y: area.y, width: area.width - labelWidth, height: 1)
        if let error, area.height > 1 {
            buffer.write(TextTruncation.truncate(error, toWidth: area.width), x: area.x, y: area.y + 1, role: .inputError)
        }
        guard !field.isEmpty else { return nil }
        buffer.fill(field, role: .inputField)
        let characters = Array(text)
        let cursor = Swift.min(Swift.max(0, self.cursor), characters.count)
        // Scroll: drop leading graphemes until the text up to the cursor (plus the cursor cell) fits.
        var start = 0
        while start < cursor, DisplayWidth.width(of: String(characters[start..<cursor])) + 1 > field.width {
            start += 1
        }
        let visible = String(characters[start...])
        buffer.write(visible, x: field.x, y: field.y, role: .inputField, maxWidth: field.width)
        let cursorX = field.x + DisplayWidth.width(of: String(characters[start..<cursor]))
        if cursorX < field.maxX, var cell = buffer[cursorX, field.y] {
            cell.attributes.insert(.reverse)
            buffer.set(x: cursorX, y: field.y, cell: cell)
        }
        return (cursorX, field.y)
    }
}
