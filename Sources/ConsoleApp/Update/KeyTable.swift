import TUIKit

/// What a key does.
public enum KeyCommand: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case nextPane, previousPane, showPane
    case drillIn, back, search, nextMatch, previousMatch, commandLine, help, mark, pause, quit
    case sortMenu, sortNext, sortPrevious, sortReverse, refreshFaster, refreshSlower, retryNow
    case inspect, copyID, messages
    case killJob, offlineWorker, reinstateWorker
    case editMaxTasks, editPercents, editRequestorMap, editThreshold, editDuration
    case replayPlayPause, replayStepForward, replayStepBack, replayForward, replayBack, replayForwardFar, replayBackFar
    case toggleTimeline, timeEarlier, timeLater, zoomIn, zoomOut, zoomFit
}

/// One entry of the key table: the single source for dispatch, the help screen, the key-hint bar
/// and docs/keys.md.
public struct KeyBinding: Sendable, Hashable {
    /// The keys that trigger it.
    public var keys: [Key]
    /// What it does, for help and hints.
    public var description: String
    /// Where it works: nil everywhere, else only in that pane.
    public var scope: Pane?
    /// Whether it changes the cluster; dangerous bindings ask for confirmation and are removed
    /// in read-only mode.
    public var dangerous: Bool
    /// The command.
    public var command: KeyCommand
    /// Whether the key-hint bar shows it.
    public var hinted: Bool
    /// Whether it exists only in a replay (`scoot-console replay`).
    public var replayOnly = false
}

/// The key table. Navigation keys never do anything destructive (`k` is up, not kill).
public enum KeyTable {
    public static let all: [KeyBinding] = [
        binding([.up, .character("k")], "up", .moveUp),
        binding([.down, .character("j")], "down", .moveDown),
        binding([.pageUp, .control("b")], "page up", .pageUp),
        binding([.pageDown, .control("f")], "page down", .pageDown),
        binding([.character("g"), .home], "first row", .top),
        binding([.character("G"), .end], "last row", .bottom),
        binding([.tab], "next pane", .nextPane, hinted: true),
        binding([.backTab], "previous pane", .previousPane),
        // One key per pane, in tab order, from `Pane` itself: a new pane gets its number here.
        binding(Pane.allCases.map(\.key), "go to a pane: " + Pane.allCases.map { "\($0.rawValue) \($0.title)" }.joined(separator: ", "), .showPane),
        binding([.enter], "open (job → tasks, task → output, audit entry → all its fields)", .drillIn, hinted: true),
        binding([.escape], "back / close (on the Jobs pane: clear the filter)", .back),
        binding([.character("/")], "filter or search (jobs: text, class:X status:running requestor:Y; tasks, workers: text)", .search, hinted: true),
        binding([.character("n")], "next match (wraps around)", .nextMatch),
        binding([.character("N")], "previous match (wraps around)", .previousMatch),
        binding([.character(":")], "command line", .commandLine, hinted: true),
        binding([.character("?")], "help", .help, hinted: true),
        binding([.character(" ")], "mark / unmark", .mark, scope: .jobs),
        binding([.character("s")], "sort: pick a column (the current one reverses)", .sortMenu, hinted: true),
        binding([.character("S")], "reverse the sort", .sortReverse),
        binding([.character(">")], "sort by the next column", .sortNext),
        binding([.character("<")], "sort by the previous column", .sortPrevious),
        binding([.character("i")], "show the row in full (every field, ids untruncated)", .inspect),
        binding([.character("y")], "copy the row's id to the clipboard (OSC 52)", .copyID),
        binding([.character("L")], "the last messages in full", .messages),
        binding([.control("r")], "retry now (while disconnected) / poll now", .retryNow),
        binding([.character("Z")], "pause / resume refresh", .pause),
        binding([.character("+")], "refresh faster", .refreshFaster),
        binding([.character("-")], "refresh slower", .refreshSlower),
        binding([.character("q")], "quit", .quit, hinted: true),
        binding([.character("x")], "kill job (or marked jobs)", .killJob, scope: .jobs, dangerous: true, hinted: true),
        binding([.character("o")], "offline worker", .offlineWorker, scope: .workers, dangerous: true, hinted: true),
        binding([.character("r")], "reinstate worker", .reinstateWorker, scope: .workers, dangerous: true, hinted: true),
        binding([.character("m")], "set max tasks", .editMaxTasks, dangerous: true),
        binding([.character("p")], "edit class load percents", .editPercents, dangerous: true),
        binding([.character("M")], "edit requestor map", .editRequestorMap, dangerous: true),
        binding([.character("t")], "set rebalance threshold", .editThreshold, dangerous: true),
        binding([.character("d")], "set rebalance minimum duration", .editDuration, dangerous: true),
        replayBinding([.character("P")], "replay: play / pause (Z too; + and - change the speed, 1× to 64×)", .replayPlayPause),
        replayBinding([.character(".")], "replay: the next recorded poll", .replayStepForward),
        replayBinding([.character(",")], "replay: the previous recorded poll", .replayStepBack),
        replayBinding([.character("f")], "replay: forward 1 minute", .replayForward),
        replayBinding([.character("b")], "replay: back 1 minute", .replayBack),
        replayBinding([.character("F")], "replay: forward 10 minutes", .replayForwardFar),
        replayBinding([.character("B")], "replay: back 10 minutes", .replayBackFar),
    ] + timelineBindings

