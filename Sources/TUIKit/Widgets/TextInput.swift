/// The text of a one-line input and where its cursor is, with the editing keys of a shell's line
/// editor: characters insert at the cursor, ←/→ and Home/End (C-a/C-e) move, Backspace deletes
/// before the cursor and Del under it, C-u deletes to the start, C-k to the end and C-w the word
/// before the cursor. `TextField` draws it.
public struct TextInput: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The text typed so far.
    public private(set) var text: String
    /// The cursor position in characters, 0…`text.count`.
    public private(set) var cursor: Int

    /// An input holding `text` with the cursor at its end.
    public init(_ text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { text }

    /// Whether nothing is typed.
    public var isEmpty: Bool { text.isEmpty }

    /// Applies `key`; returns false for a key that is not an editing key (the caller's to handle).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        var characters = Array(text)
        switch key {
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .left: cursor = Swift.max(0, cursor - 1)
        case .right: cursor = Swift.min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .control("k"):
            characters.removeSubrange(cursor...)
        case .control("w"):
            // The word before the cursor and the spaces after it, as a shell does.
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        text = String(characters)
        return true
    }

    /// Replaces the whole text, cursor at the end (a history entry recalled).
    public mutating func replace(with text: String) {
        self = TextInput(text)
    }
}

/// Lines entered before, newest last, for ↑/↓ in an input (a shell's history): at most
/// `capacity` entries, an entry equal to the last one not repeated.
public struct InputHistory: Sendable, Hashable {
    /// The most entries kept; older ones are dropped.
    public static let capacity = 100
    /// The entries, oldest first.
    public private(set) var entries: [String] = []
    /// Where ↑/↓ stand: nil while editing a new line.
    private var position: Int?
    /// What was typed before ↑ first moved into the history, given back by ↓ past the newest.
    private var draft = ""

    public init() {}

    /// Records `line` (blank lines are not kept) and leaves the history.
    public mutating func record(_ line: String) {
        position = nil
        guard line.contains(where: { $0 != " " && $0 != "\t" }), entries.last != line else { return }
        entries.append(line)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// The entry before the current one (↑), or nil at the oldest; `current` is kept as the draft.
    public mutating func older(than current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let next: Int
        if let position {
            guard position > 0 else { return nil }
            next = position - 1
        } else {
            draft = current
            next = entries.count - 1
        }
        position = next
        return entries[next]
    }

    /// The entry after the current one (↓), the draft past the newest, nil when not in the history.
    public mutating func newer() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Leaves the history without recording (the input was cancelled).
    public mutating func reset() { position = nil }
}
