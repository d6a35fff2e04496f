import Foundation
import HostEnvironment

/// One state-changing action from the console or the CLI, as one line of the audit log:
/// who did what to which scheduler, the value before and after, and how it ended.
public struct AuditEntry: Codable, Sendable, Hashable {
    /// How an action ended.
    public enum Outcome: String, Codable, Sendable, Hashable {
        /// The scheduler accepted it.
        case ok
        /// The scheduler (or the network) said no; `error` says why.
        case error
        /// It was never sent: read-only mode, bad input or not permitted; `error` says why.
        case refused
        /// Sent to the scheduler, no answer yet: written when the action is confirmed, so that
        /// an action is on record even if no answer ever comes (a later entry completes it).
        case sent
        /// The console quit before the scheduler answered: whether it took effect is not known.
        case unknown
    }

    /// When it ended, ISO 8601 in UTC with milliseconds.
    public var time: String
    /// The operating-system user who did it.
    public var operatorName: String
    /// The scheduler, as host:port.
    public var endpoint: String
    /// `console` or `cli`.
    public var source: String
    /// What was done, in the CLI's vocabulary (`kill-job`, `set-scheduler-status` …).
    public var action: String
    /// Its arguments by name.
    public var arguments: [String: String]
    /// The value before, when it could be read (settings), as text.
    public var before: String?
    /// The value after: what the scheduler answered or now reports.
    public var after: String?
    public var outcome: Outcome
    /// The error or the reason for refusing, verbatim.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case time, operatorName = "operator", endpoint, source, action, arguments, before, after, outcome, error
    }

    /// An entry stamped with `time` (default: now).
    public init(
        time: Date = Date(), operatorName: String = HostEnvironment.userName, endpoint: String, source: String, action: String,
        arguments: [String: String] = [:], before: String? = nil, after: String? = nil, outcome: Outcome, error: String? = nil
    ) {
        self.time = AuditEntry.timestamp(time)
        self.operatorName = operatorName
        self.endpoint = endpoint
        self.source = source
        self.action = action
        self.arguments = arguments
        self.before = before
        self.after = after
        self.outcome = outcome
        self.error = error
    }

    /// The instant an entry's `time` names, nil for text that is not one of its timestamps.
    public static func date(_ time: String) -> Date? { try? timeFormat.parse(time) }

    static func timestamp(_ date: Date) -> String { date.formatted(timeFormat) }

    /// ISO 8601 in UTC with milliseconds: how `time` is written and read.
    private static let timeFormat: Date.ISO8601FormatStyle = {
        var format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        format.timeZone = TimeZone(identifier: "UTC")!
        return format
    }()
}