    /// The Tasks pane's timeline (docs/console.md, "The task timeline").
    static let timelineBindings: [KeyBinding] = [
        binding([.character("T")], "timeline (each task's attempts over time; T again: the table)", .toggleTimeline, scope: .tasks, hinted: true),
        binding([.left, .character("h")], "timeline: time cursor earlier (one column)", .timeEarlier, scope: .tasks),
        binding([.right, .character("l")], "timeline: time cursor later (one column)", .timeLater, scope: .tasks),
        binding([.character("]")], "timeline: zoom in (around the time cursor)", .zoomIn, scope: .tasks),
        binding([.character("[")], "timeline: zoom out", .zoomOut, scope: .tasks),
        binding([.character("0")], "timeline: fit the whole job", .zoomFit, scope: .tasks),
    ]

    private static func replayBinding(_ keys: [Key], _ description: String, _ command: KeyCommand) -> KeyBinding {
        var binding = binding(keys, description, command, hinted: command == .replayPlayPause || command == .replayStepForward)
        binding.replayOnly = true
        return binding
    }

    private static func binding(
        _ keys: [Key], _ description: String, _ command: KeyCommand, scope: Pane? = nil, dangerous: Bool = false, hinted: Bool = false
    ) -> KeyBinding {
        KeyBinding(keys: keys, description: description, scope: scope, dangerous: dangerous, command: command, hinted: hinted)
    }

    /// The bindings available in `pane`, without dangerous ones when `readOnly`, with the
    /// replay's own only in a replay.
    public static func bindings(in pane: Pane, readOnly: Bool, replay: Bool = false) -> [KeyBinding] {
        all.filter { ($0.scope == nil || $0.scope == pane) && !(readOnly && $0.dangerous) && (replay || !$0.replayOnly) }
    }

    /// The command `key` triggers in `pane`, if any.
    public static func command(for key: Key, in pane: Pane, readOnly: Bool, replay: Bool = false) -> KeyCommand? {
        bindings(in: pane, readOnly: readOnly, replay: replay).first { $0.keys.contains(key) }?.command
    }

    /// docs/keys.md, generated from the table (a test fails when the committed file differs).
    public static func markdown() -> String {
        var lines = [
            "# Keys", "",
            "Generated from `KeyTable.all` (Sources/ConsoleApp/Update/KeyTable.swift); a test fails when this file is stale.",
            "Dangerous actions ask for confirmation (Cancel focused) and are not available with `--read-only`.", "",
            "| keys | action | where | dangerous |", "|---|---|---|---|",
        ]
        for binding in all {
            let keys = binding.keys.map { "`\($0.description == "|" ? "\\|" : $0.description)`" }.joined(separator: " ")
            let scope = binding.replayOnly ? "replay" : binding.scope?.title ?? "everywhere"
            lines.append("| \(keys) | \(binding.description) | \(scope) | \(binding.dangerous ? "yes" : "") |")
        }
        lines += ["", "## Command line (`:`)", "", "| command | action |", "|---|---|"]
        for (command, meaning) in CommandParser.usage { lines.append("| `\(command)` | \(meaning) |") }
        return lines.joined(separator: "\n") + "\n"
    }
}
