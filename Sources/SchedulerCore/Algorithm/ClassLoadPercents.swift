/// Class load percents: validation and Scoot's normalization to a sum of 100.
public enum ClassLoadPercents {
    /// Scoot's defaults (`DefaultLoadBasedSchedulerClassPercents`).
    public static let scootDefaults: [String: Int] = [
        "land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2, "unknown": 1,
    ]

    /// Why a percent map was refused.
    public struct InvalidPercents: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// Checks a map before it replaces the current one: not empty, no negative value, not all
    /// zero (Scoot crashes or divides by zero on these; docs/deviations.md).
    public static func validate(_ percents: [String: Int]) throws(InvalidPercents) {
        guard !percents.isEmpty else {
            throw InvalidPercents(description: "class load percents must name at least one class")
        }
        if let (name, value) = percents.sorted(by: { $0.key < $1.key }).first(where: { $0.value < 0 }) {
            throw InvalidPercents(description: "class \(name) has a negative load percent \(value); percents must be 0 or more")
        }
        guard percents.values.contains(where: { $0 > 0 }) else {
            throw InvalidPercents(description: "class load percents are all zero; at least one class needs a positive percent")
        }
    }

    /// Classes by descending percent, ties by name: the order in which the algorithm walks them
    /// (Scoot leaves ties in unspecified order).
    public static func descendingOrder(_ percents: [String: Int]) -> [String] {
        percents.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    }

    /// Scales percents to sum to 100 as Scoot does: every class but the largest gets
    /// floor(p × 100 / sum); the largest gets the remainder. A map that sums to 100 is unchanged.
    /// Example: {30, 25, 15, 10, 0} → {39, 31, 18, 12, 0}. Call `validate` first.
    public static func normalized(_ percents: [String: Int]) -> [String: Int] {
        let sum = percents.values.reduce(0, +)
        guard sum != 100, sum > 0 else { return percents }
        let order = descendingOrder(percents)
        var result: [String: Int] = [:]
        for name in order.dropFirst() { result[name] = percents[name]! * 100 / sum }
        result[order[0]] = 100 - result.values.reduce(0, +)
        return result
    }

    /// Entitlements in workers: floor(W × p / 100) for every class but the largest, which takes
    /// the rest, so the targets always add up to W.
    public static func targets(workers: Int, percents: [String: Int]) -> [String: Int] {
        let order = descendingOrder(percents)
        guard let largest = order.first else { return [:] }
        var result: [String: Int] = [:]
        for name in order.dropFirst() { result[name] = workers * percents[name]! / 100 }
        result[largest] = workers - result.values.reduce(0, +)
        return result
    }
}
