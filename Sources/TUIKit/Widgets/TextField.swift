/// A one-line input: `label text` with the cursor cell reversed, scrolled so the cursor stays
/// visible, and an optional error message on the row below in `.inputError`.
public struct TextField: Sendable, Hashable {
    public var label: String
    public var text: String
    /// The cursor position in graphemes, 0…`text.count`.
    public var cursor: Int
    /// A validation message shown below the field; nil when the input is valid.
    public var error: String?
    /// Blank columns between the label and the text.
    public var spacing: Int

    public init(label: String, text: String, cursor: Int? = nil, error: String? = nil, spacing: Int = 1) {
        self.label = label
        self.text = text
        self.cursor = cursor ?? text.count
        self.error = error
        self.spacing = spacing
    }

    /// A field showing `input` with its cursor.
    public init(label: String, input: TextInput, error: String? = nil, spacing: Int = 1) {
        self.init(label: label, text: input.text, cursor: input.cursor, error: error, spacing: spacing)
    }

    /// Draws the field on the first row of `area` and the error on the second; returns the
    /// cursor's screen position (nil when the field has no room).
    @discardableResult
    public func render(into buffer: inout Buffer, area: Rect) -> (x: Int, y: Int)? {
        guard !area.isEmpty else { return nil }
        let labelWidth = label.isEmpty ? 0 : buffer.write(label + String(repeating: " ", count: spacing), x: area.x, y: area.y, role: .normal, maxWidth: area.width)
        let field = Rect(x: area.x + labelWidth, y: area.y, width: area.width - labelWidth, height: 1)
        if let error, area.height > 1 {
            buffer.write(TextTruncation.truncate(error, toWidth: area.width), x: area.x, y: area.y + 1, role: .inputError)
        }
        guard !field.isEmpty else { return nil }
        buffer.fill(field, role: .inputField)
        let characters = Array(text)
        let cursor = Swift.min(Swift.max(0, self.cursor), characters.count)
        // Scroll: the text up to the cursor (plus the cursor cell) fits, walking back from the
        // cursor once (linear in the text, however long).
        var start = cursor
        var used = 1
        while start > 0, used + DisplayWidth.width(of: characters[start - 1]) <= field.width {
            used += DisplayWidth.width(of: characters[start - 1])
            start -= 1
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
