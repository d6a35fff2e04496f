import AuditLog
import Foundation

/// Where the flight recorder writes: every poll's snapshot and every audit entry, in the order
/// the console saw them. The `FlightRecorder` module implements it; the console only hands
/// things over. Both `record` calls return at once: the work happens on a thread of the
/// recorder's own, behind a bounded queue (what does not fit is counted, never waited for).
public protocol FlightRecording: AnyObject, Sendable {
    /// Appends one poll's snapshot (its `observedAt` is the poll's time).
    func record(_ snapshot: ClusterSnapshot)
    /// Appends one audit entry (an action sent, answered or refused).
    func record(_ entry: AuditEntry)
    /// Why the recording is not being written now (a full disk, a directory gone), nil while
    /// it is; also when records had to be dropped. Cheap: the console asks after every poll.
    var problem: String? { get }
    /// Writes what is queued and closes the file. Blocks, so call it from a thread of your own
    /// (the console's terminal thread on quit), never from the cooperative pool.
    func close()
}

/// A recording opened for replay: the polls it holds and, for any time, what the console
/// showed then. Reading blocks (files, decompression), so the runtime calls it on a thread of
/// its own.
public protocol RecordingSource: AnyObject, Sendable {
    /// The first and the last poll's time; nil when the recording holds no poll.
    var span: ClosedRange<Date>? { get }
    /// Problems met on opening, for the flash line: a torn last chunk, a file skipped (each
    /// says which file and what was lost). Never a reason not to replay the rest.
    var warnings: [String] { get }
    /// The sessions in the recording, oldest first: runs of polls with no gap between two polls
    /// longer than `RecordedSessions.gap` (a console that quit and started again, a recorder
    /// stopped). A replay's time bar spans one of them.
    var sessions: [ClosedRange<Date>] { get }
    /// Every recorded audit entry with its time, oldest first: marks on the time bar.
    var marks: [RecordedMark] { get }
    /// The frame the console showed at `time`: the last poll at or before it (the first poll
    /// when `time` is earlier than every poll); nil only when the recording is empty.
    func frame(at time: Date) throws -> RecordedFrame?
}

/// What a replay shows at one moment.
public struct RecordedFrame: Sendable, Equatable {
    /// The poll's snapshot; `snapshot.observedAt` is the poll's time.
    public var snapshot: ClusterSnapshot
    /// The poll before this one and the one after it, for stepping; nil at either end.
    public var previousPollAt: Date?
    public var nextPollAt: Date?
    /// The audit entries recorded up to the poll's time, oldest first, at most
    /// `RecordedFrame.auditLimit` (the newest).
    public var audit: [AuditEntry]

    /// The most audit entries a frame carries: the Audit pane's own bound.
    public static let auditLimit = 1000

    public init(snapshot: ClusterSnapshot, previousPollAt: Date?, nextPollAt: Date?, audit: [AuditEntry]) {
        self.snapshot = snapshot
        self.previousPollAt = previousPollAt
        self.nextPollAt = nextPollAt
        self.audit = audit
    }
}

/// An audit entry's place in a recording.
public struct RecordedMark: Sendable, Hashable {
    /// When the recorder received it.
    public var time: Date
    /// The entry's action (`kill`, `set-threshold`, …) and outcome, for the time bar's legend.
    public var action: String
    public var outcome: AuditEntry.Outcome

    public init(time: Date, action: String, outcome: AuditEntry.Outcome) {
        self.time = time
        self.action = action
        self.outcome = outcome
    }
}

/// How sessions are told apart in a recording.
public enum RecordedSessions {
    /// A gap between two polls longer than this starts a new session.
    public static let gap: TimeInterval = 60

    /// The sessions of polls at `times` (in order).
    public static func split(_ times: some Sequence<Date>) -> [ClosedRange<Date>] {
        var sessions: [ClosedRange<Date>] = []
        var current: ClosedRange<Date>?
        for time in times {
            if let open = current, time.timeIntervalSince(open.upperBound) <= gap {
                current = open.lowerBound...max(open.upperBound, time)
            } else {
                if let open = current { sessions.append(open) }
                current = time...time
            }
        }
        if let current { sessions.append(current) }
        return sessions
    }
}
