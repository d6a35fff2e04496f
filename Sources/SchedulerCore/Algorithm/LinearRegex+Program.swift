extension LinearRegex {
    /// A compiled pattern: a Thompson NFA as instructions for the Pike VM in `matches(_:)`.
    struct Program: Sendable, Hashable {
        /// The instructions; execution starts at index 0.
        var instructions: [Instruction]
        /// Whether some instruction compares case-insensitively, so the VM must look up each
        /// scalar's case variants.
        var foldsCase: Bool
    }

    /// One NFA state. Jump targets are offsets from the instruction itself, so a fragment of
    /// instructions can be copied or concatenated without relocating anything.
    enum Instruction: Sendable, Hashable {
        /// Consumes one scalar of the set, then continues at the next instruction.
        case consume(ScalarSet)
        /// Continues at the next instruction if the assertion holds, without consuming.
        case assert(Assertion)
        /// Continues at both `self + first` and `self + second`.
        case split(Int, Int)
        /// Continues at `self + offset`.
        case jump(Int)
        /// The pattern has matched.
        case match
    }

    /// The scalars on either side of a point in the text; nil past either end.
    struct Position {
        var previous: UInt32?
        var next: UInt32?
    }

    /// A zero-width condition on a position.
    enum Assertion: Sendable, Hashable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

        func holds(at position: Position) -> Bool {
            switch self {
            case .beginText: position.previous == nil
            case .endText: position.next == nil
            case .beginLine: position.previous == nil || position.previous == newline
            case .endLine: position.next == nil || position.next == newline
            case .wordBoundary: isWordScalar(position.previous) != isWordScalar(position.next)
            case .notWordBoundary: isWordScalar(position.previous) == isWordScalar(position.next)
            }
        }

        private func isWordScalar(_ value: UInt32?) -> Bool {
            guard let value else { return false }
            return ScalarSet.contains(value, in: CharacterGroup.perlWord.ranges)
        }
    }

    /// An inclusive range of scalar values.
    struct ScalarRange: Sendable, Hashable {
        var lower: UInt32
        var upper: UInt32

        init(_ lower: UInt32, _ upper: UInt32) {
            self.lower = lower
            self.upper = upper
        }

        init(_ value: UInt32) { self.init(value, value) }
    }

    /// The scalars one `consume` instruction accepts.
    struct ScalarSet: Sendable, Hashable {
        /// Sorted, disjoint, non-adjacent ranges.
        var ranges: [ScalarRange]
        /// Accepts the scalars *not* in `ranges` (applied after case folding, as Go negates a
        /// class after folding its items).
        var isNegated = false
        /// Also accepts a scalar when one of its case variants is in `ranges`.
        var foldsCase = false

        /// Any scalar, or any but `\n`.
        static func dot(matchingNewline: Bool) -> ScalarSet {
            matchingNewline
                ? ScalarSet(ranges: [ScalarRange(0, maximumScalar)])
                : ScalarSet(ranges: [ScalarRange(0, newline - 1), ScalarRange(newline + 1, maximumScalar)])
        }

        /// Whether the instruction consumes `value`, given `value`'s case variants (empty unless
        /// the program folds case).
        func accepts(_ value: UInt32, caseVariants: [UInt32]) -> Bool {
            var found = Self.contains(value, in: ranges)
            if !found, foldsCase {
                found = caseVariants.contains { Self.contains($0, in: ranges) }
            }
            return found != isNegated
        }

        /// Binary search in sorted, disjoint ranges.
        static func contains(_ value: UInt32, in ranges: [ScalarRange]) -> Bool {
            var low = 0, high = ranges.count
            while low < high {
                let middle = (low + high) / 2
                if value < ranges[middle].lower {
                    high = middle
                } else if value > ranges[middle].upper {
                    low = middle + 1
                } else {
                    return true
                }
            }
            return false
        }

        /// Sorts and merges overlapping or adjacent ranges.
        static func normalized(_ ranges: [ScalarRange]) -> [ScalarRange] {
            var merged: [ScalarRange] = []
            for range in ranges.sorted(by: { $0.lower < $1.lower }) {
                if let last = merged.last, range.lower <= last.upper + 1 {
                    merged[merged.count - 1].upper = max(last.upper, range.upper)
                } else {
                    merged.append(range)
                }
            }
            return merged
        }

        /// Every scalar value not in `ranges` (which must be normalized).
        static func complement(_ ranges: [ScalarRange]) -> [ScalarRange] {
            var result: [ScalarRange] = []
            var nextLower: UInt32 = 0
            for range in ranges {
                if range.lower > nextLower { result.append(ScalarRange(nextLower, range.lower - 1)) }
                nextLower = range.upper + 1
            }
            if nextLower <= maximumScalar { result.append(ScalarRange(nextLower, maximumScalar)) }
            return result
        }

        /// `ranges` plus every case variant of their scalars; meant for the small ASCII groups.
        static func addingCaseVariants(_ ranges: [ScalarRange]) -> [ScalarRange] {
            var result = ranges
            for range in ranges {
                for value in range.lower...range.upper {
                    result += caseVariants(of: value).map { ScalarRange($0) }
                }
            }
            return normalized(result)
        }
    }

    /// A named set of scalars: Perl's `\d \s \w` and the POSIX `[:name:]` classes, all ASCII as in Go.
    struct CharacterGroup {
        var ranges: [ScalarRange]
        var isNegated = false

        static let perlDigit = CharacterGroup(ranges: ascii("09"))
        static let perlSpace = CharacterGroup(ranges: [ScalarRange(0x09, 0x0A), ScalarRange(0x0C, 0x0D), ScalarRange(0x20)])
        static let perlWord = CharacterGroup(ranges: ascii("09AZ__az"))

        /// `\d \D \s \S \w \W`, by the letter after the backslash.
        static func perl(_ letter: Unicode.Scalar) -> CharacterGroup? {
            switch letter {
            case "d": perlDigit
            case "D": CharacterGroup(ranges: perlDigit.ranges, isNegated: true)
            case "s": perlSpace
            case "S": CharacterGroup(ranges: perlSpace.ranges, isNegated: true)
            case "w": perlWord
            case "W": CharacterGroup(ranges: perlWord.ranges, isNegated: true)
            default: nil
            }
        }

        /// `[:alpha:]`, `[:^alpha:]` and the rest of Go's POSIX classes, by the name between the colons.
        static func posix(_ name: String) -> CharacterGroup? {
            let isNegated = name.hasPrefix("^")
            let ranges: [ScalarRange]
            switch isNegated ? String(name.dropFirst()) : name {
            case "alnum": ranges = ascii("09AZaz")
            case "alpha": ranges = ascii("AZaz")
            case "ascii": ranges = [ScalarRange(0, 0x7F)]
            case "blank": ranges = [ScalarRange(0x09), ScalarRange(0x20)]
            case "cntrl": ranges = [ScalarRange(0, 0x1F), ScalarRange(0x7F)]
            case "digit": ranges = ascii("09")
            case "graph": ranges = ascii("!~")
            case "lower": ranges = ascii("az")
            case "print": ranges = ascii(" ~")
            case "punct": ranges = ascii("!/:@[`{~")
            case "space": ranges = [ScalarRange(0x09, 0x0D), ScalarRange(0x20)]
            case "upper": ranges = ascii("AZ")
            case "word": ranges = ascii("09AZ__az")
            case "xdigit": ranges = ascii("09AFaf")
            default: return nil
            }
            return CharacterGroup(ranges: ranges, isNegated: isNegated)
        }

        /// Ranges from pairs of bounds: `"09az"` is 0-9 and a-z.
        private static func ascii(_ bounds: String) -> [ScalarRange] {
            let values = bounds.unicodeScalars.map(\.value)
            return stride(from: 0, to: values.count, by: 2).map { ScalarRange(values[$0], values[$0 + 1]) }
        }
    }

    static let newline: UInt32 = 0x0A
    static let maximumScalar: UInt32 = 0x10FFFF

    /// The other scalars that `value` matches case-insensitively: the rest of its case-folding
    /// orbit, as Go's `unicode.SimpleFold` cycles through it (`k K \u{212A}`, `µ Μ μ`, `σ ς Σ`).
    static func caseVariants(of value: UInt32) -> [UInt32] {
        value < 0x80 ? asciiCaseVariants[Int(value)] : caseOrbits[value] ?? []
    }

    /// Each cased scalar → the others in its orbit: the scalars that simple uppercasing then
    /// lowercasing maps to the same scalar. Built once, on first use by a non-ASCII scalar;
    /// every cased scalar is in planes 0 and 1.
    private static let caseOrbits: [UInt32: [UInt32]] = {
        var orbitsByKey: [UInt32: [UInt32]] = [:]
        for value in UInt32(0x41)...0x1FFFF where value != dotlessI {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            orbitsByKey[foldKey(of: scalar), default: []].append(value)
        }
        var variants: [UInt32: [UInt32]] = [:]
        for orbit in orbitsByKey.values where orbit.count > 1 {
            for member in orbit { variants[member] = orbit.filter { $0 != member } }
        }
        return variants
    }()

    /// ı uppercases to I, but Unicode case folding (and so Go) keeps it apart from I and i.
    private static let dotlessI: UInt32 = 0x131

    /// The lowercase of the uppercase, ignoring mappings to several scalars (ß → SS).
    private static func foldKey(of scalar: Unicode.Scalar) -> UInt32 {
        func simple(_ mapping: String, or original: Unicode.Scalar) -> Unicode.Scalar {
            let scalars = mapping.unicodeScalars
            guard scalars.count == 1, let only = scalars.first else { return original }
            return only
        }
        let upper = simple(scalar.properties.uppercaseMapping, or: scalar)
        return simple(upper.properties.lowercaseMapping, or: upper).value
    }

    /// ASCII letters' orbits without building `caseOrbits`: the other case, plus K KELVIN SIGN
    /// (U+212A) for k and LATIN SMALL LETTER LONG S (U+017F) for s.
    private static let asciiCaseVariants: [[UInt32]] = (0..<UInt32(0x80)).map { value -> [UInt32] in
        let lower = value | 0x20
        guard (0x61...0x7A).contains(lower) else { return [] }
        var variants = [value ^ 0x20]
        if lower == 0x6B { variants.append(0x212A) }
        if lower == 0x73 { variants.append(0x017F) }
        return variants
    }
}
