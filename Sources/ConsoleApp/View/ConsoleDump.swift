import Foundation
import TUIKit

/// What `:dump` (and `scoot-console replay --dump`) writes, for pasting into an incident
/// channel: a title line, the screen as text, then the current pane's rows — every column, in
/// the pane's order and filter — as TSV and as JSON (an array of objects keyed by column title).
public enum ConsoleDump {
    /// The dump of `state` as shown on a `width`×`height` screen (the state's own by default).
    public static func text(of state: ConsoleState, at time: Date, width: Int? = nil, height: Int? = nil) -> String {
        var buffer = Buffer(area: Rect(width: width ?? state.screen.width, height: height ?? state.screen.height))
        ConsoleView.render(state, into: &buffer, characters: .unicode)
        let table = self.table(of: state)
        let shownAt = state.snapshot.map { " · data of \(iso($0.observedAt))" } ?? ""
        let replay = state.replay != nil ? " (replay)" : ""
        var lines = ["# scoot-console dump: \(state.pane.title) of \(state.endpoint)\(replay), written \(iso(time))\(shownAt)", ""]
        lines += ["## Screen", ""] + buffer.lines().map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        lines += ["", "## \(state.pane.title) (TSV, \(table.rows.count) rows)", ""]
        lines += ([table.titles] + table.rows).map { $0.map(tsvField).joined(separator: "\t") }
        lines += ["", "## \(state.pane.title) (JSON)", "", json(table)]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The pane's rows as text: every column's title, then each row's cells.
    static func table(of state: ConsoleState) -> (titles: [String], rows: [[String]]) {
        func cells<Row>(_ rows: [Row], _ columns: ColumnSet<Row>) -> (titles: [String], rows: [[String]]) {
            let context = PaneRows.cellContext(state.snapshot, for: state.pane)
            return (columns.columns.map(\.title), rows.map { row in columns.columns.map { $0.cell(row, context).text } })
        }
        switch state.pane {
        case .jobs: return cells(state.rows.jobs, JobRow.columns)
        case .tasks: return cells(state.rows.tasks, TaskRow.columns)
        case .workers: return cells(state.rows.workers, WorkerRow.columns)
        case .classes: return cells(state.rows.classes, ClassRow.columns)
        case .audit: return cells(state.rows.audit, AuditRow.columns)
        case .events: return cells(state.rows.events, EventRow.columns)
        case .settings:
            guard let snapshot = state.snapshot else { return (["SETTING", "VALUE"], []) }
            let settings = snapshot.settings
            let maxTasks = snapshot.schedulerStatus.maxTasks
            var rows = [["max tasks", String(maxTasks)], ["rebalance threshold", String(settings.rebalanceThreshold)],
                        ["rebalance minimum duration", String(settings.rebalanceMinimumDuration)]]
            rows += settings.classLoadPercents.sorted { $0.key < $1.key }.map { ["class load percent \($0.key)", String($0.value)] }
            rows += settings.requestorToClassMap.sorted { $0.key < $1.key }.map { ["requestor map \($0.key)", $0.value] }
            return (["SETTING", "VALUE"], rows)
        }
    }

    /// A TSV field: tabs and line breaks, which would split it, become spaces.
    static func tsvField(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }

    /// The rows as a JSON array of objects, keys in column order.
    static func json(_ table: (titles: [String], rows: [[String]])) -> String {
        guard !table.rows.isEmpty else { return "[]" }
        let objects = table.rows.map { row in
            "  {" + zip(table.titles, row).map { "\(jsonString($0)): \(jsonString($1))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]"
    }

    /// `text` as a JSON string, escaped by Foundation's encoder.
    static func jsonString(_ text: String) -> String {
        // Encoding a String cannot fail; the fallback only satisfies the type.
        (try? jsonEncoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    private static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Where `:dump` writes without a file name: `dump-<pane>-<UTC time>.txt` in `directory`.
    public static func defaultPath(pane: Pane, at time: Date, directory: String) -> String {
        let stamp = iso(time).replacingOccurrences(of: ":", with: "")
        return URL(fileURLWithPath: directory).appendingPathComponent("dump-\(pane.title.lowercased())-\(stamp).txt").path
    }

    /// Writes `text` to `path` (a new file; an existing one is not overwritten), creating its
    /// directory. Blocking: call it on a thread of your own.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard !FileManager.default.fileExists(atPath: path) else { throw DumpFailure(description: "\(path) exists: give another file name") }
        try Data(text.utf8).write(to: url, options: .withoutOverwriting)
    }

    /// Why a dump was not written.
    public struct DumpFailure: Error, CustomStringConvertible {
        public var description: String
    }
}
