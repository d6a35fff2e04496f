import Foundation

/// Where a replay stands: the moment shown, whether it plays and how fast, and the frame on
/// screen. The console in replay is read-only and never polls: `ConsoleUpdate` asks the runtime
/// for the frame at `position` (`ConsoleEffect.replaySeek`) whenever the position passes the
/// next recorded poll or jumps.
public struct ReplayState: Sendable, Hashable {
    /// The first and last recorded poll.
    public var span: ClosedRange<Date>
    /// Every audit entry's place, for the time bar.
    public var marks: [RecordedMark]
    /// The moment shown (the time bar's cursor); the frame is the last poll at or before it.
    public var position: Date
    /// Whether the position advances with the clock.
    public var playing = false
    /// Recorded seconds per second while playing: 1, 2, 4 … 64.
    public var speed = 1
    /// The poll on screen and its neighbours; nil before the first frame arrives.
    public var frameAt: Date?
    public var previousPollAt: Date?
    public var nextPollAt: Date?
    /// The position asked for and not answered yet; at most one seek runs at a time.
    public var seekInFlight: Date?
    /// A position asked for while a seek ran: asked next (only the latest is kept).
    public var pendingSeek: Date?
    /// The console clock at which `position` was last advanced while playing.
    public var advancedAt: Duration?

    /// The position in whole seconds and how it plays: what the time bar shows of it.
    var shownSecond: [Int] { [Int(position.timeIntervalSince1970.rounded(.down)), playing ? speed : 0] }

    /// The fastest and slowest play.
    public static let speeds = [1, 2, 4, 8, 16, 32, 64]

    public init(span: ClosedRange<Date>, marks: [RecordedMark], position: Date) {
        self.span = span
        self.marks = marks
        self.position = Self.clamp(position, to: span)
    }

    /// `time` kept inside `span`.
    static func clamp(_ time: Date, to span: ClosedRange<Date>) -> Date { min(max(time, span.lowerBound), span.upperBound) }

    /// Moves the position to `time` (kept inside the recording) and says which seek to run:
    /// nil while another one runs (this one then follows it).
    mutating func move(to time: Date) -> Date? {
        position = Self.clamp(time, to: span)
        if seekInFlight != nil {
            pendingSeek = position
            return nil
        }
        seekInFlight = position
        return position
    }

    /// Advances a playing replay to the console clock `now`; returns the seek to run when the
    /// position passed the next recorded poll. Stops at the end of the recording.
    mutating func advance(now: Duration) -> Date? {
        guard playing else {
            advancedAt = nil
            return nil
        }
        defer { advancedAt = now }
        guard let advancedAt else { return nil }
        let elapsed = Double((now - advancedAt) / .milliseconds(1)) / 1000 * Double(speed)
        position = Self.clamp(position.addingTimeInterval(elapsed), to: span)
        if position >= span.upperBound { playing = false }
        guard seekInFlight == nil, let nextPollAt, position >= nextPollAt else { return nil }
        seekInFlight = position
        return position
    }

    /// A frame arrived for `requested`: it is on screen now. Returns the seek asked meanwhile.
    mutating func arrived(_ frame: RecordedFrame) -> Date? {
        frameAt = frame.snapshot.observedAt
        previousPollAt = frame.previousPollAt
        nextPollAt = frame.nextPollAt
        seekInFlight = nil
        guard let pendingSeek else { return nil }
        self.pendingSeek = nil
        seekInFlight = pendingSeek
        return pendingSeek
    }

    /// A seek failed: nothing is in flight any more.
    mutating func seekFailed() {
        seekInFlight = nil
        pendingSeek = nil
    }

    /// The console clock at which a playing replay reaches its next poll, for the runtime's sleep.
    func nextPollDeadline(now: Duration) -> Duration? {
        guard playing, seekInFlight == nil else { return nil }
        guard let nextPollAt else { return now + .seconds(1) }
        let seconds = max(0, nextPollAt.timeIntervalSince(position)) / Double(speed)
        // The time bar's clock shows seconds: wake at least once a second while playing.
        return now + .milliseconds(Int64(min(seconds, 1) * 1000))
    }

    /// The speed after `faster` (doubling) or slower (halving), within `speeds`.
    mutating func changeSpeed(faster: Bool) {
        let index = Self.speeds.firstIndex(of: speed) ?? 0
        speed = Self.speeds[max(0, min(Self.speeds.count - 1, index + (faster ? 1 : -1)))]
    }
}

/// Parses `:goto`'s and `--at`'s time: `HH:MM`, `HH:MM:SS`, `YYYY-MM-DD HH:MM[:SS]` or
/// `YYYY-MM-DDTHH:MM[:SS]` in `timeZone`, or a relative `-10m`, `+90s`, `-1h` from `position`. A
/// time of day alone means that time on the day of `position` (in `timeZone`).
public enum ReplayTime {
    /// Why a time does not parse.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String, relativeTo position: Date, timeZone: TimeZone) throws(ParseError) -> Date {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let sign = text.first, sign == "-" || sign == "+" {
            let body = text.dropFirst()
            guard let unit = body.last, let amount = Double(body.dropLast()), amount >= 0,
                  let seconds = ["s": 1.0, "m": 60, "h": 3600, "d": 86400][String(unit)] else {
                throw ParseError(description: "\(text): a relative time is a sign, a number and s, m, h or d (-10m, +90s)")
            }
            return position.addingTimeInterval((sign == "-" ? -1 : 1) * amount * seconds)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        guard (1...2).contains(parts.count) else { throw malformed(text) }
        var day = calendar.dateComponents([.year, .month, .day], from: position)
        if parts.count == 2 {
            let date = parts[0].split(separator: "-").map { Int($0) }
            guard date.count == 3, let year = date[0], let month = date[1], let dayOfMonth = date[2] else { throw malformed(text) }
            day = DateComponents(year: year, month: month, day: dayOfMonth)
        }
        let clock = parts[parts.count - 1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(clock.count), let hour = clock[0], let minute = clock[1], (0..<24).contains(hour), (0..<60).contains(minute) else {
            throw malformed(text)
        }
        let second = clock.count == 3 ? clock[2] : 0
        guard let second, (0..<60).contains(second) else { throw malformed(text) }
        day.hour = hour
        day.minute = minute
        day.second = second
        guard let date = calendar.date(from: day), calendar.component(.day, from: date) == day.day else { throw malformed(text) }
        return date
    }

    private static func malformed(_ text: String) -> ParseError {
        ParseError(description: "\(text): give HH:MM[:SS], YYYY-MM-DD HH:MM[:SS] or a relative time like -10m")
    }
}
