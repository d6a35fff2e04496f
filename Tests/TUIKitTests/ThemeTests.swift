import Foundation
import Testing
@testable import TUIKit

/// The repository's `themes/` folder.
private let themesDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("themes").path
}()

/// Writes `text` to a fresh temporary `.theme` file and returns its path.
private func temporaryTheme(_ text: String, name: String = "test") throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("theme-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("\(name).theme").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A complete theme text: every role `none`, with `overrides` (role → value) replacing lines.
private func completeText(_ overrides: [String: String] = [:], extra: [String] = []) -> String {
    (StyleRole.allCases.map { "\($0.rawValue) = \(overrides[$0.rawValue] ?? "none")" } + extra).joined(separator: "\n")
}

@Suite struct ThemeParsingTests {
    @Test func parsesColoursFallbacksAndAttributes() {
        let text = completeText([
            "state.running": "fg:114/2 bold",
            "selection": "fg:16/black bg:117/cyan",
            "meter.empty": "fg:238/default dim   # trailing comment",
            "danger": "fg:white bg:red bold underline italic reverse",
            "header": "fg:203",
        ], extra: ["", "# a comment", "   "])
        let result = ThemeLoader.parse(text, file: "t.theme", name: "t")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let theme = result.theme
        #expect(theme.name == "t")
        #expect(theme.style(for: .stateRunning) == RoleStyle(foreground: .indexed(114), attributes: .bold))
        #expect(theme.style(for: .stateRunning, depth: .basic8) == RoleStyle(foreground: .indexed(2), attributes: .bold))
        #expect(theme.style(for: .stateRunning, depth: .monochrome) == RoleStyle(attributes: .bold))
        #expect(theme.style(for: .selection) == RoleStyle(foreground: .indexed(16), background: .indexed(117)))
        #expect(theme.style(for: .selection, depth: .basic8) == RoleStyle(foreground: .indexed(0), background: .indexed(6)))
        #expect(theme.style(for: .meterEmpty, depth: .basic8) == RoleStyle(foreground: .default, attributes: .dim))
        #expect(theme.style(for: .danger) == RoleStyle(foreground: .indexed(7), background: .indexed(1),
                                                        attributes: [.bold, .underline, .italic, .reverse]))
        // No explicit fallback: the nearest basic colour (203 is a light red).
        #expect(theme.style(for: .header, depth: .basic8).foreground == .indexed(1))
        #expect(theme.style(for: .normal) == RoleStyle())
    }

    @Test func nearestBasicColours() {
        #expect(Theme.basicColor(.indexed(3)) == .indexed(3))
        #expect(Theme.basicColor(.indexed(9)) == .indexed(1))
        #expect(Theme.basicColor(.indexed(114)) == .indexed(2))   // green
        #expect(Theme.basicColor(.indexed(221)) == .indexed(3))   // yellow
        #expect(Theme.basicColor(.indexed(117)) == .indexed(6))   // cyan
        #expect(Theme.basicColor(.indexed(176)) == .indexed(5))   // magenta
        #expect(Theme.basicColor(.indexed(16)) == .indexed(0))
        #expect(Theme.basicColor(.indexed(231)) == .indexed(7))
        #expect(Theme.basicColor(.indexed(235)) == .indexed(0))
        #expect(Theme.basicColor(.indexed(250)) == .indexed(7))
        #expect(Theme.basicColor(.default) == .default)
    }

    @Test func unknownRoleNamesFileLineAndKey() throws {
        let text = completeText(extra: ["state.runing = fg:114"])
        let path = try temporaryTheme(text, name: "x")
        let result = ThemeLoader.load(nameOrPath: path, searchDirectories: [])
        #expect(result.diagnostics.count == 1)
        let diagnostic = try #require(result.diagnostics.first)
        let line = StyleRole.allCases.count + 1
        #expect(diagnostic.file == path)
        #expect(diagnostic.line == line)
        #expect(diagnostic.key == "state.runing")
        #expect(diagnostic.description.hasPrefix("\(path):\(line): unknown role 'state.runing'"))
        #expect(diagnostic.description.contains("did you mean 'state.running'"))
        #expect(result.theme.name == "x")
    }

    @Test func badColourFallsBackForThatRoleOnly() throws {
        let result = ThemeLoader.parse(completeText(["state.failed": "fg:300 bold", "state.done": "fg:2"]),
                                       file: "themes/x.theme", name: "x")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        let line = StyleRole.allCases.firstIndex(of: .stateFailed)! + 1
        #expect(diagnostic.description.hasPrefix("themes/x.theme:\(line): bad colour '300'"))
        #expect(diagnostic.description.contains("'state.failed'"))
        #expect(diagnostic.key == "state.failed")
        #expect(result.theme.style(for: .stateFailed) == Theme.builtinDefault.style(for: .stateFailed))
        #expect(result.theme.style(for: .stateFailed, depth: .basic8) == Theme.builtinDefault.style(for: .stateFailed, depth: .basic8))
        #expect(result.theme.style(for: .stateDone) == RoleStyle(foreground: .indexed(2)))

        for bad in ["fg:", "fg:12/9", "fg:red/", "fg:-1", "bg:12/34/5", "fg:0x10", "fg:1 fg:2"] {
            let other = ThemeLoader.parse("normal = \(bad)", file: "f", name: "f")
            #expect(other.diagnostics.contains { $0.line == 1 && $0.key == "normal" }, "\(bad)")
        }
    }

    @Test func badAttributeFallsBack() throws {
        let result = ThemeLoader.parse(completeText(["selection": "fg:1 blink"]), file: "themes/y.theme", name: "y")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        let line = StyleRole.allCases.firstIndex(of: .selection)! + 1
        #expect(diagnostic.description.hasPrefix("themes/y.theme:\(line): bad attribute 'blink'"))
        #expect(result.theme.style(for: .selection) == Theme.builtinDefault.style(for: .selection))
        let mixed = ThemeLoader.parse("normal = none bold", file: "f", name: "f")
        #expect(mixed.diagnostics.contains { $0.line == 1 && $0.message.contains("'none'") })
    }

    @Test func duplicateKeyKeepsTheFirst() throws {
        let text = completeText(["meter.ok": "fg:2"], extra: ["meter.ok = fg:3"])
        let result = ThemeLoader.parse(text, file: "d.theme", name: "d")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        let first = StyleRole.allCases.firstIndex(of: .meterOK)! + 1
        #expect(diagnostic.line == StyleRole.allCases.count + 1)
        #expect(diagnostic.description.contains("duplicate role 'meter.ok' (first set on line \(first))"))
        #expect(result.theme.style(for: .meterOK) == RoleStyle(foreground: .indexed(2)))
    }

    @Test func malformedLinesAndMissingRoles() {
        let result = ThemeLoader.parse("# only two roles\nnormal = none\njust words\n= bold\ndanger = reverse\n",
                                       file: "m.theme", name: "m")
        #expect(result.diagnostics.contains { $0.description == "m.theme:3: expected 'role = style', got 'just words'" })
        #expect(result.diagnostics.contains { $0.line == 4 })
        let missing = result.diagnostics.filter { $0.line == nil }
        #expect(missing.count == StyleRole.allCases.count - 2)
        #expect(missing.contains { $0.description == "m.theme: no style for role 'selection'; using the built-in default" })
        #expect(result.theme.style(for: .selection) == Theme.builtinDefault.style(for: .selection))
        #expect(result.theme.style(for: .danger) == RoleStyle(attributes: .reverse))
        #expect(result.theme.missingRoles.isEmpty)
    }

    @Test func builtinThemesCoverEveryRole() {
        for theme in [Theme.builtinDefault, Theme.builtinMono] {
            #expect(theme.missingRoles.isEmpty, "\(theme.name)")
            #expect(Set(theme.basicStyles.keys) == Set(StyleRole.allCases), "\(theme.name)")
            for role in StyleRole.allCases {
                for case .indexed(let index) in [theme.style(for: role, depth: .basic8).foreground,
                                                 theme.style(for: role, depth: .basic8).background] {
                    #expect(index < 8, "\(theme.name) \(role)")
                }
            }
        }
        #expect(Theme.builtinMono.isMonochrome)
        #expect(!Theme.builtinDefault.isMonochrome)
        let plain = ThemeLoader.parse(Theme.builtinDefaultText, file: "<built-in>", name: "default-dark")
        #expect(plain.diagnostics.isEmpty, "\(plain.diagnostics)")
        // Selection must differ from normal in every depth.
        for depth in ColorDepth.allCases {
            #expect(Theme.builtinDefault.style(for: .selection, depth: depth) != Theme.builtinDefault.style(for: .normal, depth: depth)
                    || depth == .monochrome)
            #expect(Theme.builtinMono.style(for: .selection, depth: depth) != Theme.builtinMono.style(for: .normal, depth: depth))
        }
    }

    @Test(arguments: ["default-dark", "light", "high-contrast", "mono"])
    func shippedThemeParsesCleanly(name: String) throws {
        let result = ThemeLoader.load(nameOrPath: name, searchDirectories: ["/nonexistent", themesDirectory])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.theme.name == name)
        #expect(result.theme.missingRoles.isEmpty)
        let text = try String(contentsOfFile: themesDirectory + "/\(name).theme", encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "#", omittingEmptySubsequences: false).first.map(String.init) ?? "" }
        let keys = Set(lines.compactMap { $0.split(separator: "=").first?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        #expect(keys == Set(StyleRole.allCases.map(\.rawValue)), "every role set explicitly")
        if name == "mono" { #expect(result.theme.isMonochrome) }
    }

    @Test func builtinConstantsMatchShippedFiles() {
        #expect(ThemeLoader.load(nameOrPath: "default-dark", searchDirectories: [themesDirectory]).theme == Theme.builtinDefault)
        #expect(ThemeLoader.load(nameOrPath: "mono", searchDirectories: [themesDirectory]).theme == Theme.builtinMono)
    }

    @Test func lookupByNameAndPath() {
        #expect(ThemeLoader.load(nameOrPath: themesDirectory + "/light.theme", searchDirectories: []).theme.name == "light")
        // Built-in names work without files.
        let builtin = ThemeLoader.load(nameOrPath: "default", searchDirectories: [])
        #expect(builtin.diagnostics.isEmpty)
        #expect(builtin.theme == Theme.builtinDefault)
        #expect(ThemeLoader.load(nameOrPath: "mono", searchDirectories: ["/nonexistent"]).theme == Theme.builtinMono)
        let missing = ThemeLoader.load(nameOrPath: "solarized", searchDirectories: ["/nonexistent"])
        #expect(missing.theme == Theme.builtinDefault)
        #expect(missing.diagnostics.first?.description.hasPrefix("solarized: theme not found (searched: /nonexistent)") == true)
        let missingPath = ThemeLoader.load(nameOrPath: "/nonexistent/x.theme", searchDirectories: [])
        #expect(missingPath.diagnostics.first?.description == "/nonexistent/x.theme: theme not found; using the built-in default")
        #expect(ThemeLoader.availableThemes(in: [themesDirectory, "/nonexistent"]) == ["default-dark", "high-contrast", "light", "mono"])
    }

    @Test func defaultSearchDirectories() {
        let directories = ThemeLoader.defaultSearchDirectories(
            executablePath: themesDirectory + "/../.build/debug/scoot-console",
            environment: ["SCOOT_CONSOLE_THEMES": "/a:/b", "HOME": "/home/u"])
        #expect(Array(directories.prefix(4)) == ["/a", "/b", "/home/u/.config/scoot-console/themes", "themes"])
        #expect(directories.last.map { URL(fileURLWithPath: $0).standardized.path }
                == URL(fileURLWithPath: themesDirectory).standardized.path)
    }
}
