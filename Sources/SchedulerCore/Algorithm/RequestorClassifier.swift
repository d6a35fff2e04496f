/// Maps a requestor to a scheduling class with unanchored regular expressions, as Scoot's
/// `GetRequestorClass` does, but deterministically: when several patterns match, the longest
/// pattern wins, ties broken by the pattern text (Scoot takes whichever it meets first in Go's
/// random map order, so a requestor's class can change between iterations).
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

    private struct Rule: @unchecked Sendable {
        // Regex<AnyRegexOutput> is immutable once compiled; it is only read.
        let pattern: String
        let regex: Regex<AnyRegexOutput>
        let className: String
    }

    /// Pattern → class, as given.
    public let patterns: [String: String]
    private let rules: [Rule]

    /// Compiles `patterns`; an invalid regular expression is an error naming it.
    public init(_ patterns: [String: String]) throws(InvalidMap) {
        var rules: [Rule] = []
        for (pattern, className) in patterns {
            do {
                rules.append(Rule(pattern: pattern, regex: try Regex(pattern), className: className))
            } catch {
                throw InvalidMap(description: "requestor pattern '\(pattern)' is not a valid regular expression: \(error)")
            }
        }
        self.patterns = patterns
        self.rules = rules.sorted { $0.pattern.count != $1.pattern.count ? $0.pattern.count > $1.pattern.count : $0.pattern < $1.pattern }
    }

    /// Scoot's default map.
    public static let scootDefault: RequestorClassifier = try! RequestorClassifier(scootDefaults)

    /// Checks that every pattern's class has a percent entry.
    public func validate(against percents: [String: Int]) throws(InvalidMap) {
        for rule in rules where percents[rule.className] == nil {
            throw InvalidMap(description: "requestor pattern '\(rule.pattern)' maps to class '\(rule.className)', which has no load percent; add the class first")
        }
    }

    /// The class of `requestor`'s jobs: the longest matching pattern's class if that class has a
    /// percent, otherwise the class with the smallest percent (ties: the first by name).
    /// `matched` is false when that fallback was used.
    public func classify(_ requestor: String, percents: [String: Int]) -> (className: String, matched: Bool)? {
        for rule in rules where percents[rule.className] != nil {
            if (try? rule.regex.firstMatch(in: requestor)) != nil { return (rule.className, true) }
        }
        guard let smallest = percents.min(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }) else { return nil }
        return (smallest.key, false)
    }
}
