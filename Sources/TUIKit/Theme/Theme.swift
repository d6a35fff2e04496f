/// How many colours the terminal can show; picks which half of a theme is used.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
    /// No colours (`NO_COLOR`, or a terminal without colours): attributes only.
    case monochrome
    /// The eight basic colours (TERM=screen, linux console): the themes' fallback colours.
    case basic8
    /// The 256 indexed colours (xterm-256color, tmux-256color).
    case indexed256
}

/// A colour theme: for every `StyleRole` a `RoleStyle` for 256-colour terminals and a fallback
/// `RoleStyle` for 8-colour terminals. Built by `ThemeLoader` from a `.theme` file (format in
/// `themes/README.md`) or taken from the built-in themes (`Theme.builtinDefault`,
/// `Theme.builtinMono`), which cover every role.
public struct Theme: Sendable, Hashable {
    /// The theme's name (the file name without `.theme`, or the built-in name).
    public var name: String
    /// The styles for 256-colour terminals.
    public var styles: [StyleRole: RoleStyle]
    /// The styles for 8-colour terminals (colours 0–7 or default only).
    public var basicStyles: [StyleRole: RoleStyle]

    public init(name: String, styles: [StyleRole: RoleStyle], basicStyles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
        self.basicStyles = basicStyles
    }

    /// The style of `role` at `depth`. In monochrome only the attributes are kept. A role the
    /// theme lacks is drawn plain.
    public func style(for role: StyleRole, depth: ColorDepth = .indexed256) -> RoleStyle {
        switch depth {
        case .indexed256:
            return styles[role] ?? RoleStyle()
        case .basic8:
            return basicStyles[role] ?? styles[role].map(Theme.basicFallback) ?? RoleStyle()
        case .monochrome:
            return RoleStyle(attributes: styles[role]?.attributes ?? [])
        }
    }

    /// Whether the theme uses no colours at all (like `mono`); such a theme still tells roles
    /// apart without colour, so a monochrome terminal can use it as is.
    public var isMonochrome: Bool {
        (styles.values.map { $0 } + basicStyles.values.map { $0 }).allSatisfy {
            $0.foreground == .default && $0.background == .default
        }
    }

    /// The roles the theme has no style for.
    public var missingRoles: [StyleRole] { StyleRole.allCases.filter { styles[$0] == nil } }

    /// Sets both styles of a role.
    public mutating func set(_ role: StyleRole, _ style: RoleStyle, basic: RoleStyle? = nil) {
        styles[role] = style
        basicStyles[role] = basic ?? Theme.basicFallback(style)
    }

    /// `style` with its colours mapped to the eight basic colours.
    public static func basicFallback(_ style: RoleStyle) -> RoleStyle {
        RoleStyle(foreground: basicColor(style.foreground), background: basicColor(style.background),
                  attributes: style.attributes)
    }

    /// The nearest of the eight basic colours to an indexed colour: 0–7 as is, 8–15 (bright)
    /// to their basic colour, the 6×6×6 cube by the components that stand out over its grey part, the grey ramp to
    /// black or white.
    public static func basicColor(_ color: TerminalColor) -> TerminalColor {
        guard case .indexed(let index) = color else { return .default }
        switch index {
        case 0...7: return color
        case 8...15: return .indexed(index - 8)
        case 16...231:
            let cube = Int(index) - 16
            let red = cube / 36, green = (cube / 6) % 6, blue = cube % 6
            let low = min(red, green, blue), spread = max(red, green, blue) - low
            // A grey (no component stands out): black or white by brightness.
            if spread == 0 { return .indexed(low >= 3 ? 7 : 0) }
            // A component counts when it stands out at least half as much as the strongest.
            func bit(_ component: Int) -> Int { (component - low) * 2 >= spread ? 1 : 0 }
            return .indexed(UInt8(bit(red) | bit(green) << 1 | bit(blue) << 2))
        default:
            return .indexed(index >= 238 ? 7 : 0)
        }
    }
}
