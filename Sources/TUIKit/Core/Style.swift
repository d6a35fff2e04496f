/// What a cell shows, by meaning rather than by colour: themes map each role to colours and
/// attributes, so views never name a colour.
public enum StyleRole: String, Sendable, Hashable, CaseIterable, Codable {
    case normal = "normal"
    case dim = "dim"
    case border = "border"
    case borderFocused = "border.focused"
    case title = "title"
    case header = "header"
    case selection = "selection"
    case marked = "marked"
    case keyHint = "key.hint"
    case keyName = "key.name"
    case flashInfo = "flash.info"
    case flashError = "flash.error"
    case danger = "danger"
    case stale = "stale"
    case prodFrame = "prod.frame"
    case stateRunning = "state.running"
    case stateWaiting = "state.waiting"
    case stateDone = "state.done"
    case stateFailed = "state.failed"
    case stateKilled = "state.killed"
    case meterOK = "meter.ok"
    case meterWarn = "meter.warn"
    case meterCrit = "meter.crit"
    case meterEmpty = "meter.empty"
    case targetMarker = "target.marker"
    case inputField = "input.field"
    case inputError = "input.error"
    case buttonFocused = "button.focused"
    case button = "button"
}

/// Text attributes a theme may add to a role.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

/// A terminal colour: the terminal's default, one of the 256 indexed colours (0–7 being the
/// basic eight, usable on 8-colour terminals).
public enum TerminalColor: Sendable, Hashable {
    case `default`
    case indexed(UInt8)
}

/// How a theme draws one role.
public struct RoleStyle: Sendable, Hashable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}
