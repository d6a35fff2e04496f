import SchedulerCore
/// The `:` command line: every action by name, parsed with messages that say what is wrong and
/// what is expected. Nothing is sent for input that does not parse.
public enum CommandParser {
    /// A command line that does not parse.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// What a command asks for: an action (to confirm), or a UI command.
    public enum Command: Sendable, Hashable {
        case action(ConsoleAction)
        case quit
        case help
        case filter(String)
        /// Open the Audit pane.
        case audit
        /// Open the Events pane.
        case events
        /// Show the flash line's last messages.
        case messages
        /// Sort the pane by the column whose title starts with the text; nil keeps or picks the
        /// column's own direction.
        case sort(column: String, ascending: Bool?)
        /// Jump a replay to a time (`03:12:30`, `2026-12-03 03:12`, `-10m`).
        case goTo(String)
        /// Write the pane and the screen to a file (nil: a new file in the dumps directory).
        case dump(String?)
        /// Follow job ids on a plain Scoot scheduler (which cannot list jobs).
        case track([String])
        /// Stop following job ids.
        case untrack([String])
        /// Change some class load percents, or replace them all; resolved against the current
        /// settings before it becomes an action.
        case editPercents(SettingsEdit<Int32>)
        /// Change some requestor patterns, or replace the map; resolved like `editPercents`.
        case editRequestorMap(SettingsEdit<String>)
    }

    /// The commands, for help and completion.
    public static let usage: [(String, String)] = [
        (":kill ID [ID …]", "kill jobs"),
        (":offline WORKER", "take a worker out of rotation"),
        (":reinstate WORKER", "put an offlined worker back"),
        (":maxtasks N", "task throttle (-1 = unlimited)"),
        (":percents land=45,diff=20", "change these classes' load percents (the others keep theirs)"),
        (":percents +new=5,-ktf", "add a class, remove a class"),
        (":percents =land=60,diff=40", "replace the whole table (a leading =)"),
        (":map ^ci-.*=land,-^old-", "add or change requestor patterns, remove one"),
        (":map =REGEX=CLASS,…", "replace the whole requestor map (a leading =)"),
        (":threshold N", "rebalance threshold in percentage points (0 = off)"),
        (":duration N", "rebalance minimum duration in minutes"),
        (":filter TEXT", "filter jobs (same as /)"),
        (":audit", "the audit log: actions from this console and the CLI, newest first (same as 6)"),
        (":events", "what the console saw happen: settings changes by anyone, workers, actions, rebalances (same as 7)"),
        (":sort COLUMN [asc|desc]", "sort this pane by a column (its title or the start of it)"),
        (":messages", "the flash line's last messages in full (same as L)"),
        (":dump [FILE]", "write this pane (TSV and JSON) and the screen (text) to a file, for an incident channel"),
        (":goto TIME", "in a replay: jump to 03:12:30, 2026-12-03 03:12 or -10m / +90s"),
        (":track ID [ID …]", "follow jobs on a plain Scoot scheduler"),
        (":untrack ID [ID …]", "stop following jobs"),
        (":help", "keys and commands"),
        (":quit", "leave the console"),
    ]

    /// Parses a command line (without the leading `:`).
    public static func parse(_ line: String) throws(ParseError) -> Command {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let name = words.first?.lowercased() else { throw ParseError(description: "empty command; try :help") }
        return try parse(command: name, arguments: Array(words.dropFirst()))
    }

