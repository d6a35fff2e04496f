import Synchronization

/// Maps a requestor to a scheduling class with unanchored regular expressions, as Scoot's
/// `GetRequestorClass` does, but deterministically: when several patterns match, the longest
/// pattern wins, ties broken by the pattern text (Scoot takes whichever it meets first in Go's
/// random map order, so a requestor's class can change between iterations).
///
/// Patterns use Go's RE2 syntax and are matched by `LinearRegex` in time linear in the
/// requestor's length, so no pattern can stall scheduling, and each match has a budget of
/// `matchBudget` steps on top (a pattern that runs out of it counts as not matching), so even a
/// megabyte-long requestor against the largest pattern costs at most about a millisecond per
/// pattern. Which rules match a requestor is computed once and cached.
public struct RequestorClassifier: Sendable {
    /// Why a requestor map was refused.
    public struct InvalidMap: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Scoot's defaults (`DefaultRequestorToClassMap`).
    public static let scootDefaults: [String: String] = [
        "land.*": "land", "diff.*": "diff", "sandbox.*": "sandbox", "regression.*": "regression", "CI.*": "regression",
        "jenkins.*": "ktf", "ktf.*": "ktf", "coverage.*": "coverage", "tryout.*": "tryout",
    ]

    private struct Rule: Sendable {
        let pattern: String
        let regex: LinearRegex
        let className: String
    }

    /// Pattern → class, as given.
    public let patterns: [String: String]
    /// Longest pattern first, ties by pattern text.
    private let rules: [Rule]
    private let matchingRules = MatchingRulesCache()

    /// The most steps one pattern may take on one requestor (a step is one state of the
    /// pattern's automaton at one character): about a millisecond. Ordinary requestors and
    /// patterns need a few thousand.
    public static let matchBudget = 200_000

    /// Compiles `patterns`; an invalid regular expression is an error naming it.
    public init(_ patterns: [String: String]) throws(InvalidMap) {
        var rules: [Rule] = []
        for (pattern, className) in patterns {
            do {
                rules.append(Rule(pattern: pattern, regex: try LinearRegex(pattern), className: className))
            } catch {
                throw InvalidMap(description: "requestor pattern '\(pattern)' is not a valid regular expression: \(error)")
            }
        }
        self.patterns = patterns
        self.rules = rules.sorted { $0.pattern.count != $1.pattern.count ? $0.pattern.count > $1.pattern.count : $0.pattern < $1.pattern }
    }

    /// Scoot's default map.
    public static let scootDefault: RequestorClassifier = try! RequestorClassifier(scootDefaults)

    /// The classes patterns map to that have no percent entry, sorted. Scoot accepts such a map;
    /// requestors those patterns match are unmatched (they go to the smallest class).
    public func danglingClasses(against percents: [String: Int]) -> [String] {
        Set(rules.map(\.className).filter { percents[$0] == nil }).sorted()
    }

    /// The class of `requestor`'s jobs: the longest matching pattern's class if that class has a
    /// percent, otherwise the class with the smallest percent (ties: the first by name).
    /// `matched` is false when that fallback was used.
    public func classify(_ requestor: String, percents: [String: Int]) -> (className: String, matched: Bool)? {
        let matching = matchingRules.indices(for: requestor) {
            rules.indices.filter { rules[$0].regex.match(requestor, budget: Self.matchBudget) == .matched }
        }
        for index in matching where percents[rules[index].className] != nil {
            return (rules[index].className, true)
        }
        guard let smallest = percents.min(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }) else { return nil }
        return (smallest.key, false)
    }

    /// How many requestors the cache holds now (at most `MatchingRulesCache.capacity`).
    var cachedRequestorCount: Int { matchingRules.count }
}

/// Requestor → indices (in rule order) of the rules whose patterns match it. The indices, not
/// a class, are cached because which of them counts depends on the percents given to
/// `classify`. Shared by copies of a classifier, whose rules are the same.
///
/// Bounded: it holds at most `capacity` requestors, each at most `maximumRequestorLength`
/// UTF-8 bytes (longer ones are matched every time), and empties itself when full, so its
/// memory stays under a few megabytes whatever requestors arrive.
final class MatchingRulesCache: Sendable {
    static let capacity = 4_096
    static let maximumRequestorLength = 1_024

    private let entries = Mutex<[String: [Int]]>([:])

    /// The cached indices for `requestor`, or `compute()`'s, which are then cached.
    /// `compute` runs outside the lock.
    func indices(for requestor: String, compute: () -> [Int]) -> [Int] {
        guard requestor.utf8.count <= Self.maximumRequestorLength else { return compute() }
        if let cached = entries.withLock({ $0[requestor] }) { return cached }
        let computed = compute()
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[requestor] = computed
        }
        return computed
    }

    var count: Int { entries.withLock { $0.count } }
}
