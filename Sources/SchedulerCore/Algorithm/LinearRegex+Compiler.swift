extension LinearRegex {
    /// Most instructions a program may have after expanding counted repeats, so that a hostile
    /// pattern such as `((a{1000}){1000})` cannot exhaust memory. (Go's own limit is larger.)
    static let maximumInstructions = 10_000
    /// Go's largest count in `{n,m}`, also the limit on nested counts multiplied together.
    static let maximumRepeatCount = 1_000
    /// Go's limit on nesting, applied here to groups.
    static let maximumNestingDepth = 1_000

    /// The flags set with `(?ims)`; `U` is accepted but changes only which match is preferred.
    struct Flags {
        var caseInsensitive = false
        var dotMatchesNewline = false
        var multiline = false
    }

    /// The instructions for part of a pattern; running off their end continues after the part.
    struct Fragment {
        var instructions: [Instruction] = []
        /// The largest product of nested counted-repeat counts inside, for Go's rule that
        /// nested counts may not multiply past `maximumRepeatCount`.
        var repeatProduct = 1

        mutating func append(_ other: Fragment) {
            instructions += other.instructions
            repeatProduct = max(repeatProduct, other.repeatProduct)
        }

        /// `first|second|…`: each branch but the last is entered by a split and left by a jump to the end.
        init(alternating branches: [Fragment]) {
            let size = branches.reduce(2 * (branches.count - 1)) { $0 + $1.instructions.count }
            instructions.reserveCapacity(size)
            for (index, branch) in branches.enumerated() {
                repeatProduct = max(repeatProduct, branch.repeatProduct)
                if index == branches.count - 1 {
                    instructions += branch.instructions
                } else {
                    instructions.append(.split(1, branch.instructions.count + 2))
                    instructions += branch.instructions
                    instructions.append(.jump(size - instructions.count))
                }
            }
        }

        init(instructions: [Instruction] = [], repeatProduct: Int = 1) {
            self.instructions = instructions
            self.repeatProduct = repeatProduct
        }
    }

    /// A group being parsed: a `(`…`)`, or the whole pattern.
    struct OpenGroup {
        /// Where its `(` is; nil for the whole pattern.
        var start: Int?
        /// The flags to restore at its `)`.
        var outerFlags: Flags
        /// The branches finished by `|`.
        var branches: [Fragment] = []
        /// The current branch without its last atom.
        var sequence = Fragment()
        /// The current branch's last atom, kept apart because a repetition operator applies to it.
        var lastAtom: Fragment?

        mutating func append(_ atom: Fragment) {
            if let lastAtom { sequence.append(lastAtom) }
            lastAtom = atom
        }

        mutating func endBranch() {
            branches.append(currentBranch)
            sequence = Fragment()
            lastAtom = nil
        }

        var currentBranch: Fragment {
            var branch = sequence
            if let lastAtom { branch.append(lastAtom) }
            return branch
        }
    }

    /// Parses Go (RE2) syntax and emits Thompson-NFA instructions in the same pass, keeping
    /// open groups on an explicit stack as Go's parser does, so nothing recurses.
    struct Compiler {
        private let source: String
        private let pattern: [Unicode.Scalar]
        private var position = 0
        private var flags = Flags()
        private var groups = [OpenGroup(start: nil, outerFlags: Flags())]
        private var instructionCount = 0
        private var foldsCase = false
        /// Where a search for a POSIX class's closing `:]` found none, so later searches can stop early.
        private var noPOSIXTerminatorFrom: Int?

        init(_ source: String) {
            self.source = source
            pattern = Array(source.unicodeScalars)
        }

        mutating func compile() throws(SyntaxError) -> Program {
            // The start of the repetition operator just parsed, if the previous token was one.
            var lastRepeat: Int?
            while let scalar = peek() {
                let start = position
                var isRepeat = false
                switch scalar {
                case "(":
                    try openGroup()
                case "|":
                    position += 1
                    groups[groups.count - 1].endBranch()
                case ")":
                    try closeGroup()
                case "^":
                    position += 1
                    try push(.assert(flags.multiline ? .beginLine : .beginText))
                case "$":
                    position += 1
                    try push(.assert(flags.multiline ? .endLine : .endText))
                case ".":
                    position += 1
                    try push(.consume(.dot(matchingNewline: flags.dotMatchesNewline)))
                case "[":
                    try parseClass()
                case "*", "+", "?":
                    position += 1
                    try repeatLastAtom(
                        minimum: scalar == "+" ? 1 : 0, maximum: scalar == "?" ? 1 : nil, isCounted: false,
                        operatorStart: start, previousRepeat: lastRepeat)
                    isRepeat = true
                case "{":
                    if let (minimum, maximum) = try parseRepeatCounts() {
                        try repeatLastAtom(
                            minimum: minimum, maximum: maximum, isCounted: true, operatorStart: start, previousRepeat: lastRepeat)
                        isRepeat = true
                    } else {
                        // Not `{n}`, `{n,}` or `{n,m}`: a literal brace, as in Go.
                        position += 1
                        try pushLiteral(scalar.value)
                    }
                case "\\":
                    try parseEscape()
                default:
                    position += 1
                    try pushLiteral(scalar.value)
                }
                lastRepeat = isRepeat ? start : nil
            }
            if let unclosed = groups.last?.start {
                throw SyntaxError(code: .missingClosingParenthesis, fragment: source, offset: unclosed)
            }
            var body = try alternation(of: groups[0])
            try reserve(1)
            body.instructions.append(.match)
            return Program(instructions: body.instructions, foldsCase: foldsCase)
        }

        // MARK: Groups and repetition

        private mutating func openGroup() throws(SyntaxError) {
            let start = position
            var innerFlags = flags
            if peek(1) == "?" {
                if (peek(2) == "<" && peek(3) != nil) || (peek(2) == "P" && peek(3) == "<" && peek(4) != nil) {
                    try skipGroupName()
                } else {
                    let (parsedFlags, opensGroup) = try parseFlags()
                    guard opensGroup else {
                        flags = parsedFlags
                        return
                    }
                    innerFlags = parsedFlags
                }
            } else {
                position += 1
            }
            guard groups.count <= LinearRegex.maximumNestingDepth else {
                throw SyntaxError(code: .nestingTooDeep, fragment: source, offset: start)
            }
            groups.append(OpenGroup(start: start, outerFlags: flags))
            flags = innerFlags
        }

        /// `(?P<name>` or `(?<name>`: the name must be `[A-Za-z0-9_]+`. Captures do not matter for
        /// matching, so the group is an ordinary one.
        private mutating func skipGroupName() throws(SyntaxError) {
            let nameStart = position + (pattern[position + 2] == "P" ? 4 : 3)
            guard let end = pattern[position...].firstIndex(of: ">") else {
                throw error(.invalidNamedCapture, position..<pattern.count)
            }
            let name = pattern[nameStart..<end]
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isASCIIAlphanumeric }) else {
                throw error(.invalidNamedCapture, position..<(end + 1))
            }
            position = end + 1
        }

        /// `(?flags)` or `(?flags:`, with flags from `imsU` and an optional `-` before flags to clear.
        private mutating func parseFlags() throws(SyntaxError) -> (flags: Flags, opensGroup: Bool) {
            var parsed = flags
            var isClearing = false, sawFlag = false
            var index = position + 2
            scan: while index < pattern.count {
                let scalar = pattern[index]
                index += 1
                switch scalar {
                case "i": parsed.caseInsensitive = !isClearing
                case "m": parsed.multiline = !isClearing
                case "s": parsed.dotMatchesNewline = !isClearing
                case "U": break
                case "-":
                    if isClearing { break scan }
                    isClearing = true
                    sawFlag = false
                    continue scan
                case ":", ")":
                    if isClearing, !sawFlag { break scan }
                    position = index
                    return (parsed, scalar == ":")
                default:
                    break scan
                }
                sawFlag = true
            }
            throw error(.invalidPerlOperation, position..<index)
        }

        private mutating func closeGroup() throws(SyntaxError) {
            guard groups.count > 1 else {
                throw SyntaxError(code: .unexpectedClosingParenthesis, fragment: source, offset: position)
            }
            position += 1
            let group = groups.removeLast()
            flags = group.outerFlags
            groups[groups.count - 1].append(try alternation(of: group))
        }

        private mutating func alternation(of group: OpenGroup) throws(SyntaxError) -> Fragment {
            let branches = group.branches + [group.currentBranch]
            try reserve(2 * (branches.count - 1))
            return Fragment(alternating: branches)
        }

        /// `{n}`, `{n,}` or `{n,m}` at the current position, or nil (consuming nothing) if the
        /// text is not of that form. Counts with leading zeros do not count, as in Go.
        private mutating func parseRepeatCounts() throws(SyntaxError) -> (minimum: Int, maximum: Int?)? {
            let start = position
            var index = position + 1
            guard let minimum = parseCount(at: &index) else { return nil }
            var maximum: Int? = minimum
            if index < pattern.count, pattern[index] == "," {
                index += 1
                if index < pattern.count, pattern[index] == "}" {
                    maximum = nil
                } else {
                    guard let count = parseCount(at: &index) else { return nil }
                    maximum = count
                }
            }
            guard index < pattern.count, pattern[index] == "}" else { return nil }
            position = index + 1
            let limit = LinearRegex.maximumRepeatCount
            if minimum > limit || (maximum ?? 0) > limit || minimum > (maximum ?? minimum) {
                throw error(.invalidRepeatCount, start..<position)
            }
            return (minimum, maximum)
        }

        /// A decimal count; values past the repeat limit saturate just above it.
        private func parseCount(at index: inout Int) -> Int? {
            let start = index
            var value = 0
            while index < pattern.count, let digit = pattern[index].asciiDigitValue {
                value = min(value * 10 + digit, LinearRegex.maximumRepeatCount + 1)
                index += 1
            }
            let digits = index - start
            guard digits > 0, !(digits > 1 && pattern[start] == "0") else { return nil }
            return value
        }

        /// Applies `*`, `+`, `?` or `{n,m}` (just parsed, from `operatorStart`) to the last atom.
        private mutating func repeatLastAtom(
            minimum: Int, maximum: Int?, isCounted: Bool, operatorStart: Int, previousRepeat: Int?
        ) throws(SyntaxError) {
            if peek() == "?" { position += 1 }  // Lazy: prefers shorter matches, matches the same texts.
            if let previousRepeat { throw error(.invalidNestedRepetition, previousRepeat..<position) }
            guard let atom = groups[groups.count - 1].lastAtom else {
                throw error(.missingRepeatArgument, operatorStart..<position)
            }
            var repeatProduct = atom.repeatProduct
            if isCounted {
                // As Go's repeatIsValid: `{0}` hides what it repeats, `{n,}` counts as n.
                repeatProduct = maximum == 0 ? 1 : repeatProduct * max(maximum ?? minimum, 1)
                if minimum >= 2 || (maximum ?? 0) >= 2, repeatProduct > LinearRegex.maximumRepeatCount {
                    throw error(.invalidRepeatCount, operatorStart..<position)
                }
            }
            var repeated = try repetition(of: atom.instructions, minimum: minimum, maximum: maximum)
            repeated.repeatProduct = repeatProduct
            groups[groups.count - 1].lastAtom = repeated
        }

        /// `body{minimum,maximum}` (nil maximum: unbounded) by copying `body`:
        /// `x*` is split-x-jump, `x{2,}` is `x x+`, `x{2,4}` is `x x (x (x)?)?`.
        private mutating func repetition(of body: [Instruction], minimum: Int, maximum: Int?) throws(SyntaxError) -> Fragment {
            let size = switch maximum {
            case nil where minimum == 0: body.count + 2
            case nil: minimum * body.count + 1
            case let maximum?: maximum * body.count + (maximum - minimum)
            }
            try reserve(size - body.count)
            var instructions: [Instruction] = []
            instructions.reserveCapacity(size)
            switch maximum {
            case nil where minimum == 0:
                instructions.append(.split(1, body.count + 2))
                instructions += body
                instructions.append(.jump(-(body.count + 1)))
            case nil:
                for _ in 0..<minimum { instructions += body }
                instructions.append(.split(-body.count, 1))
            case let maximum?:
                for _ in 0..<minimum { instructions += body }
                let optionalCopies = maximum - minimum, copySize = body.count + 1
                for copy in 0..<optionalCopies {
                    instructions.append(.split(1, (optionalCopies - copy) * copySize))
                    instructions += body
                }
            }
            return Fragment(instructions: instructions)
        }

        // MARK: Escapes and classes

        private mutating func parseEscape() throws(SyntaxError) {
            let start = position
            guard let letter = peek(1) else { throw error(.trailingBackslash, start..<start) }
            let assertion: Assertion? = switch letter {
            case "A": .beginText
            case "z": .endText
            case "b": .wordBoundary
            case "B": .notWordBoundary
            default: nil
            }
            if let assertion {
                position += 2
                try push(.assert(assertion))
            } else if letter == "Q" {
                // \Q…\E: everything up to \E (or the end) is literal.
                position += 2
                while let scalar = peek(), !(scalar == "\\" && peek(1) == "E") {
                    position += 1
                    try pushLiteral(scalar.value)
                }
                position = min(position + 2, pattern.count)
            } else if let group = CharacterGroup.perl(letter) {
                position += 2
                try push(.consume(ScalarSet(ranges: group.ranges, isNegated: group.isNegated, foldsCase: flags.caseInsensitive)))
            } else {
                try rejectUnsupportedEscape()
                try pushLiteral(parseEscapedScalar())
            }
        }

        /// `\C` (any byte) is an error in Go too; `\p{…}` Unicode classes are valid Go but not supported here.
        private func rejectUnsupportedEscape() throws(SyntaxError) {
            switch peek(1) {
            case "C":
                throw error(.invalidEscape, position..<(position + 2))
            case "p", "P":
                var end = position + 3
                if peek(2) == "{" { end = (pattern[position...].firstIndex(of: "}") ?? pattern.count - 1) + 1 }
                throw error(.unsupportedUnicodeClass, position..<min(end, pattern.count))
            default:
                return
            }
        }

        /// A single-scalar escape: escaped punctuation, `\a \f \t \n \r \v`, octal `\012`, `\x7F`, `\x{10FFFF}`.
        private mutating func parseEscapedScalar() throws(SyntaxError) -> UInt32 {
            let start = position
            guard let letter = peek(1) else { throw error(.trailingBackslash, start..<start) }
            position += 2
            if letter.isASCII, !letter.isASCIIAlphanumeric { return letter.value }
            switch letter {
            case "0"..."7":
                // A lone \1…\7 would be a backreference, which Go does not support.
                if letter != "0", peek()?.isOctalDigit != true { break }
                var value = letter.value - 0x30
                for _ in 0..<2 {
                    guard let digit = peek(), digit.isOctalDigit else { break }
                    value = value * 8 + digit.value - 0x30
                    position += 1
                }
                return value
            case "x":
                guard let first = peek() else { break }
                position += 1
                if first == "{" {
                    var value: UInt32 = 0, digitCount = 0
                    while let scalar = peek() {
                        position += 1
                        if scalar == "}" {
                            if digitCount == 0 { break }
                            return value
                        }
                        guard let digit = scalar.hexDigitValue else { break }
                        value = value * 16 + digit
                        digitCount += 1
                        if value > LinearRegex.maximumScalar { break }
                    }
                    break
                }
                let second = peek()
                if second != nil { position += 1 }
                guard let high = first.hexDigitValue, let low = second?.hexDigitValue else { break }
                return high * 16 + low
            case "a": return 0x07
            case "f": return 0x0C
            case "n": return 0x0A
            case "r": return 0x0D
            case "t": return 0x09
            case "v": return 0x0B
            default: break
            }
            throw error(.invalidEscape, start..<position)
        }

        /// `[…]` or `[^…]`: scalars, ranges `a-z`, escapes, `\d`-style and `[:alpha:]`-style groups;
        /// a `]` first is literal.
        private mutating func parseClass() throws(SyntaxError) {
            let start = position
            position += 1
            let isNegated = peek() == "^"
            if isNegated { position += 1 }
            var ranges: [ScalarRange] = []
            var isFirst = true
            while true {
                guard let scalar = peek() else { throw error(.missingClosingBracket, start..<pattern.count) }
                if scalar == "]", !isFirst {
                    position += 1
                    break
                }
                isFirst = false
                if scalar == "[", peek(1) == ":", position + 2 < pattern.count, let group = try parsePOSIXGroup() {
                    ranges += classRanges(of: group)
                    continue
                }
                if scalar == "\\", let letter = peek(1) {
                    try rejectUnsupportedEscape()
                    if let group = CharacterGroup.perl(letter) {
                        position += 2
                        ranges += classRanges(of: group)
                        continue
                    }
                }
                let rangeStart = position
                let lower = try parseClassScalar(classStart: start)
                var upper = lower
                if peek() == "-", let next = peek(1), next != "]" {
                    position += 1
                    upper = try parseClassScalar(classStart: start)
                    guard upper >= lower else { throw error(.invalidCharacterClassRange, rangeStart..<position) }
                }
                ranges.append(ScalarRange(lower, upper))
            }
            try push(.consume(ScalarSet(ranges: ScalarSet.normalized(ranges), isNegated: isNegated, foldsCase: flags.caseInsensitive)))
        }

        private mutating func parseClassScalar(classStart: Int) throws(SyntaxError) -> UInt32 {
            guard let scalar = peek() else { throw error(.missingClosingBracket, classStart..<pattern.count) }
            if scalar == "\\" { return try parseEscapedScalar() }
            position += 1
            return scalar.value
        }

        /// `[:name:]` inside a class, or nil (consuming nothing) if no `:]` follows, as in Go.
        private mutating func parsePOSIXGroup() throws(SyntaxError) -> CharacterGroup? {
            let searchStart = position + 2
            if let noPOSIXTerminatorFrom, searchStart >= noPOSIXTerminatorFrom { return nil }
            guard let colon = (searchStart..<(pattern.count - 1)).first(where: { pattern[$0] == ":" && pattern[$0 + 1] == "]" }) else {
                noPOSIXTerminatorFrom = searchStart
                return nil
            }
            let name = String(String.UnicodeScalarView(pattern[searchStart..<colon]))
            guard let group = CharacterGroup.posix(name) else {
                throw error(.invalidCharacterClassRange, position..<(colon + 2))
            }
            position = colon + 2
            return group
        }

        /// A group's scalars as class items. Go folds a negated group before negating it, so
        /// `(?i)[\W]` excludes the Kelvin sign (a case variant of k); do the same.
        private func classRanges(of group: CharacterGroup) -> [ScalarRange] {
            guard group.isNegated else { return group.ranges }
            return ScalarSet.complement(flags.caseInsensitive ? ScalarSet.addingCaseVariants(group.ranges) : group.ranges)
        }

        // MARK: Emitting

        private mutating func pushLiteral(_ value: UInt32) throws(SyntaxError) {
            let foldsCase = flags.caseInsensitive && !LinearRegex.caseVariants(of: value).isEmpty
            try push(.consume(ScalarSet(ranges: [ScalarRange(value)], foldsCase: foldsCase)))
        }

        private mutating func push(_ instruction: Instruction) throws(SyntaxError) {
            try reserve(1)
            if case .consume(let set) = instruction, set.foldsCase { foldsCase = true }
            groups[groups.count - 1].append(Fragment(instructions: [instruction]))
        }

        /// Counts `count` more instructions against `maximumInstructions`.
        private mutating func reserve(_ count: Int) throws(SyntaxError) {
            instructionCount += count
            if instructionCount > LinearRegex.maximumInstructions {
                throw SyntaxError(code: .expressionTooLarge, fragment: source, offset: position)
            }
        }

        private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
            position + ahead < pattern.count ? pattern[position + ahead] : nil
        }

        private func error(_ code: SyntaxError.Code, _ range: Range<Int>) -> SyntaxError {
            SyntaxError(code: code, fragment: String(String.UnicodeScalarView(pattern[range])), offset: range.lowerBound)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("0"..."9").contains(self) || ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }

    fileprivate var isOctalDigit: Bool { ("0"..."7").contains(self) }

    fileprivate var asciiDigitValue: Int? { ("0"..."9").contains(self) ? Int(value - 0x30) : nil }

    fileprivate var hexDigitValue: UInt32? {
        switch self {
        case "0"..."9": value - 0x30
        case "a"..."f": value - 0x61 + 10
        case "A"..."F": value - 0x41 + 10
        default: nil
        }
    }
}
