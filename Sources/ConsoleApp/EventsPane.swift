import Foundation
import TUIKit

/// The Events pane: what the console saw happen, newest first, in local time.
enum EventsPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        let events = state.events.events
        let zone = state.timeZone.abbreviation() ?? state.timeZone.identifier
        buffer.write(
            "\(events.count) event\(events.count == 1 ? "" : "s"), newest first, times in \(zone) (at most \(EventLog.capacity) kept; also in events.jsonl)",
            x: area.x, y: area.y, role: .dim, maxWidth: area.width)
        let table = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1))
        guard !events.isEmpty else {
            Paragraph("nothing yet: settings changes (by anyone), workers going offline or unreachable, actions, rebalances and lost connections show here", role: .dim)
                .render(into: &buffer, area: table)
            return
        }
        let columns = [TableColumn("TIME (\(zone))", width: .length(14)), TableColumn("KIND", width: .length(10)), TableColumn("WHAT", width: .fill(1))]
        var tableState = TableState(selected: state.selection(in: .events, count: events.count))
        Table(columns: columns, rowCount: events.count, showsMarks: false, characters: characters) { index in
            let event = events[index]
            let role: StyleRole = switch event.kind {
            case .rebalance, .connection: .stateFailed
            case .worker: .stateKilled
            default: .normal
            }
            return TableRow(id: "\(index)", cells: [TableCell(timeText(event.time, in: state.timeZone)), TableCell(event.kind.rawValue, role: role), TableCell(event.text)])
        }.render(into: &buffer, area: table, state: &tableState)
    }

    /// `12-02 10:31:02` in `zone`.
    static func timeText(_ time: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "MM-dd HH:mm:ss"
        formatter.timeZone = zone
        return formatter.string(from: time)
    }
}
