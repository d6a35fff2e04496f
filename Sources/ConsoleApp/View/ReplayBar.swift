import AuditLog
import Foundation
import TUIKit

/// The header's first line in a replay: what is replayed and how, the moment shown, and a time
/// bar across the rest of the line: the recording from its first to its last poll, `●` where the
/// replay stands and `▲` where an audit entry was recorded (coloured by its outcome).
///
/// ```
/// REPLAY ▶ 4×  03:12:30 (−1h05m)  ├───▲──────●───▲──┤ 02:10:00–04:17:42  ~/recordings
/// ```
enum ReplayBar {
    /// The narrowest bar worth drawing; below it the line shows the times only.
    static let minimumBarWidth = 10
    /// The most columns the recording's name takes at the end of the line.
    static let sourceWidth = 24

    static func render(_ replay: ReplayState, source: String, timeZone: TimeZone, into buffer: inout Buffer, area: Rect) {
        let y = area.y
        var x = area.x
        x += buffer.write("REPLAY ", x: x, y: y, width: 7, alignment: .left, role: .prodFrame)
        let play = replay.playing ? "▶ \(replay.speed)×" : "paused"
        x += buffer.write(play + "  ", x: x, y: y, role: replay.playing ? .stateRunning : .dim)
        let fromEnd = replay.span.upperBound.timeIntervalSince(replay.position)
        let position = clock(replay.position, timeZone: timeZone, withDate: !sameDay(replay.span, timeZone: timeZone))
        x += buffer.write(position, x: x, y: y, role: .title)
        if fromEnd >= 1 { x += buffer.write(" (−\(durationText(milliseconds: Int64(fromEnd * 1000))) from the end)", x: x, y: y, role: .dim) }
        x += 2
        let range = "\(clock(replay.span.lowerBound, timeZone: timeZone, withDate: false))–\(clock(replay.span.upperBound, timeZone: timeZone, withDate: false))"
        // A long path would squeeze the bar: its end says enough.
        let shortSource = source.count > sourceWidth ? "…" + source.suffix(sourceWidth - 1) : source
        let tail = " \(range)  \(shortSource)"
        let barWidth = area.maxX - x - DisplayWidth.width(of: tail)
        if barWidth >= minimumBarWidth {
            drawBar(replay, x: x, y: y, width: barWidth, into: &buffer)
            buffer.write(tail, x: x + barWidth, y: y, role: .dim, maxWidth: area.maxX - x - barWidth)
        } else {
            buffer.write(" " + range, x: x, y: y, role: .dim, maxWidth: max(0, area.maxX - x))
        }
    }

    /// `├──▲──●──┤`: ends, track, marks, then the cursor over them.
    private static func drawBar(_ replay: ReplayState, x: Int, y: Int, width: Int, into buffer: inout Buffer) {
        let inner = width - 2
        buffer.write("├", x: x, y: y, role: .border)
        buffer.write(String(repeating: "─", count: inner), x: x + 1, y: y, role: .border)
        buffer.write("┤", x: x + width - 1, y: y, role: .border)
        for mark in replay.marks {
            buffer.write("▲", x: x + 1 + column(of: mark.time, in: replay.span, width: inner), y: y, role: role(of: mark.outcome))
        }
        buffer.write("●", x: x + 1 + column(of: replay.position, in: replay.span, width: inner), y: y, role: .title)
    }

    /// The column of `time` on a track `width` wide.
    static func column(of time: Date, in span: ClosedRange<Date>, width: Int) -> Int {
        let length = span.upperBound.timeIntervalSince(span.lowerBound)
        guard length > 0, width > 1 else { return 0 }
        let fraction = time.timeIntervalSince(span.lowerBound) / length
        return min(width - 1, max(0, Int((fraction * Double(width - 1)).rounded())))
    }

    private static func role(of outcome: AuditEntry.Outcome) -> StyleRole {
        switch outcome {
        case .ok: .stateDone
        case .error: .stateFailed
        case .refused: .danger
        default: .stateWaiting
        }
    }

    /// `03:12:30`, or `2026-12-03 03:12:30` when the recording spans days.
    static func clock(_ time: Date, timeZone: TimeZone, withDate: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        let clock = String(format: "%02d:%02d:%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
        return withDate ? String(format: "%04d-%02d-%02d ", c.year ?? 0, c.month ?? 0, c.day ?? 0) + clock : clock
    }

    private static func sameDay(_ span: ClosedRange<Date>, timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(span.lowerBound, inSameDayAs: span.upperBound)
    }
}