    /// Parses command `name` with the text typed for its arguments (a settings form's field).
    /// The text is split on its own, never glued to the name: a combining mark typed first
    /// would join the space in between and vanish with it.
    public static func parse(command name: String, argumentText text: String) throws(ParseError) -> Command {
        try parse(command: name, arguments: text.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    private static func parse(command name: String, arguments rest: [String]) throws(ParseError) -> Command {
        switch name {
        case "q", "quit": return .quit
        case "help", "h": return .help
        case "filter": return .filter(rest.joined(separator: " "))
        case "audit": return .audit
        case "dump":
            guard rest.count <= 1 else { throw ParseError(description: ":dump takes at most one file name (no spaces), got \(rest.count) words") }
            return .dump(rest.first)
        case "goto":
            guard !rest.isEmpty else { throw ParseError(description: ":goto needs a time: 03:12:30, 2026-12-03 03:12 or -10m") }
            return .goTo(rest.joined(separator: " "))
        case "events": return .events
        case "messages", "msgs": return .messages
        case "sort":
            guard let column = rest.first, rest.count <= 2 else { throw ParseError(description: ":sort needs a column, e.g. :sort age or :sort run desc") }
            switch rest.dropFirst().first?.lowercased() {
            case nil: return .sort(column: column, ascending: nil)
            case "asc", "ascending", "up": return .sort(column: column, ascending: true)
            case "desc", "descending", "down": return .sort(column: column, ascending: false)
            case let other?: throw ParseError(description: ":sort \(column) takes asc or desc, not \(other)")
            }
        case "track", "untrack":
            guard !rest.isEmpty else { throw ParseError(description: ":\(name) needs a job id, e.g. :\(name) 4b0f8f1e-…") }
            return name == "track" ? .track(rest) : .untrack(rest)
        case "kill":
            guard !rest.isEmpty else { throw ParseError(description: ":kill needs a job id, e.g. :kill 4b0f8f1e-…") }
            return .action(.killJobs(rest))
        case "offline", "reinstate":
            guard rest.count == 1 else { throw ParseError(description: ":\(name) needs one worker id, e.g. :\(name) local-0") }
            return .action(name == "offline" ? .offlineWorker(rest[0]) : .reinstateWorker(rest[0]))
        case "maxtasks":
            let value = try integer(rest, command: name, minimum: -1, example: "500 (or -1 for unlimited)")
            return .action(.setMaxTasks(value))
        case "threshold":
            return .action(.setRebalanceThreshold(try integer(rest, command: name, minimum: 0, example: "30 (0 turns rebalancing off)")))
        case "duration":
            return .action(.setRebalanceMinimumDuration(try integer(rest, command: name, minimum: 0, example: "4")))
        case "percents":
            return .editPercents(try percentsEdit(rest.joined()))
        case "map":
            return .editRequestorMap(try requestorMapEdit(rest.joined(separator: " ")))
        default:
            throw ParseError(description: "unknown command :\(name); try :help")
        }
    }

    /// `land=45,diff=20` (change these), `+new=5` (add), `-ktf` (remove), or `=land=60,diff=40`
    /// (a leading `=`: the whole table).
    public static func percentsEdit(_ text: String) throws(ParseError) -> SettingsEdit<Int32> {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("=") { return SettingsEdit(mode: .replace, set: try percents(String(trimmed.dropFirst()))) }
        var edit = SettingsEdit<Int32>(mode: .merge)
        for entry in trimmed.split(separator: ",").map({ String($0).trimmingSpaces() }) where !entry.isEmpty {
            if entry.hasPrefix("-") {
                let name = String(entry.dropFirst())
                guard !name.isEmpty, !name.contains("=") else { throw ParseError(description: "'\(entry)' is not -CLASS; e.g. -ktf removes class ktf") }
                guard edit.removed.insert(name).inserted, edit.set[name] == nil else { throw ParseError(description: "class \(name) is given twice") }
                continue
            }
            let isNew = entry.hasPrefix("+")
            let (name, value) = try percentEntry(isNew ? String(entry.dropFirst()) : entry)
            guard edit.set.updateValue(value, forKey: name) == nil, !edit.removed.contains(name) else {
                throw ParseError(description: "class \(name) is given twice")
            }
            if isNew { edit.added.insert(name) }
        }
        guard !edit.set.isEmpty || !edit.removed.isEmpty else {
            throw ParseError(description: "no percents given; e.g. :percents land=45,diff=20 (or =land=60,diff=40 for the whole table)")
        }
        return edit
    }

    /// `name=N` with N a whole number of 0 or more.
    private static func percentEntry(_ entry: String) throws(ParseError) -> (String, Int32) {
        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw ParseError(description: "'\(entry)' is not CLASS=PERCENT; e.g. land=40,diff=25")
        }
        guard let value = Int32(parts[1]) else { throw ParseError(description: "\(parts[0]): '\(parts[1])' is not a whole number") }
        guard value >= 0 else { throw ParseError(description: "\(parts[0]): percent \(value) is negative") }
        return (parts[0], value)
    }

    /// `^ci-.*=land` (add or change these patterns), `-^old-` (remove), or `=REGEX=CLASS,…` (a
    /// leading `=`: the whole map).
    public static func requestorMapEdit(_ text: String) throws(ParseError) -> SettingsEdit<String> {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("=") { return SettingsEdit(mode: .replace, set: try requestorMap(String(trimmed.dropFirst()))) }
        var edit = SettingsEdit<String>(mode: .merge)
        var additions: [String] = []
        for entry in trimmed.split(separator: ",").map({ String($0).trimmingSpaces() }) where !entry.isEmpty {
            if entry.hasPrefix("-"), !entry.contains("=") {
                edit.removed.insert(String(entry.dropFirst()))
            } else {
                additions.append(entry)
            }
        }
        if !additions.isEmpty { edit.set = try requestorMap(additions.joined(separator: ",")) }
        guard !edit.set.isEmpty || !edit.removed.isEmpty else {
            throw ParseError(description: "no mapping given; e.g. :map ^ci-.*=land (or =REGEX=CLASS,… for the whole map)")
        }
        return edit
    }

    /// `land=40,diff=25` → percents; rejects empty, negative, all-zero and malformed entries.
    public static func percents(_ text: String) throws(ParseError) -> [String: Int32] {
        var result: [String: Int32] = [:]
        for entry in text.split(separator: ",").map({ String($0).trimmingSpaces() }) where !entry.isEmpty {
            let (name, value) = try percentEntry(entry)
            guard result.updateValue(value, forKey: name) == nil else { throw ParseError(description: "class \(name) is given twice") }
        }
        guard !result.isEmpty else { throw ParseError(description: "no percents given; e.g. :percents land=40,diff=25") }
        guard result.values.contains(where: { $0 > 0 }) else { throw ParseError(description: "all percents are zero; at least one class needs a share") }
        return result
    }

    /// `^ci-.*=land,dev=diff` → map; every pattern must be a valid regular expression.
    public static func requestorMap(_ text: String) throws(ParseError) -> [String: String] {
        var result: [String: String] = [:]
        for entry in text.split(separator: ",").map({ String($0).trimmingSpaces() }) where !entry.isEmpty {
            guard let separator = entry.lastIndex(of: "=") else { throw ParseError(description: "'\(entry)' is not REGEX=CLASS") }
            let pattern = String(entry[..<separator]), className = String(entry[entry.index(after: separator)...])
            guard !pattern.isEmpty, !className.isEmpty else { throw ParseError(description: "'\(entry)' is not REGEX=CLASS") }
            // The scheduler's own syntax check (RE2, as Scoot's Go regexp), so the console refuses
            // exactly what the scheduler would.
            do {
                _ = try LinearRegex(pattern)
            } catch {
                throw ParseError(description: "'\(pattern)' is not a valid regular expression: \(error)")
            }
            result[pattern] = className
        }
        guard !result.isEmpty else { throw ParseError(description: "no mapping given; e.g. :map ^ci-.*=land") }
        return result
    }

    private static func integer(_ words: [String], command: String, minimum: Int32, example: String) throws(ParseError) -> Int32 {
        guard words.count == 1 else { throw ParseError(description: ":\(command) needs one number, e.g. :\(command) \(example)") }
        guard let value = Int32(words[0]) else { throw ParseError(description: ":\(command): '\(words[0])' is not a whole number; e.g. :\(command) \(example)") }
        guard value >= minimum else { throw ParseError(description: ":\(command): \(value) is below \(minimum)") }
        return value
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
