import AuditLog
import ScootAPI
import TUIKit

/// A state shown with a glyph and a word, never by colour alone.
struct StateBadge: Hashable {
    let text: String
    let role: StyleRole

    /// The word without its glyph (`running`), for text such as the audit log.
    var word: String { String(text.drop { $0 != " " }.dropFirst()) }

    static func audit(_ outcome: AuditEntry.Outcome) -> StateBadge {
        switch outcome {
        case .ok: StateBadge(text: "✓ ok", role: .stateDone)
        case .error: StateBadge(text: "✗ error", role: .stateFailed)
        case .refused: StateBadge(text: "⊘ refused", role: .stateKilled)
        case .sent: StateBadge(text: "… sent", role: .stateWaiting)
        case .unknown: StateBadge(text: "? unknown", role: .stateFailed)
        }
    }

    /// A worker's state; an offline worker still finishing a task is draining, not idle.
    static func worker(_ worker: WorkerInfo) -> StateBadge {
        if worker.state == .offline, worker.currentJobId != nil { return StateBadge(text: "⊘ draining", role: .stateKilled) }
        return Self.worker(worker.state)
    }

    static func worker(_ state: WorkerState) -> StateBadge {
        switch state {
        case .idle: StateBadge(text: "○ idle", role: .stateWaiting)
        case .busy: StateBadge(text: "▶ busy", role: .stateRunning)
        case .offline: StateBadge(text: "⊘ offline", role: .stateKilled)
        case .suspended: StateBadge(text: "✗ suspended", role: .stateFailed)
        case .unreachable: StateBadge(text: "✖ unreachable", role: .stateFailed)
        default: StateBadge(text: "? \(state.name.lowercased())", role: .dim)
        }
    }
}

/// Age as a short text: 45s, 12m, 3h, 2d.
func ageText(fromMs start: Int64, nowMs: Int64) -> String {
    let seconds = max(0, (nowMs - start) / 1000)
    if seconds < 120 { return "\(seconds)s" }
    if seconds < 7200 { return "\(seconds / 60)m" }
    if seconds < 172_800 { return "\(seconds / 3600)h" }
    return "\(seconds / 86400)d"
}

/// A duration as a short text: tenths of a second under 10 s (0.9s), then as `ageText` (45s, 12m, 3h).
func durationText(milliseconds: Int64) -> String {
    let tenths = (max(0, milliseconds) + 50) / 100
    if tenths < 100 { return "\(tenths / 10).\(tenths % 10)s" }
    return ageText(fromMs: 0, nowMs: tenths * 100)
}
