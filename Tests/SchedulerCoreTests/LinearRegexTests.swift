import Testing
@testable import SchedulerCore

/// One pattern, one text, and whether Go's `regexp.MatchString(pattern, text)` is true.
struct MatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let text: String
    let matches: Bool

    init(_ pattern: String, _ text: String, _ matches: Bool) {
        self.pattern = pattern
        self.text = text
        self.matches = matches
    }

    var testDescription: String { "\(pattern.debugDescription) ~ \(text.debugDescription) → \(matches)" }
}

@Suite struct LinearRegexTests {
    static let goCases: [MatchCase] = [
        // Literals, unanchored.
        MatchCase("", "", true), MatchCase("", "anything", true),
        MatchCase("a", "bab", true), MatchCase("a", "b", false), MatchCase("abc", "xabcx", true), MatchCase("abc", "ab", false),
        MatchCase("land.*", "xland", true), MatchCase("land.*", "land", true), MatchCase("land.*", "lan", false),
        MatchCase("CI.*", "myCI-build", true), MatchCase("CI.*", "ci", false), MatchCase("(?i)CI.*", "ci-bot", true),
        // Anchors: without (?m), ^ and $ are the text's ends ($ is \z, not Perl's \Z).
        MatchCase("^land", "xland", false), MatchCase("^land", "landing", true),
        MatchCase("land$", "island", true), MatchCase("land$", "landing", false), MatchCase("a$", "a\n", false),
        MatchCase("^$", "", true), MatchCase("^$", "a", false), MatchCase("^", "abc", true), MatchCase("$", "abc", true),
        MatchCase("^b", "a\nb", false), MatchCase("(?m)^b", "a\nb", true), MatchCase("(?m)a$", "a\nb", true),
        MatchCase("(?m)a$", "ab", false), MatchCase("(?m)^$", "a\n\nb", true), MatchCase("(?m)\\Ab", "a\nb", false),
        MatchCase("\\Aab", "ab", true), MatchCase("\\Aab", "cab", false), MatchCase("ab\\z", "cab", true), MatchCase("ab\\z", "abc", false),
        // Word boundaries (ASCII word characters).
        MatchCase("\\bland\\b", "a land b", true), MatchCase("\\bland\\b", "island", false), MatchCase("\\bland", "land-x", true),
        MatchCase("\\Bland", "island", true), MatchCase("\\Bland", "land", false), MatchCase("\\b", "", false), MatchCase("\\B", "", true),
        MatchCase("\\b", "\u{E9}", false), MatchCase("x\\b", "x\u{E9}", true),
        // Dot: one scalar, not \n unless (?s).
        MatchCase("a.c", "abc", true), MatchCase("a.c", "a\nc", false), MatchCase("(?s)a.c", "a\nc", true), MatchCase("(?s:.)", "\n", true),
        MatchCase("(?s-s:.)", "\n", false), MatchCase("^caf.$", "caf\u{E9}", true), MatchCase("^.$", "\u{1F600}", true),
        MatchCase("^..$", "e\u{301}", true), MatchCase("^.$", "e\u{301}", false),
        // Classes.
        MatchCase("[abc]", "xbx", true), MatchCase("[abc]", "xyz", false), MatchCase("^[a-z0-9_]+$", "land_01", true),
        MatchCase("^[a-z0-9_]+$", "Land", false), MatchCase("[^abc]", "abc", false), MatchCase("[^abc]", "abcd", true),
        MatchCase("[^a]", "\n", true), MatchCase("[]a]", "]", true), MatchCase("[]a]", "b", false), MatchCase("[^]a]", "]", false),
        MatchCase("[^]a]", "b", true), MatchCase("[a-]", "-", true), MatchCase("[-a]", "-", true), MatchCase("[a\\-z]", "-", true),
        MatchCase("[a\\-z]", "b", false), MatchCase("[\\]]", "]", true), MatchCase("[\\[]", "[", true), MatchCase("[.]", "a", false),
        MatchCase("[.]", ".", true), MatchCase("[\\d]", "5", true), MatchCase("[\\D]", "5", false), MatchCase("[^\\d]", "a", true),
        MatchCase("[\\w-]", "-", true), MatchCase("[[:alpha:]]", "1", false), MatchCase("[[:alpha:]]", "x", true),
        MatchCase("[[:^alpha:]]", "x", false), MatchCase("[[:^alpha:]]", "1", true), MatchCase("[[:digit:][:upper:]]", "Q", true),
        MatchCase("[[:space:]]", "\u{0B}", true), MatchCase("[[a]", "[", true), MatchCase("[\\x41-\\x43]", "B", true),
        MatchCase("[\\x{1F600}-\\x{1F64F}]", "\u{1F603}", true), MatchCase("[^\\x00-\\x{10FFFF}]", "a", false),
        // Perl classes are ASCII.
        MatchCase("\\d+", "abc123", true), MatchCase("^\\d+$", "12a", false), MatchCase("\\D", "123", false), MatchCase("\\w", "_", true),
        MatchCase("\\w", "\u{E9}", false), MatchCase("\\W", "\u{E9}", true), MatchCase("\\s", " ", true), MatchCase("\\S", "  ", false),
        MatchCase("\\s", "\u{0B}", false), MatchCase("\\s", "\u{A0}", false),
        // Escapes.
        MatchCase("a\\.b", "a.b", true), MatchCase("a\\.b", "axb", false), MatchCase("\\\\", "\\", true), MatchCase("\\*", "*", true),
        MatchCase("a\\+", "a+", true), MatchCase("\\_", "_", true), MatchCase("\\ ", " ", true), MatchCase("\\t", "\t", true),
        MatchCase("\\n", "\n", true), MatchCase("\\r", "\r", true), MatchCase("\\f", "\u{0C}", true), MatchCase("\\v", "\u{0B}", true),
        MatchCase("\\a", "\u{07}", true), MatchCase("\\x41", "A", true), MatchCase("\\x7F", "\u{7F}", true),
        MatchCase("\\x{263a}", "\u{263A}", true), MatchCase("\\x{10FFFF}", "\u{10FFFF}", true), MatchCase("\\012", "\n", true),
        MatchCase("\\0", "\u{0}", true), MatchCase("\\Qa.b\\E", "a.b", true), MatchCase("\\Qa.b\\E", "axb", false),
        MatchCase("\\Qa.b", "a.b", true), MatchCase("^\\Qab\\E+$", "abbb", true),
        // Groups and alternation.
        MatchCase("(ab)+", "xababx", true), MatchCase("^(ab)+$", "aba", false), MatchCase("(?:ab)+c", "ababc", true),
        MatchCase("(?P<name>ab)c", "abc", true), MatchCase("(?<name>ab)c", "abc", true), MatchCase("()", "x", true),
        MatchCase("(|a)b", "b", true), MatchCase("a|", "zzz", true), MatchCase("|", "", true),
        MatchCase("land|diff", "xdiffx", true), MatchCase("^land|diff$", "xland", false), MatchCase("^land|diff$", "mydiff", true),
        MatchCase("^(land|diff)$", "landdiff", false), MatchCase("ab|cd", "acd", true), MatchCase("^(a|b|c)+$", "abcab", true),
        // Repetition, greedy and lazy.
        MatchCase("ab*c", "ac", true), MatchCase("ab+c", "ac", false), MatchCase("ab?c", "abbc", false),
        MatchCase("^a{3}$", "aaa", true), MatchCase("^a{3}$", "aa", false), MatchCase("^a{3}$", "aaaa", false),
        MatchCase("^a{2,}$", "a", false), MatchCase("^a{2,}$", "aaaaa", true), MatchCase("^a{2,3}$", "aaaa", false),
        MatchCase("^a{2,3}$", "aaa", true), MatchCase("^a{0,2}$", "aa", true), MatchCase("^a{0,2}$", "aaa", false),
        MatchCase("^a{0}$", "", true), MatchCase("^a{0}b$", "b", true), MatchCase("^(ab){2}$", "abab", true),
        MatchCase("^(a{2}){2,}$", "aaaaaa", true), MatchCase("^(a{2}){2,}$", "aaaaa", false),
        MatchCase("a*?", "", true), MatchCase("^a+?$", "aaa", true), MatchCase("^a??b$", "ab", true), MatchCase("^a{2,3}?$", "aaa", true),
        MatchCase("(?U)^a+$", "aaa", true),
        // A brace that is not a repeat is literal.
        MatchCase("a{,2}", "a{,2}", true), MatchCase("a{", "a{", true), MatchCase("a{1", "a{1", true), MatchCase("x{01}", "x{01}", true),
        MatchCase("{", "{", true), MatchCase("a{1,2", "a{1,2", true),
        // Case-insensitivity.
        MatchCase("(?i)land", "LAND", true), MatchCase("(?i)land", "LaNd-x", true), MatchCase("(?i:la)nd", "LAnd", true),
        MatchCase("(?i:la)nd", "LAND", false), MatchCase("(?i)^[a-c]+$", "ABC", true), MatchCase("(?i)[^a]", "A", false),
        MatchCase("(?i)[^a]", "b", true), MatchCase("(?i)[[:upper:]]", "q", true), MatchCase("(?i)k", "\u{212A}", true),
        MatchCase("(?i)\u{212A}", "k", true), MatchCase("(?i)\u{E9}", "\u{C9}", true), MatchCase("(?i)\u{3C3}", "\u{3A3}", true),
        MatchCase("(?i)\u{3A3}", "\u{3C2}", true), MatchCase("(?i)\\w", "\u{17F}", true), MatchCase("(?i)\\W", "\u{212A}", false),
        MatchCase("(?i)[\\W]", "\u{212A}", false), MatchCase("(?i)\\d", "d", false), MatchCase("(?i)a(?-i)b", "AB", false),
        MatchCase("(?i)a(?-i)b", "Ab", true), MatchCase("(?i)(?-i:a)b", "aB", true), MatchCase("(?i)(?-i:a)b", "AB", false),
        MatchCase("a(?i)b|c", "C", true), MatchCase("(a(?i)b)c", "aBC", false), MatchCase("(a(?i)b)c", "aBc", true),
        // Empty loops terminate.
        MatchCase("(a*)*", "b", true), MatchCase("^(a*)+$", "aa", true), MatchCase("^(|a)*$", "aaa", true), MatchCase("()*b", "b", true),
    ]

