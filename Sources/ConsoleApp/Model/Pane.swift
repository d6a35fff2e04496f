import TUIKit

/// The console's panes, in tab order; `1`…`7` jump to them.
public enum Pane: Int, Sendable, Hashable, CaseIterable {
    case jobs = 1, tasks, workers, classes, settings, audit, events

    /// The key that shows it: its number.
    public var key: Key { .character(Character(String(rawValue))) }

    /// The pane a number key shows.
    public init?(key: Key) {
        guard let pane = Pane.allCases.first(where: { $0.key == key }) else { return nil }
        self = pane
    }

    /// The tab title.
    public var title: String {
        switch self {
        case .jobs: "Jobs"
        case .tasks: "Tasks"
        case .workers: "Workers"
        case .classes: "Classes"
        case .settings: "Settings"
        case .audit: "Audit"
        case .events: "Events"
        }
    }
}
