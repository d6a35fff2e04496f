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
        var summary = "\(audit.entries.count) \(audit.entries.count == 1 ? "entry" : "entries"), times in \(LocalTime.zoneName(state.timeZone))"
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
        PaneTable.render(state.rows.audit, columns: AuditRow.columns, sort: state.sort(of: .audit), table: state.tables[.audit],
                         into: &buffer, area: table, characters: characters)
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