    @Test(arguments: goCases)
    func matchesLikeGo(_ testCase: MatchCase) throws {
        let regex = try LinearRegex(testCase.pattern)
        #expect(regex.matches(testCase.text) == testCase.matches)
    }

    @Test(arguments: [
        ("(", LinearRegex.SyntaxError.Code.missingClosingParenthesis), ("(a", .missingClosingParenthesis),
        (")", .unexpectedClosingParenthesis), ("a)", .unexpectedClosingParenthesis), ("(a))", .unexpectedClosingParenthesis),
        ("[a", .missingClosingBracket), ("[]", .missingClosingBracket), ("[a-", .missingClosingBracket),
        ("[z-a]", .invalidCharacterClassRange), ("[[:foo:]]", .invalidCharacterClassRange),
        ("a{1001}", .invalidRepeatCount), ("a{0,1001}", .invalidRepeatCount), ("x{2,1}", .invalidRepeatCount),
        ("(a{2}){501}", .invalidRepeatCount), ("((a{10}){10}){11}", .invalidRepeatCount), ("((a{10})*){101}", .invalidRepeatCount),
        ("\\1", .invalidEscape), ("(a)\\1", .invalidEscape), ("\\8", .invalidEscape), ("\\Z", .invalidEscape), ("\\C", .invalidEscape),
        ("\\q", .invalidEscape), ("\\\u{E9}", .invalidEscape), ("\\x{110000}", .invalidEscape), ("\\xZ1", .invalidEscape),
        ("\\x{}", .invalidEscape), ("\\x{12", .invalidEscape), ("\\x4", .invalidEscape), ("[\\q]", .invalidEscape),
        ("\\", .trailingBackslash), ("a\\", .trailingBackslash), ("[a\\", .trailingBackslash),
        ("(?=a)", .invalidPerlOperation), ("(?!a)", .invalidPerlOperation), ("(?P=name)", .invalidPerlOperation),
        ("(?i", .invalidPerlOperation), ("(?x)", .invalidPerlOperation), ("(?i-)", .invalidPerlOperation), ("(?--i)", .invalidPerlOperation),
        // Lookbehind reads as a malformed `(?<name>`, as in Go 1.22 and later.
        ("(?<=a)", .invalidNamedCapture), ("(?<!a)", .invalidNamedCapture), ("(?P<>a)", .invalidNamedCapture),
        ("(?P<n-m>a)", .invalidNamedCapture), ("(?P<name", .invalidNamedCapture),
        ("a**", .invalidNestedRepetition), ("a*+", .invalidNestedRepetition), ("a+?+", .invalidNestedRepetition),
        ("a{2}{3}", .invalidNestedRepetition), ("a*{2}", .invalidNestedRepetition),
        ("*", .missingRepeatArgument), ("a|*", .missingRepeatArgument), ("(*)", .missingRepeatArgument), ("{2}", .missingRepeatArgument),
        ("(?i)*", .missingRepeatArgument),
        ("\\pL", .unsupportedUnicodeClass), ("\\p{Greek}", .unsupportedUnicodeClass), ("[\\PL]", .unsupportedUnicodeClass),
    ])
    func rejectsWhatGoRejects(pattern: String, code: LinearRegex.SyntaxError.Code) {
        #expect {
            try LinearRegex(pattern)
        } throws: { error in
            (error as? LinearRegex.SyntaxError)?.code == code
        }
    }

    @Test func syntaxErrorsQuoteTheFragmentAndPositionAsGoDoes() throws {
        func syntaxError(_ pattern: String) -> LinearRegex.SyntaxError? {
            do {
                _ = try LinearRegex(pattern)
                return nil
            } catch {
                return error
            }
        }
        let unclosed = try #require(syntaxError("x(a"))
        #expect(unclosed.description == "error parsing regexp: missing closing ): `x(a` (at offset 1)")
        #expect(syntaxError("a**") == LinearRegex.SyntaxError(code: .invalidNestedRepetition, fragment: "**", offset: 1))
        #expect(syntaxError("ab{2,1}") == LinearRegex.SyntaxError(code: .invalidRepeatCount, fragment: "{2,1}", offset: 2))
        #expect(syntaxError("[a") == LinearRegex.SyntaxError(code: .missingClosingBracket, fragment: "[a", offset: 0))
        #expect(syntaxError("a(?=b)") == LinearRegex.SyntaxError(code: .invalidPerlOperation, fragment: "(?=", offset: 1))
        #expect(syntaxError("\u{E9}\\1") == LinearRegex.SyntaxError(code: .invalidEscape, fragment: "\\1", offset: 1), "offsets count scalars")
        #expect(syntaxError("a)") == LinearRegex.SyntaxError(code: .unexpectedClosingParenthesis, fragment: "a)", offset: 1))
    }

    @Test func patternsThatBacktrackExponentiallyElsewhereRunInLinearTime() throws {
        let as10k = String(repeating: "a", count: 10_000)
        #expect(try LinearRegex("(a+)+$").matches(as10k + "!") == false)
        #expect(try LinearRegex("(a+)+$").matches(as10k) == true)
        #expect(try LinearRegex("(x+x+)+y").matches(String(repeating: "x", count: 5_000)) == false)
        #expect(try LinearRegex("(a|aa)*b").matches(as10k) == false)
        #expect(try LinearRegex("(.*)*z").matches(as10k) == false)
        #expect(try LinearRegex("^((a*)*)*$").matches(as10k) == true)
        #expect(try LinearRegex("^((a*)*)*$").matches(as10k + "b") == false)
        #expect(try LinearRegex("(a?){30}a{30}").matches(String(repeating: "a", count: 30)) == true)
        #expect(try LinearRegex("(\\w+\\s?)+$").matches(String(repeating: "word ", count: 2_000) + "!") == false)
    }

    @Test func programSizeIsBounded() throws {
        #expect(try LinearRegex("^[a-z]{1000}$").matches(String(repeating: "q", count: 1_000)))
        #expect(try LinearRegex("^(abcdefgh){1000}$").matches(String(repeating: "abcdefgh", count: 1_000)))
        #expect(try LinearRegex("^(a{10}){100}$").matches(String(repeating: "a", count: 1_000)))
        let tooLarge = [
            "(abcdefghijk){1000}", "((a|b|c|d){100}){10}", String(repeating: "a", count: 10_001), String(repeating: "(.{1000})", count: 11),
        ]
        for pattern in tooLarge {
            #expect {
                try LinearRegex(pattern)
            } throws: { error in
                let error = error as? LinearRegex.SyntaxError
                return error?.code == .expressionTooLarge && error?.fragment == pattern
            }
        }
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "(", count: 1_000) + "a" + String(repeating: ")", count: 1_000)
        #expect(try LinearRegex(deep).matches("xa"))
        let tooDeep = "(" + deep + ")"
        #expect(throws: LinearRegex.SyntaxError(code: .nestingTooDeep, fragment: tooDeep, offset: 1_000)) { try LinearRegex(tooDeep) }
    }

    @Test func caseVariantsAreWholeOrbits() {
        // Matching one member of an orbit case-insensitively must match all of them, from any side.
        var asymmetric: [UInt32] = []
        for value in UInt32(0)...0x1FFFF {
            for variant in LinearRegex.caseVariants(of: value) where !LinearRegex.caseVariants(of: variant).contains(value) {
                asymmetric.append(value)
            }
        }
        #expect(asymmetric.isEmpty)
        #expect(Set(LinearRegex.caseVariants(of: 0x6B)) == [0x4B, 0x212A], "k K and the Kelvin sign")
        #expect(Set(LinearRegex.caseVariants(of: 0xB5)) == [0x39C, 0x3BC], "micro sign, Mu and mu")
        #expect(LinearRegex.caseVariants(of: 0x131).isEmpty, "dotless i folds to nothing")
        #expect(LinearRegex.caseVariants(of: 0x31).isEmpty)
    }

    @Test func equalPatternsAreEqualRegexes() throws {
        #expect(try LinearRegex("land.*") == LinearRegex("land.*"))
        #expect(try LinearRegex("land.*") != LinearRegex("land.+"))
        #expect(try Set([LinearRegex("a"), LinearRegex("a"), LinearRegex("b")]).count == 2)
        #expect(try LinearRegex("(?i)x").pattern == "(?i)x")
    }

    /// Random patterns over {a, b} from literal, `.`, `[ab]`, concatenation, `|`, `*`, `+`, `?`,
    /// checked against Swift's backtracking `Regex`, which agrees with Go on this subset.
    @Test func agreesWithSwiftRegexOnRandomSimplePatterns() throws {
        var random = SplitMix64(seed: 0x5C00_7E6E)
        var checked = 0
        for _ in 0..<1_500 {
            let pattern = randomPattern(depth: 3, using: &random)
            let linear = try LinearRegex(pattern)
            let swift = try Regex(pattern)
            for _ in 0..<4 {
                let text = String((0..<Int.random(in: 0...7, using: &random)).map { _ in "abc".randomElement(using: &random)! })
                let expected = (try swift.firstMatch(in: text)) != nil
                #expect(linear.matches(text) == expected, "\(pattern) ~ \(text)")
                checked += 1
            }
        }
        #expect(checked == 6_000)
    }

    private func randomPattern(depth: Int, using random: inout SplitMix64) -> String {
        let atoms = ["a", "b", ".", "[ab]"]
        guard depth > 0 else { return atoms.randomElement(using: &random)! }
        switch Int.random(in: 0..<10, using: &random) {
        case 0...2: return atoms.randomElement(using: &random)!
        case 3...5: return randomPattern(depth: depth - 1, using: &random) + randomPattern(depth: depth - 1, using: &random)
        case 6: return "(" + randomPattern(depth: depth - 1, using: &random) + "|" + randomPattern(depth: depth - 1, using: &random) + ")"
        default: return "(" + randomPattern(depth: depth - 1, using: &random) + ")" + ["*", "+", "?"].randomElement(using: &random)!
        }
    }
}

@Suite("LinearRegex budget")
struct LinearRegexBudgetTests {
    @Test func aMatchGivesUpWhenItsBudgetRunsOut() throws {
        let regex = try LinearRegex("(a+)+$")
        let long = String(repeating: "a", count: 100_000) + "!"
        #expect(regex.match(long, budget: 10_000) == .budgetExceeded)
        #expect(regex.match("aaa", budget: 10_000) == .matched)
        #expect(regex.match(String(repeating: "a", count: 40) + "!", budget: 10_000) == .notMatched, "40 characters take a few hundred steps, not 2^40")
        #expect(regex.matches(long) == false, "without a budget the whole text is examined")
    }

    @Test func aRequestorBeyondTheBudgetIsUnmatchedNotStalled() throws {
        let classifier = try RequestorClassifier(["(x+x+)+y": "evil"])
        let requestor = String(repeating: "x", count: 1_000_000)
        #expect(classifier.classify(requestor, percents: ["evil": 60, "rest": 40])! == ("rest", false))
        #expect(classifier.classify("xxy", percents: ["evil": 60, "rest": 40])! == ("evil", true))
    }
}
