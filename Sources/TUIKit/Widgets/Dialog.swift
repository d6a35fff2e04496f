/// A centred, bordered box with a title, message lines and a row of buttons, one of them
/// focused (`.buttonFocused`; the others `.button`). Used for confirmations:
///
/// ```
/// ┌ Kill job? ─────────────┐
/// │ Kill job 42 (land)?    │
/// │                        │
/// │  [ Cancel ]  [ Kill ]  │
/// └────────────────────────┘
/// ```
public struct Dialog: Sendable, Hashable {
    public var title: String
    public var message: [String]
    public var buttons: [String]
    /// The index of the focused button.
    public var focusedButton: Int
    /// The border's role (`.danger` for a dangerous confirmation).
    public var borderRole: StyleRole
    public var characters: BoxCharacters
    /// The first message line shown when the message is taller than the screen allows: it then
    /// scrolls, with a scroll bar, inside the dialog (the buttons stay).
    public var scrollOffset: Int

    public init(
        title: String, message: [String], buttons: [String], focusedButton: Int = 0,
        borderRole: StyleRole = .borderFocused, characters: BoxCharacters = .unicode, scrollOffset: Int = 0
    ) {
        self.title = title
        self.message = message
        self.buttons = buttons
        self.focusedButton = focusedButton
        self.borderRole = borderRole
        self.characters = characters
        self.scrollOffset = scrollOffset
    }

    private var buttonLabels: [String] { buttons.map { "[ \($0) ]" } }

    /// The width of the button row: labels two columns apart.
    private var buttonRowWidth: Int {
        buttonLabels.map { DisplayWidth.width(of: $0) }.reduce(0, +) + 2 * Swift.max(0, buttons.count - 1)
    }

    /// The size the dialog wants: room for the title, the longest message line and the buttons.
    public var preferredSize: (width: Int, height: Int) {
        let content = ([DisplayWidth.width(of: title) + 2, buttonRowWidth] + message.map { DisplayWidth.width(of: $0) }).max() ?? 0
        return (content + 4, message.count + 4)
    }

    /// Draws the dialog centred in `area` (clearing what is under it) and returns its frame.
    @discardableResult
    public func render(into buffer: inout Buffer, area: Rect) -> Rect {
        let size = preferredSize
        let frame = area.centered(width: size.width, height: size.height)
        buffer.fill(frame, role: .normal)
        let inner = Block(title: title, borderRole: borderRole, characters: characters).render(into: &buffer, area: frame)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard !content.isEmpty else { return frame }
        let room = Swift.max(0, content.height - 2)
        if message.count > room {
            // Too tall for the screen: the message scrolls in a viewport, wrapped, never cut.
            Viewport(lines: message.map { ViewportLine($0) }, characters: characters)
                .render(into: &buffer, area: Rect(x: content.x, y: content.y, width: content.width, height: room), state: ViewportState(offset: scrollOffset))
        } else {
            for (offset, line) in message.enumerated() {
                buffer.write(TextTruncation.truncate(line, toWidth: content.width), x: content.x, y: content.y + offset)
            }
        }
        var x = content.x + Swift.max(0, (content.width - buttonRowWidth) / 2)
        for (index, label) in buttonLabels.enumerated() {
            x += buffer.write(label, x: x, y: content.maxY - 1, role: index == focusedButton ? .buttonFocused : .button, maxWidth: content.maxX - x)
            x += 2
        }
        return frame
    }
}
