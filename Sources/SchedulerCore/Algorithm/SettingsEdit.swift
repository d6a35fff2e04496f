/// A change to the class load percents or to the requestor map as an operator types it: some
/// entries changed (the others keep theirs), some removed, or the whole table replaced. Applying
/// it to the current table gives the table to send; what does not fit is refused with the names
/// that do.
public struct SettingsEdit<Value: Sendable & Hashable>: Sendable, Hashable {
    /// Whether the edit changes some entries or replaces the table.
    public enum Mode: Sendable, Hashable {
        /// Entries named change; the others keep their values.
        case merge
        /// The entries given are the whole new table.
        case replace
    }

    /// Merge or replace.
    public var mode: Mode
    /// Entries to set, by name.
    public var set: [String: Value]
    /// Names that may be new (`+name=…`): without it, a merge refuses a name the table lacks.
    public var added: Set<String>
    /// Names to remove (merge only).
    public var removed: Set<String>

    /// Creates an edit.
    public init(mode: Mode, set: [String: Value] = [:], added: Set<String> = [], removed: Set<String> = []) {
        self.mode = mode
        self.set = set
        self.added = added
        self.removed = removed
    }

    /// Why an edit cannot be applied, naming what exists.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and what would be accepted.
        public var description: String
    }

    /// The table after the edit; `noun` and `plural` name the entries in messages ("class",
    /// "classes").
    /// A merge refuses to set a name the table lacks unless it is `added`, to add one it has,
    /// and to remove one it lacks.
    public func applied(to current: [String: Value], noun: String, plural: String) throws(Refusal) -> [String: Value] {
        guard mode == .merge else { return set }
        let known = current.keys.sorted().joined(separator: ", ")
        var result = current
        for name in removed.sorted() {
            guard result.removeValue(forKey: name) != nil else {
                throw Refusal(description: "no \(noun) '\(name)' to remove; the \(plural) are \(known)")
            }
        }
        for (name, value) in set.sorted(by: { $0.key < $1.key }) {
            if added.contains(name) {
                guard current[name] == nil else { throw Refusal(description: "\(noun) '\(name)' exists already; change it with \(name)=…") }
            } else if current[name] == nil {
                throw Refusal(description: "unknown \(noun) '\(name)'; the \(plural) are \(known) (a new one is +\(name)=…)")
            }
            result[name] = value
        }
        return result
    }
}

extension SettingsEdit where Value == String {
    /// A requestor map edit applied to `current`, each target checked against `classes` (the
    /// class load percents' names): a class with no percent is refused with the known ones.
    /// New patterns need no `+`: adding one is the usual change to a map.
    public func appliedMap(to current: [String: String], classes: Set<String>) throws(Refusal) -> [String: String] {
        var edit = self
        edit.added = Set(set.keys).subtracting(current.keys)
        let result = try edit.applied(to: current, noun: "pattern", plural: "patterns")
        for (pattern, className) in set.sorted(by: { $0.key < $1.key }) where !classes.contains(className) {
            throw Refusal(description: "pattern '\(pattern)' maps to unknown class '\(className)'; the classes are \(classes.sorted().joined(separator: ", "))")
        }
        return result
    }
}
