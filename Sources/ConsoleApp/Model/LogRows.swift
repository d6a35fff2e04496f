import AuditLog
import Foundation
import TUIKit

/// One row of the Audit pane: an audit log entry, its time in the operator's zone.
public struct AuditRow: Identified, Hashable {
    public let id: String
    public let entry: AuditEntry
    /// `12-02 10:31:02` in the operator's zone.
    let localTime: String

    init(_ entry: AuditEntry, timeZone: TimeZone) {
        id = [entry.time, entry.operatorName, entry.endpoint, entry.action, entry.outcome.rawValue].joined(separator: "\u{1F}")
        self.entry = entry
        localTime = AuditEntry.date(entry.time).map { LocalTime.text($0, in: timeZone) } ?? entry.time
    }

    var badge: StateBadge { StateBadge.audit(entry.outcome) }

    static let columns = ColumnSet<AuditRow>(columns: [
        Column("TIME", key: "t", width: .length(14), by: { $0.entry.time }) { TableCell($0.localTime) },
        Column("OPERATOR", key: "o", width: .length(10), by: { $0.entry.operatorName }) { TableCell($0.entry.operatorName) },
        Column("SOURCE", key: "s", width: .length(9), by: { $0.entry.source }) { TableCell($0.entry.source) },
        Column("ENDPOINT", key: "e", width: .fill(2), shownFrom: 110, by: { $0.entry.endpoint }) { TableCell($0.entry.endpoint) },
        Column("ACTION", key: "a", width: .length(24), by: { $0.entry.action }) { TableCell($0.entry.action) },
        Column("ARGUMENTS", key: "g", width: .fill(2), by: { AuditPane.argumentsText($0.entry.arguments) }) { TableCell(AuditPane.argumentsText($0.entry.arguments)) },
        Column("BEFORE → AFTER", key: "b", width: .fill(3), by: { AuditPane.changeText($0.entry) }) { TableCell(AuditPane.changeText($0.entry)) },
        Column("OUTCOME", key: "u", width: .length(10), by: { $0.entry.outcome.rawValue }) { TableCell($0.badge.text, role: $0.badge.role) },
        Column("ERROR", key: "r", width: .fill(2), by: { $0.entry.error ?? "" }) { TableCell($0.entry.error ?? "", role: $0.entry.error == nil ? .normal : .stateFailed) },
    ], defaultSort: SortOrder(column: "TIME", ascending: false))

    var searchableText: String { AuditPane.searchableText(entry) }
}

/// One row of the Events pane.
public struct EventRow: Identified, Hashable {
    public let id: String
    public let event: ConsoleEvent
    let localTime: String

    init(_ event: ConsoleEvent, sequence: Int, timeZone: TimeZone) {
        id = String(sequence)
        self.event = event
        localTime = LocalTime.text(event.time, in: timeZone)
    }

    var role: StyleRole {
        switch event.kind {
        case .rebalance, .connection: .stateFailed
        case .worker: .stateKilled
        default: .normal
        }
    }

    static let columns = ColumnSet<EventRow>(columns: [
        Column("TIME", key: "t", width: .length(14), by: { $0.event.time }) { TableCell($0.localTime) },
        Column("KIND", key: "k", width: .length(10), by: { $0.event.kind.rawValue }) { TableCell($0.event.kind.rawValue, role: $0.role) },
        Column("WHAT", key: "w", width: .fill(1), by: { $0.event.text }) { TableCell($0.event.text) },
    ], defaultSort: SortOrder(column: "TIME", ascending: false))

    var searchableText: String { event.kind.rawValue + " " + event.text }
}

/// Times as the console shows them: `MM-dd HH:mm:ss` in the operator's zone.
enum LocalTime {
    static func text(_ time: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: time)
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : String(value) }
        return "\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    /// The zone's short name (`UTC`, `CET`).
    static func zoneName(_ zone: TimeZone) -> String { zone.abbreviation() ?? zone.identifier }
}
