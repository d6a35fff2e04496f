import Foundation

/// A problem found while loading a theme, named by file, line and key:
/// `themes/x.theme:12: unknown role 'state.runing'`.
public struct ThemeDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was given or found (e.g. `themes/x.theme`).
    public var file: String
    /// The 1-based line, or nil for problems with the whole file (not found, missing roles).
    public var line: Int?
    /// The role key the problem is about, when there is one.
    public var key: String?
    /// What is wrong and what was done about it.
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A loaded theme and what went wrong on the way. Every role has a style: a role with an error
/// or missing from the file keeps the built-in default's style.
public struct ThemeLoadResult: Sendable {
    public var theme: Theme
    public var diagnostics: [ThemeDiagnostic]

    public init(theme: Theme, diagnostics: [ThemeDiagnostic]) {
        self.theme = theme
        self.diagnostics = diagnostics
    }
}

/// Finds, reads and parses `.theme` files.
///
/// Format (one role per line; `#` starts a comment; blank lines are ignored):
/// ```
/// state.running = fg:114/2 bold      # 256-colour index, then the 8-colour fallback
/// selection     = fg:16/black bg:117/cyan
/// meter.empty   = fg:238/default dim
/// normal        = none
/// ```
/// The key is a `StyleRole` raw value. Tokens: `fg:COLOR`, `bg:COLOR`, the attributes `bold`,
/// `dim`, `reverse`, `underline`, `italic`, or `none` (plain). `COLOR` is `default`, an index
/// 0–255 or a basic colour name (`black red green yellow blue magenta cyan white` = 0–7),
/// optionally followed by `/FALLBACK` (`default`, 0–7 or a name) for 8-colour terminals; without
/// it the nearest basic colour is used.
public enum ThemeLoader {
    /// The file name extension of theme files.
    public static let fileExtension = "theme"

