import ArgumentParser
import ConsoleApp
import Foundation
import TUIKit
import TUINcurses

/// The terminal side of `scoot-console` and `scoot-console replay`: loads the theme, opens
/// ncurses and runs a console runtime on a thread of its own. The runtime's loop blocks while it
/// waits for keys, so it must not sit on the cooperative pool that polls (and the embedded demo)
/// run on: with one CPU that pool has one thread, and the console would wait forever.
enum TerminalSession {
    /// Runs the runtime `makeRuntime` builds on the opened terminal until the user quits, then
    /// `afterRun` (on the same thread, before the terminal result is returned: it may block).
    /// Returns why the terminal could not be opened, or nil.
    static func run(
        theme: String, ascii: Bool, afterRun: @escaping @Sendable () -> Void = {},
        makeRuntime: @escaping @Sendable (NcursesBackend, BoxCharacters) -> ConsoleRuntime
    ) async -> String? {
        let themeResult = ThemeLoader.load(nameOrPath: theme, searchDirectories: ThemeLoader.defaultSearchDirectories())
        for diagnostic in themeResult.diagnostics { FileHandle.standardError.write(Data("scoot-console: \(diagnostic)\n".utf8)) }
        let loadedTheme = themeResult.theme
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let backend: NcursesBackend
                do {
                    backend = try NcursesBackend(theme: loadedTheme)
                } catch {
                    continuation.resume(returning: "\(error)")
                    return
                }
                let runtime = makeRuntime(backend, ascii || !backend.supportsUnicode ? .ascii : .unicode)
                runtime.run()
                backend.shutdown()
                afterRun()
                continuation.resume(returning: nil)
            }
        }
    }

    /// Says on standard error that the terminal could not be opened; the exit code to end with.
    static func failure(_ reason: String) -> Error {
        FileHandle.standardError.write(Data("scoot-console: cannot open the terminal: \(reason)\n".utf8))
        return ExitCode(1)
    }
}
