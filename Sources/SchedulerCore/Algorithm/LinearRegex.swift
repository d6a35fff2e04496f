/// A regular expression in Go's RE2 syntax, matched in time linear in the text.
///
/// `matches(_:)` answers what Go's `regexp.MatchString` does: whether the pattern matches
/// anywhere in the text (only `^`, `$`, `\A` and `\z` anchor it). Matching simulates the
/// pattern's Thompson NFA over the text's Unicode scalars, each state at most once per scalar,
/// so it takes O(text length × program size) whatever the pattern — `(a+)+$` cannot make it
/// backtrack the way Swift's `Regex` does.
///
/// Supported: literals, `.`, classes (`[a-z]`, `[^…]`, `[[:alpha:]]`, `\d \s \w` and negations,
/// all ASCII as in Go), escapes (`\.`, `\t \n \r \f \v \a`, octal, `\x7F`, `\x{10FFFF}`, `\Q…\E`),
/// `^ $ \A \z \b \B`, groups `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`, flags `i m s U` as
/// `(?flags)` or `(?flags:…)`, `|`, and `* + ? {n} {n,} {n,m}` with their lazy forms.
/// Backreferences, lookaround and Unicode classes (`\p{Greek}`) are syntax errors, and so is a
/// pattern needing more than 10,000 instructions once counted repeats are expanded.
public struct LinearRegex: Sendable, Hashable {
    /// The pattern as given.
    public let pattern: String
    private let program: Program

    /// Compiles `pattern`, or says what is wrong with it and where.
    public init(_ pattern: String) throws(SyntaxError) {
        var compiler = Compiler(pattern)
        self.pattern = pattern
        program = try compiler.compile()
    }

    /// Whether the pattern matches anywhere in `text`, like Go's `regexp.MatchString`.
    public func matches(_ text: String) -> Bool {
        match(text, budget: .max) == .matched
    }

    /// What a match within a budget found.
    public enum MatchResult: Sendable, Hashable {
        case matched
        case notMatched
        /// The budget ran out first: the text was not fully examined.
        case budgetExceeded
    }

    /// Like `matches(_:)`, but gives up after `budget` steps (one step is one NFA state visited
    /// at one position), so that a long text against a large program has a bounded cost too:
    /// linear time is still text length × program size.
    public func match(_ text: String, budget: Int) -> MatchResult {
        var machine = PikeVM(program.instructions, budget: budget)
        var current = StateSet(capacity: program.instructions.count)
        var next = StateSet(capacity: program.instructions.count)
        var scalars = text.unicodeScalars.makeIterator()
        var position = Position(previous: nil, next: scalars.next()?.value)
        while true {
            // Unanchored: a new thread starts at every position.
            if machine.addThread(at: 0, to: &current, position: position) { return .matched }
            guard machine.stepsLeft >= 0 else { return .budgetExceeded }
            guard let scalar = position.next else { return .notMatched }
            let caseVariants = program.foldsCase ? LinearRegex.caseVariants(of: scalar) : []
            position = Position(previous: scalar, next: scalars.next()?.value)
            next.removeAll()
            for index in 0..<current.count {
                let state = current[index]
                guard case .consume(let set) = program.instructions[state], set.accepts(scalar, caseVariants: caseVariants) else {
                    continue
                }
                if machine.addThread(at: state + 1, to: &next, position: position) { return .matched }
            }
            guard machine.stepsLeft >= 0 else { return .budgetExceeded }
            swap(&current, &next)
        }
    }

    /// Why a pattern was refused, in Go's words: `error parsing regexp: missing closing ): `(a``,
    /// plus where the trouble starts.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The kind of mistake; the raw value is Go's message for it.
        public enum Code: String, Sendable, Hashable {
            case invalidCharacterClassRange = "invalid character class range"
            case invalidEscape = "invalid escape sequence"
            case invalidNamedCapture = "invalid named capture"
            case invalidPerlOperation = "invalid or unsupported Perl syntax"
            case invalidNestedRepetition = "invalid nested repetition operator"
            case invalidRepeatCount = "invalid repeat count"
            case missingClosingBracket = "missing closing ]"
            case missingClosingParenthesis = "missing closing )"
            case missingRepeatArgument = "missing argument to repetition operator"
            case trailingBackslash = "trailing backslash at end of expression"
            case unexpectedClosingParenthesis = "unexpected )"
            case nestingTooDeep = "expression nests too deeply"
            case expressionTooLarge = "expression too large"
            /// Not an error in Go, which supports `\p{…}`; this engine does not.
            case unsupportedUnicodeClass = "unsupported Unicode character class"
        }

        /// The kind of mistake.
        public let code: Code
        /// The offending text, as Go quotes it (the whole pattern for unbalanced parentheses).
        public let fragment: String
        /// Where the mistake starts, counted in Unicode scalars from 0.
        public let offset: Int

        public var description: String {
            "error parsing regexp: \(code.rawValue): `\(fragment)` (at offset \(offset))"
        }
    }
}

extension LinearRegex {
    /// The states of the threads alive at one position: a sparse set, so inserting, testing and
    /// clearing take constant time.
    struct StateSet {
        private var dense: [Int]
        private var sparse: [Int]
        private(set) var count = 0

        init(capacity: Int) {
            dense = Array(repeating: 0, count: capacity)
            sparse = Array(repeating: 0, count: capacity)
        }

        subscript(index: Int) -> Int { dense[index] }

        /// Adds `state`; false if it was already there.
        mutating func insert(_ state: Int) -> Bool {
            let slot = sparse[state]
            if slot < count, dense[slot] == state { return false }
            sparse[state] = count
            dense[count] = state
            count += 1
            return true
        }

        mutating func removeAll() { count = 0 }
    }

    /// Follows the instructions that consume nothing, with an explicit stack.
    struct PikeVM {
        private let instructions: [Instruction]
        private var pending: [Int] = []
        /// Steps left in the budget; negative once it ran out.
        private(set) var stepsLeft: Int

        init(_ instructions: [Instruction], budget: Int) {
            self.instructions = instructions
            stepsLeft = budget
            pending.reserveCapacity(instructions.count)
        }

        /// Adds `state` and every state reachable from it without consuming a scalar at
        /// `position` to `states`; true if that reaches `match`.
        mutating func addThread(at state: Int, to states: inout StateSet, position: Position) -> Bool {
            pending.append(state)
            while let state = pending.popLast() {
                guard states.insert(state) else { continue }
                stepsLeft &-= 1
                if stepsLeft < 0 {
                    pending.removeAll(keepingCapacity: true)
                    return false
                }
                switch instructions[state] {
                case .match:
                    pending.removeAll(keepingCapacity: true)
                    return true
                case .consume:
                    break
                case .assert(let assertion):
                    if assertion.holds(at: position) { pending.append(state + 1) }
                case .jump(let offset):
                    pending.append(state + offset)
                case .split(let first, let second):
                    pending.append(state + second)
                    pending.append(state + first)
                }
            }
            return false
        }
    }
}