    /// Loads a theme by name or path. A value containing `/` or ending in `.theme` is a path;
    /// anything else is a name looked up as `NAME.theme` in `searchDirectories`, in order. The
    /// names `default` and `default-dark` fall back to the built-in default, and `mono` to the
    /// built-in mono theme, when no file is found. On any error the result still holds a
    /// complete theme (role by role from the built-in default) and the diagnostics say why.
    public static func load(nameOrPath: String, searchDirectories: [String]) -> ThemeLoadResult {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix("." + fileExtension)
        let path: String?
        if isPath {
            path = FileManager.default.fileExists(atPath: nameOrPath) ? nameOrPath : nil
        } else {
            path = searchDirectories.lazy
                .map { ($0.hasSuffix("/") ? $0 : $0 + "/") + nameOrPath + "." + fileExtension }
                .first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let path else {
            if !isPath, let builtin = Theme.builtin(named: nameOrPath) {
                return ThemeLoadResult(theme: builtin, diagnostics: [])
            }
            let searched = isPath ? "" : " (searched: \(searchDirectories.isEmpty ? "no directories" : searchDirectories.joined(separator: ", ")))"
            let message = "theme not found\(searched); using the built-in default"
            return ThemeLoadResult(theme: .builtinDefault,
                                   diagnostics: [ThemeDiagnostic(file: nameOrPath, line: nil, key: nil, message: message)])
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ThemeLoadResult(theme: .builtinDefault, diagnostics: [ThemeDiagnostic(
                file: path, line: nil, key: nil, message: "cannot read the theme (\(error)); using the built-in default")])
        }
        let name = String((path.split(separator: "/").last ?? Substring(path)).dropLast(isThemeFile(path) ? fileExtension.count + 1 : 0))
        return parse(text, file: path, name: name)
    }

    /// The directories `--theme NAME` searches, in order: `$SCOOT_CONSOLE_THEMES` (colon-separated),
    /// `~/.config/scoot-console/themes`, `./themes`, and the `themes` folder of the repository the
    /// executable was built in (found by walking up from the executable's directory).
    public static func defaultSearchDirectories(
        executablePath: String? = CommandLine.arguments.first,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String] {
        var directories: [String] = []
        if let configured = environment["SCOOT_CONSOLE_THEMES"] {
            directories += configured.split(separator: ":").map(String.init)
        }
        if let home = environment["HOME"], !home.isEmpty {
            directories.append(home + "/.config/scoot-console/themes")
        }
        directories.append("themes")
        if let executablePath, let resolved = resolve(executablePath) {
            var components = resolved.split(separator: "/").map(String.init)
            components.removeLast()  // the executable itself
            while !components.isEmpty {
                let candidate = "/" + components.joined(separator: "/") + "/themes"
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
                    directories.append(candidate)
                    break
                }
                components.removeLast()
            }
        }
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted }
    }

    /// The theme names (without `.theme`) found in `directories`, sorted, without duplicates.
    public static func availableThemes(in directories: [String]) -> [String] {
        var names = Set<String>()
        for directory in directories {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where isThemeFile(entry) {
                names.insert(String(entry.dropLast(fileExtension.count + 1)))
            }
        }
        return names.sorted()
    }

    /// Parses theme text. `file` names the source in diagnostics. Roles with an error, and roles
    /// the text does not set, keep `base`'s style (each missing role is reported once).
    public static func parse(_ text: String, file: String, name: String, base: Theme = .builtinDefault) -> ThemeLoadResult {
        var theme = Theme(name: name, styles: [:], basicStyles: [:])
        var diagnostics: [ThemeDiagnostic] = []
        var firstLine: [StyleRole: Int] = [:]
        var failed = Set<StyleRole>()
        func report(_ line: Int, _ key: String?, _ message: String) {
            diagnostics.append(ThemeDiagnostic(file: file, line: line, key: key, message: message))
        }

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                report(number, nil, "expected 'role = style', got '\(trimmed)'")
                continue
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                report(number, nil, "missing role before '='")
                continue
            }
            guard let role = StyleRole(rawValue: key) else {
                let hint = suggestion(for: key).map { " (did you mean '\($0)'?)" } ?? ""
                report(number, key, "unknown role '\(key)'\(hint)")
                continue
            }
            if let first = firstLine[role] {
                report(number, key, "duplicate role '\(key)' (first set on line \(first)); keeping the first")
                continue
            }
            firstLine[role] = number
            switch parseStyle(value) {
            case .success(let (style, basic)):
                theme.styles[role] = style
                theme.basicStyles[role] = basic
            case .failure(let error):
                failed.insert(role)
                report(number, key, "\(error.message) for '\(key)'; using the built-in default for this role")
            }
        }

        for role in StyleRole.allCases where theme.styles[role] == nil {
            theme.styles[role] = base.style(for: role, depth: .indexed256)
            theme.basicStyles[role] = base.style(for: role, depth: .basic8)
            if !failed.contains(role) && firstLine[role] == nil {
                diagnostics.append(ThemeDiagnostic(file: file, line: nil, key: role.rawValue,
                                                   message: "no style for role '\(role.rawValue)'; using the built-in default"))
            }
        }
        return ThemeLoadResult(theme: theme, diagnostics: diagnostics)
    }

    // MARK: - Style values

    struct StyleError: Error {
        var message: String
    }

    static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "dim": .dim, "reverse": .reverse, "underline": .underline, "italic": .italic,
    ]
    static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
    ]

    /// Parses the right-hand side of a theme line into the 256-colour and the 8-colour style.
    static func parseStyle(_ value: String) -> Result<(RoleStyle, RoleStyle), StyleError> {
        var style = RoleStyle(), basic = RoleStyle()
        var seenForeground = false, seenBackground = false, seenNone = false
        let tokens = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if tokens.isEmpty { return .failure(StyleError(message: "empty style")) }
        for token in tokens {
            let lower = token.lowercased()
            if lower == "none" || lower == "plain" {
                seenNone = true
            } else if let attribute = attributeNames[lower] {
                style.attributes.insert(attribute)
                basic.attributes.insert(attribute)
            } else if lower.hasPrefix("fg:") || lower.hasPrefix("bg:") {
                let isForeground = lower.hasPrefix("fg:")
                if isForeground ? seenForeground : seenBackground {
                    return .failure(StyleError(message: "'\(lower.prefix(2))' given twice"))
                }
                guard let (color, fallback) = parseColor(String(lower.dropFirst(3))) else {
                    return .failure(StyleError(message: "bad colour '\(token.dropFirst(3))' (expected default, 0-255 or a colour name, optionally /0-7)"))
                }
                if isForeground {
                    seenForeground = true
                    style.foreground = color
                    basic.foreground = fallback
                } else {
                    seenBackground = true
                    style.background = color
                    basic.background = fallback
                }
            } else {
                return .failure(StyleError(message: "bad attribute '\(token)' (expected fg:, bg:, bold, dim, reverse, underline, italic or none)"))
            }
        }
        if seenNone && tokens.count > 1 {
            return .failure(StyleError(message: "'none' cannot be combined with other tokens"))
        }
        return .success((style, basic))
    }

    /// `114`, `114/2`, `default`, `red`, `203/red`, `238/default`.
    static func parseColor(_ text: String) -> (TerminalColor, TerminalColor)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || parts.count == 2, let main = parseSingleColor(parts[0]) else { return nil }
        if parts.count == 1 { return (main, Theme.basicColor(main)) }
        guard let fallback = parseSingleColor(parts[1]) else { return nil }
        if case .indexed(let index) = fallback, index > 7 { return nil }
        return (main, fallback)
    }

    static func parseSingleColor(_ text: String) -> TerminalColor? {
        if text == "default" { return .default }
        if let index = colorNames[text] { return .indexed(index) }
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let value = UInt8(text) else { return nil }
        return .indexed(value)
    }

    static func isThemeFile(_ path: String) -> Bool { path.hasSuffix("." + fileExtension) }

    static func resolve(_ path: String) -> String? {
        if path.hasPrefix("/") { return (path as NSString).resolvingSymlinksInPath }
        if path.contains("/") {
            return ((FileManager.default.currentDirectoryPath + "/" + path) as NSString).resolvingSymlinksInPath
        }
        // A bare command name: the running executable.
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    }

    /// The known role closest to a misspelt key (edit distance ≤ 2).
    static func suggestion(for key: String) -> String? {
        let candidates = StyleRole.allCases.map(\.rawValue).map { ($0, editDistance(Array(key), Array($0))) }
        guard let best = candidates.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
