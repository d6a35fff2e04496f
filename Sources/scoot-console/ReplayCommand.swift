import ArgumentParser
import ConsoleApp
import FlightRecorder
import Foundation
import TUIKit
import TUINcurses

/// `scoot-console replay`: the console on a recording, read-only, with a time bar; or, with
/// `--dump TIME`, one moment of it written as text without a terminal.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a flight recording: the console as it was, read-only, with a time bar (docs/recording.md).",
        discussion: """
            Keys: P play/pause, + and - speed (1× to 64×), . and , the next/previous poll, f and b ±1 minute, F and B ±10 minutes, \
            :goto TIME, :dump [FILE]; every pane, filter, sort and drill-down as in the console. Without --at the replay opens \
            at the start of the recording's last session (a run of polls without a gap of more than a minute).
            """
    )

    @Argument(help: "A recording file (.scootrec) or a directory of them. Default: the console's own, $XDG_STATE_HOME/scoot-console/recordings.")
    var path: String?

    // Unconditional: a time from the end (-10m) starts with a dash and is still the value.
    @Option(parsing: .unconditional, help: "Where to start: HH:MM[:SS] (on the day of the last session), YYYY-MM-DD HH:MM[:SS], or -10m / -2h from the end.")
    var at: String?

    @Option(parsing: .unconditional, help: "Write the screen and the pane at this time (as --at) as text, TSV and JSON, without a terminal, and exit.")
    var dump: String?

    @Option(help: "With --dump: the pane to dump (jobs, tasks, workers, classes, settings, audit, events).")
    var pane = "jobs"

    @Option(help: "With --dump --pane tasks: the job whose tasks to show (default: the one the recording console had open).")
    var job: String?

    @Option(help: "With --dump: the file to write (default: standard output).")
    var output: String?

    @Option(help: "With --dump: the screen size, WIDTHxHEIGHT.")
    var size = "120x40"

    @Flag(help: "Show times in UTC (default: the local time zone).")
    var utc = false

    @Option(help: "Theme name or file, as for the console.")
    var theme = "default-dark"

    @Flag(help: "Nothing but ASCII on screen.")
    var ascii = false

    func validate() throws {
        guard dump != nil || (output == nil && pane == "jobs" && size == "120x40" && job == nil) else { throw ValidationError("--pane, --job, --output and --size go with --dump") }
        guard Pane.allCases.contains(where: { $0.title.lowercased() == pane.lowercased() }) else {
            throw ValidationError("--pane: one of \(Pane.allCases.map { $0.title.lowercased() }.joined(separator: ", ")), got \(pane)")
        }
        guard screenSize != nil else { throw ValidationError("--size: WIDTHxHEIGHT, at least \(ConsoleLayout.minimumSize.width)x\(ConsoleLayout.minimumSize.height), got \(size)") }
    }

    private var screenSize: (width: Int, height: Int)? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= ConsoleLayout.minimumSize.width, parts[1] >= ConsoleLayout.minimumSize.height, parts[0] <= 1000, parts[1] <= 1000 else { return nil }
        return (parts[0], parts[1])
    }

    func run() async throws {
        let location = path.map { NSString(string: $0).expandingTildeInPath } ?? FlightRecorder.defaultDirectory()
        let recording: RecordingReader
        do {
            recording = try RecordingReader(path: location)
        } catch {
            throw ValidationError("cannot open the recording \(location): \(error)")
        }
        for warning in recording.warnings { FileHandle.standardError.write(Data("scoot-console replay: \(warning)\n".utf8)) }
        guard let whole = recording.span else { throw ValidationError("\(location) holds no recorded poll yet") }
        let timeZone = utc ? TimeZone(identifier: "UTC")! : TimeZone.current
        let sessions = recording.sessions
        var position = sessions.last?.lowerBound ?? whole.lowerBound
        if let time = dump ?? at {
            do {
                position = try ReplayTime.parse(time, relativeTo: time.hasPrefix("-") || time.hasPrefix("+") ? whole.upperBound : position, timeZone: timeZone)
            } catch {
                throw ValidationError("\(dump != nil ? "--dump" : "--at"): \(error)")
            }
        }
        // The time bar spans the session the position falls in (or the nearest one).
        let span = sessions.first { $0.contains(position) } ?? sessions.min { Self.distance(position, $0) < Self.distance(position, $1) } ?? whole
        var state = ConsoleState(endpoint: location, readOnly: true)
        state.timeZone = timeZone
        state.replay = ReplayState(span: span, marks: recording.marks.filter { span.contains($0.time) }, position: position)
        // What was damaged is said on screen too (standard error is hidden behind the console).
        if let first = recording.warnings.first {
            let more = recording.warnings.count > 1 ? " (and \(recording.warnings.count - 1) more; the shell shows them all)" : ""
            state.flash = ConsoleState.Flash(text: "recording: \(first)\(more)", isError: true, until: .seconds(15))
        }
        if let dump {
            try writeDump(recording, state: state, requested: dump)
            return
        }
        try await runInteractive(recording, state: state)
    }

    private static func distance(_ time: Date, _ span: ClosedRange<Date>) -> TimeInterval {
        span.contains(time) ? 0 : min(abs(time.timeIntervalSince(span.lowerBound)), abs(time.timeIntervalSince(span.upperBound)))
    }

    /// `--dump TIME`: the frame there, rendered at `--size`, as `:dump` writes it.
    private func writeDump(_ recording: RecordingReader, state initial: ConsoleState, requested: String) throws {
        var state = initial
        guard let replay = state.replay, let frame = try recording.frame(at: replay.position) else { throw ValidationError("no poll recorded at \(requested)") }
        let (width, height) = screenSize!
        _ = ConsoleUpdate.update(&state, .resize(width: width, height: height))
        // The pane and the job first: the frame shows a followed job's tasks only for the job open.
        state.pane = Pane.allCases.first { $0.title.lowercased() == pane.lowercased() }!
        state.tasksOfJob = job ?? frame.snapshot.selectedJobStatus?.id
        _ = ConsoleUpdate.update(&state, .replayFrame(frame))
        let text = ConsoleDump.text(of: state, at: Date())
        if let output {
            do { try ConsoleDump.write(text, to: NSString(string: output).expandingTildeInPath) } catch { throw ValidationError("--output: \(error)") }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private func runInteractive(_ recording: RecordingReader, state: ConsoleState) async throws {
        let terminalFailure = await TerminalSession.run(theme: theme, ascii: ascii) { backend, characters in
            ConsoleRuntime(backend: backend, replaying: recording, state: state, characters: characters)
        }
        if let terminalFailure { throw TerminalSession.failure(terminalFailure) }
    }
}
