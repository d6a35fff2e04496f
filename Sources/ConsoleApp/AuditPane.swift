import AuditLog
import TUIKit

/// The Audit pane: the audit log's entries, newest first, one per action from this console or
/// the CLI, with what it changed and how it ended.
enum AuditPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        let audit = state.audit
        guard audit.loaded else {
            Paragraph("reading the audit log…", role: .dim).render(into: &buffer, area: area)
            return
        }
        var summary = "\(audit.entries.count) \(audit.entries.count == 1 ? "entry" : "entries"), newest first"
        if let path = audit.path { summary += ", from \(path)" }
        if audit.unreadableLines > 0 {
            summary += " · \(audit.unreadableLines) unreadable \(audit.unreadableLines == 1 ? "line" : "lines") skipped"
        }
        if let error = audit.error {
            buffer.write("cannot read the audit log: \(error)", x: area.x, y: area.y, role: .flashError, maxWidth: area.width)
        } else {
            buffer.write(summary, x: area.x, y: area.y, role: audit.unreadableLines > 0 ? .flashError : .dim, maxWidth: area.width)
        }
        let table = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1))
        guard !audit.entries.isEmpty else {
            Paragraph("no actions recorded yet", role: .dim).render(into: &buffer, area: table)
            return
        }
        let columns = [
            TableColumn("TIME (UTC)", width: .length(14)), TableColumn("OPERATOR", width: .length(10)), TableColumn("SOURCE", width: .length(7)),
            TableColumn("ACTION", width: .length(30)), TableColumn("ARGUMENTS", width: .fill(2)), TableColumn("BEFORE → AFTER", width: .fill(3)),
            TableColumn("OUTCOME", width: .length(9)), TableColumn("ERROR", width: .fill(2)),
        ]
        var tableState = TableState(selected: state.selection(in: .audit, count: audit.entries.count))
        Table(columns: columns, rowCount: audit.entries.count, showsMarks: false, characters: characters) { index in
            let entry = audit.entries[index]
            let badge = StateBadge.audit(entry.outcome)
            return TableRow(id: "\(index)", cells: [
                TableCell(timeText(entry.time)), TableCell(entry.operatorName), TableCell(entry.source), TableCell(entry.action),
                TableCell(argumentsText(entry.arguments)), TableCell(changeText(entry)), TableCell(badge.text, role: badge.role),
                TableCell(entry.error ?? "", role: entry.error == nil ? .normal : .stateFailed),
            ])
        }.render(into: &buffer, area: table, state: &tableState)
    }

    /// `2026-11-29T04:41:31.123Z` → `11-29 04:41:31` (the year and milliseconds are in the
    /// details that enter shows).
    static func timeText(_ time: String) -> String {
        String(time.dropFirst(5).prefix(14).map { $0 == "T" ? " " : $0 })
    }

    /// `job=j1 worker=w2`: the arguments sorted by name.
    static func argumentsText(_ arguments: [String: String]) -> String {
        arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// `40 → 30`, or the side that is known.
    static func changeText(_ entry: AuditEntry) -> String {
        switch (entry.before, entry.after) {
        case (let before?, let after?): "\(before) → \(after)"
        case (let before?, nil): before
        case (nil, let after?): "→ \(after)"
        case (nil, nil): ""
        }
    }

    /// Every field of an entry, one per line, for the overlay enter opens.
    static func detailLines(_ entry: AuditEntry) -> [String] {
        [
            "time      \(entry.time)", "operator  \(entry.operatorName)", "source    \(entry.source)", "endpoint  \(entry.endpoint)",
            "action    \(entry.action)",
        ] + entry.arguments.sorted { $0.key < $1.key }.map { "argument  \($0.key) = \($0.value)" } + [
            "before    \(entry.before ?? "")", "after     \(entry.after ?? "")", "outcome   \(StateBadge.audit(entry.outcome).text)",
            "error     \(entry.error ?? "")",
        ]
    }

    /// The words of an entry that `/` searches.
    static func searchableText(_ entry: AuditEntry) -> String {
        [entry.time, entry.operatorName, entry.source, entry.action, argumentsText(entry.arguments), changeText(entry),
         entry.outcome.rawValue, entry.error ?? ""].joined(separator: " ")
    }
}
