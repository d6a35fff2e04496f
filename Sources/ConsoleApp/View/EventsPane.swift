import Foundation
import TUIKit

/// The Events pane: what the console saw happen, newest first, in local time.
enum EventsPane {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        let events = state.events.events
        let zone = LocalTime.zoneName(state.timeZone)
        buffer.write(
            "\(events.count) event\(events.count == 1 ? "" : "s"), times in \(zone) (at most \(EventLog.capacity) kept; also in events.jsonl)",
            x: area.x, y: area.y, role: .dim, maxWidth: area.width)
        let table = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1))
        guard !events.isEmpty else {
            Paragraph("nothing yet: settings changes (by anyone), workers going offline or unreachable, actions, rebalances and lost connections show here", role: .dim)
                .render(into: &buffer, area: table)
            return
        }
        PaneTable.render(state.rows.events, columns: EventRow.columns, sort: state.sort(of: .events), table: state.tables[.events],
                         into: &buffer, area: table, characters: characters)
    }
}
