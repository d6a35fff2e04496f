/// A one-line message for results and errors, shown verbatim (truncated with "…").
public struct FlashLine: Sendable, Hashable {
    /// Whether the message reports success/information or an error.
    public enum Kind: Sendable, Hashable {
        case info, error
    }

    public var message: String
    public var kind: Kind

    public init(_ message: String, kind: Kind = .info) {
        self.message = message
        self.kind = kind
    }

    /// The role the line is drawn in.
    public var role: StyleRole { kind == .error ? .flashError : .flashInfo }

    /// Draws the message across the first row of `area`.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(line, role: role)
        buffer.write(TextTruncation.truncate(message, toWidth: area.width), x: area.x, y: area.y, role: role)
    }
}
