/// How much of a split one part takes.
public enum Constraint: Sendable, Hashable {
    /// Exactly `n` cells (less when space runs out).
    case length(Int)
    /// `p` percent of the whole (rounded down).
    case percentage(Int)
    /// At least `n` cells, growing like `.fill(1)` when space is left.
    case min(Int)
    /// A share, by weight, of what the fixed parts leave.
    case fill(Int)
}

/// The direction of a split.
public enum Direction: Sendable, Hashable {
    /// Parts stacked top to bottom.
    case vertical
    /// Parts side by side, left to right.
    case horizontal
}

/// Splits a rectangle into parts by constraints, like ratatui's `Layout`.
///
/// Fixed parts (`length`, `percentage`, the minimum of `min`) are served first, in order, until
/// space runs out; the rest is shared among `fill` and `min` parts by weight, with rounding
/// remainders going to the earliest ones. Parts never overlap and never leave the rectangle.
public struct Layout: Sendable, Hashable {
    public var direction: Direction
    public var constraints: [Constraint]
    /// Empty cells between adjacent parts.
    public var spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = spacing
    }

    /// A top-to-bottom split.
    public static func vertical(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.vertical, constraints, spacing: spacing)
    }

    /// A left-to-right split.
    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.horizontal, constraints, spacing: spacing)
    }

    /// The sizes along the split direction for a total of `total` cells.
    public func sizes(total: Int) -> [Int] {
        let gaps = Swift.max(0, constraints.count - 1) * spacing
        var remaining = Swift.max(0, total - gaps)
        var sizes = Array(repeating: 0, count: constraints.count)
        for (index, constraint) in constraints.enumerated() {
            let wanted: Int
            switch constraint {
            case .length(let n): wanted = n
            case .percentage(let p): wanted = total * p / 100
            case .min(let n): wanted = n
            case .fill: wanted = 0
            }
            sizes[index] = Swift.min(Swift.max(0, wanted), remaining)
            remaining -= sizes[index]
        }
        let weights = constraints.map { constraint -> Int in
            switch constraint {
            case .fill(let weight): Swift.max(0, weight)
            case .min: 1
            default: 0
            }
        }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0, remaining > 0 else { return sizes }
        var shared = 0
        for index in sizes.indices where weights[index] > 0 {
            let share = remaining * weights[index] / totalWeight
            sizes[index] += share
            shared += share
        }
        var leftover = remaining - shared
        for index in sizes.indices where weights[index] > 0 && leftover > 0 {
            sizes[index] += 1
            leftover -= 1
        }
        return sizes
    }

    /// The parts of `area`, one per constraint.
    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .vertical ? area.height : area.width
        var offset = 0
        return sizes(total: total).map { size in
            defer { offset += size + spacing }
            let start = Swift.min(offset, total)
            switch direction {
            case .vertical: return Rect(x: area.x, y: area.y + start, width: area.width, height: size)
            case .horizontal: return Rect(x: area.x + start, y: area.y, width: size, height: area.height)
            }
        }
    }
}
