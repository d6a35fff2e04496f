import ScootAPI
import TUIKit

/// Dialogs, the help screen and the command/search prompts drawn over the panes.
enum OverlayView {
    static func render(_ state: ConsoleState, into buffer: inout Buffer, area: Rect, characters: BoxCharacters) {
        switch state.overlay {
        case .none: return
        case .viewer(let viewer):
            let frame = ConsoleLayout.viewerFrame(area)
            buffer.fill(frame)
            let (rows, height) = ConsoleLayout.viewerRows(viewer, screen: (area.width, area.height))
            let position = Viewport.positionText(rowCount: rows.count, height: height, offset: viewer.scroll.offset)
            let title = viewer.title + (position.isEmpty ? "" : " · \(position)")
            let inner = Block(title: title, borderRole: .borderFocused, characters: characters).render(into: &buffer, area: frame)
            Viewport.render(rows: rows, into: &buffer, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: height), state: viewer.scroll,
                            characters: characters)
            if let search = viewer.search {
                TextField(label: "/", input: search).render(into: &buffer, area: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1))
            }
        case .sortMenu(let selected):
            guard let sort = state.sort(of: state.pane), let columns = PaneRows.sortColumns(of: state.pane)?.titles else { return }
            let lines = columns.enumerated().map { index, column in
                let mark = column.title == sort.column ? " " + String(sort.ascending ? characters.ascending : characters.descending) : ""
                return (index == selected ? "> " : "  ") + "[\(column.key)] \(column.title)\(mark)"
            }
            let message = lines + ["", "a letter or enter picks; the current column reverses"]
            Dialog(title: "Sort \(state.pane.title) by", message: message, buttons: ["Close (esc)"], characters: characters)
                .render(into: &buffer, area: area)
        case .confirm(let action, let confirmFocused):
            Dialog(
                title: "Confirm", message: action.confirmationLines(in: state), buttons: ["Cancel", action.verb],
                focusedButton: confirmFocused ? 1 : 0, borderRole: .danger, characters: characters, scrollOffset: state.dialogScroll
            ).render(into: &buffer, area: area)
        case .form(let form, let text, let error):
            var message = ["Current text is checked as you type; enter asks to confirm, esc cancels.", ""]
            message += preview(form, text: text.text, state: state)
            let width = min(area.width - 4, max(60, (message.map { DisplayWidth.width(of: $0) }.max() ?? 0) + 4))
            let height = min(area.height - 2, message.count + 7)
            let frame = area.centered(width: width, height: height)
            buffer.fill(frame)
            let inner = Block(title: form.title, borderRole: .borderFocused, characters: characters).render(into: &buffer, area: frame)
            TextField(label: "> ", input: text, error: error).render(into: &buffer, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: 2))
            for (offset, line) in message.enumerated() where inner.y + 3 + offset < inner.maxY {
                buffer.write(line, x: inner.x, y: inner.y + 3 + offset, role: offset < 2 ? .dim : .normal)
            }
        case .commandLine(let text, let error):
            prompt(":", text, error: error, into: &buffer, area: area)
        case .search(let text):
            prompt("/", text, error: nil, into: &buffer, area: area)
        }
    }

    /// The bottom line as an input: the prompt, the text with its cursor, then the error.
    private static func prompt(_ label: String, _ input: TextInput, error: String?, into buffer: inout Buffer, area: Rect) {
        let row = Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1)
        buffer.fill(row, role: .inputField)
        let errorText = error.map { "  " + $0 } ?? ""
        // The error takes the right part of the line, at most two thirds of it.
        let errorWidth = min(DisplayWidth.width(of: errorText), row.width * 2 / 3)
        let field = Rect(x: row.x, y: row.y, width: row.width - errorWidth, height: 1)
        TextField(label: label, input: input, spacing: 0).render(into: &buffer, area: field)
        if !errorText.isEmpty {
            buffer.write(TextTruncation.truncate(errorText, toWidth: errorWidth), x: field.maxX, y: row.y, role: .inputError)
        }
    }

    /// The what-if preview under a settings form.
    static func preview(_ form: ConsoleState.Form, text: String, state: ConsoleState) -> [String] {
        guard let snapshot = state.snapshot else { return [] }
        let classes: [WhatIf.ClassPreview]?
        switch form {
        case .percents: classes = (try? CommandParser.percents(text)).flatMap { WhatIf.preview(snapshot, percents: $0) }
        case .requestorMap: classes = (try? CommandParser.requestorMap(text)).flatMap { WhatIf.preview(snapshot, requestorMap: $0) }
        case .threshold:
            guard let value = Int32(text) else { return [] }
            guard value > 0 else { return ["Rebalancing would be off."] }
            let minutes = snapshot.settings.rebalanceMinimumDuration
            guard let spread = snapshot.load?.spread else {
                // A plain Scoot scheduler without class stats yet (it publishes them after its
                // first minute): say what is known and what is not.
                return [
                    "The spread is not known here (\(snapshot.limitation(of: .classes) ?? "no class loads from this server")).",
                    "With \(value): a rebalance fires once the spread stays above \(value)pp for \(minutes) min.",
                ]
            }
            let age = snapshot.limitation(of: .classes).map { _ in " (from the scheduler's metrics, up to a minute old)" } ?? ""
            return [spread > value
                ? "Spread is \(spread)pp\(age) > \(value): a rebalance fires after \(minutes) min above it."
                : "Spread is \(spread)pp\(age) ≤ \(value): no rebalance now."]
        case .duration, .maxTasks: return []
        }
        guard let classes else { return [] }
        var lines = ["What if: class  percent  target  running  start  stop (if rebalanced)"]
        for item in classes {
            lines.append("  \(item.name.padding(to: 12)) \(String(item.percent).leftPadding(to: 4))%  \(String(item.target).leftPadding(to: 6))  \(String(item.running).leftPadding(to: 7))  \((item.startRange.map { "\($0.lowerBound)–\($0.upperBound)" } ?? String(item.start)).leftPadding(to: 5))  \(String(item.stop).leftPadding(to: 4))")
        }
        for caveat in WhatIf.caveats(snapshot) { lines.append("Not known here: \(caveat)") }
        return lines
    }
}

extension String {
    /// Pads with spaces on the right to `width` display columns (never truncates).
    func padding(to width: Int) -> String { self + String(repeating: " ", count: max(1, width - DisplayWidth.width(of: self))) }
    /// Pads with spaces on the left to `width` columns.
    func leftPadding(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
