/// A key press as the app sees it, decoded by the backend.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Ctrl + a letter (lowercase).
    case control(Character)

    public var description: String {
        switch self {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "enter"
        case .escape: "esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "⌫"
        case .delete: "Del"
        case .function(let number): "F\(number)"
        case .control(let letter): "C-\(letter)"
        }
    }
}

/// Something from the terminal.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    /// The terminal changed size.
    case resize(width: Int, height: Int)
    /// Another thread asked the waiting loop to look at its work (`Backend.makeWaker`).
    case wakeUp
}
