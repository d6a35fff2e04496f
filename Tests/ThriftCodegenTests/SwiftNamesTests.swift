import Testing
@testable import ThriftCodegen

/// IDL names become idiomatic Swift identifiers.
@Suite struct SwiftNamesTests {
    @Test(arguments: [
        ("NOT_STARTED", "notStarted"), ("IRON_TESTS", "ironTests"), ("UNKNOWN", "unknown"), ("TIMEDOUT", "timedout"),
        ("ROLLED_BACK", "rolledBack"), ("HTTPError", "httpError"), ("fooBar", "fooBar"), ("Pending", "pending"),
        ("A_B_C", "aBC"), ("V2_API", "v2Api"), ("_1", "_1"),
    ])
    func enumValueNamesBecomeLowerCamelCase(idlName: String, swiftName: String) {
        #expect(SwiftNames.enumCaseName(idlName) == swiftName)
    }

    @Test func methodNamesLoseOnlyTheirInitialCapital() {
        #expect(SwiftNames.methodName("RunJob") == "runJob")
        #expect(SwiftNames.methodName("GetRebalanceMinimumDuration") == "getRebalanceMinimumDuration")
        #expect(SwiftNames.methodName("ping") == "ping")
    }

    @Test func keywordsAreEscapedWithBackticks() {
        #expect(SwiftNames.escaped("default") == "`default`")
        #expect(SwiftNames.escaped("repeat") == "`repeat`")
        #expect(SwiftNames.escaped("status") == "status")
        #expect(SwiftNames.argumentLabel("repeat") == "repeat")
        #expect(SwiftNames.argumentLabel("inout") == "`inout`")
    }

    @Test func stringLiteralsEscapeQuotesBackslashesAndControlCharacters() {
        #expect(SwiftNames.stringLiteral("plain") == "\"plain\"")
        #expect(SwiftNames.stringLiteral("a\"b\\c\n\t\u{1}") == #""a\"b\\c\n\t\u{1}""#)
        #expect(SwiftNames.stringLiteral("\\(x)") == #""\\(x)""#)
    }

    @Test func freshNamesAvoidTakenOnes() {
        #expect(SwiftNames.fresh("header", avoiding: []) == "header")
        #expect(SwiftNames.fresh("header", avoiding: ["header", "header_"]) == "header__")
    }
}
