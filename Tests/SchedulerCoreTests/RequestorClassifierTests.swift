import Testing
@testable import SchedulerCore

@Suite struct RequestorClassifierTests {
    @Test func overlappingPatternsPickTheLongestThenTheFirstByText() throws {
        let percents = ["land": 50, "urgent": 30, "u2": 10, "x": 5, "y": 5]
        let map = ["land.*": "land", "land-urgent.*": "urgent", "urgent": "u2", "ab": "x", "ba": "y"]
        for _ in 0..<20 {
            // Dictionaries built in different orders must classify alike.
            let classifier = try RequestorClassifier(Dictionary(uniqueKeysWithValues: map.shuffled()))
            #expect(classifier.classify("land-urgent-bot", percents: percents)! == ("urgent", true))
            #expect(classifier.classify("my-land", percents: percents)! == ("land", true))
            #expect(classifier.classify("aba", percents: percents)! == ("x", true), "same length: 'ab' < 'ba'")
        }
    }

    @Test func unmatchedRequestorsGoToTheSmallestPercentClass() throws {
        let classifier = try RequestorClassifier(["land.*": "land", "^diff": "diff"])
        let percents = ["land": 50, "diff": 30, "tiny": 5, "tie": 5]
        #expect(classifier.classify("alice", percents: percents)! == ("tie", false), "smallest percent, ties by name")
        #expect(classifier.classify("my-diff", percents: percents)! == ("tie", false), "^diff is anchored")
        #expect(classifier.classify("anything", percents: [:]) == nil)
    }

    @Test func aMatchWhoseClassHasNoPercentFallsThroughToShorterPatterns() throws {
        let classifier = try RequestorClassifier(["land-urgent": "urgent", "land": "land"])
        // The cache holds which rules match, so the percents given each time still decide.
        #expect(classifier.classify("land-urgent", percents: ["urgent": 10, "land": 90])! == ("urgent", true))
        #expect(classifier.classify("land-urgent", percents: ["land": 90, "other": 10])! == ("land", true))
        #expect(classifier.classify("land-urgent", percents: ["other": 10])! == ("other", false))
    }

    @Test func scootDefaultsClassifyAsScootDoes() {
        let percents = ["land": 40, "diff": 20, "sandbox": 5, "regression": 10, "ktf": 10, "coverage": 5, "tryout": 5, "unknown": 1]
        let classifier = RequestorClassifier.scootDefault
        #expect(classifier.patterns == RequestorClassifier.scootDefaults)
        #expect(classifier.classify("CI-nightly", percents: percents)! == ("regression", true))
        #expect(classifier.classify("team-jenkins", percents: percents)! == ("ktf", true))
        #expect(classifier.classify("xland", percents: percents)! == ("land", true), "unanchored")
        #expect(classifier.classify("ci-nightly", percents: percents)! == ("unknown", false), "case-sensitive")
        #expect(classifier.danglingClasses(against: percents).isEmpty)
        #expect(classifier.danglingClasses(against: ["land": 100]) == ["coverage", "diff", "ktf", "regression", "sandbox", "tryout"])
    }

    @Test func invalidPatternsAreRefusedByName() {
        #expect {
            try RequestorClassifier(["ok.*": "a", "(": "b"])
        } throws: { error in
            let description = (error as? RequestorClassifier.InvalidMap)?.description ?? ""
            return description.contains("'('") && description.contains("missing closing )")
        }
        #expect(throws: RequestorClassifier.InvalidMap.self) { try RequestorClassifier(["(?=lookahead)": "a"]) }
        #expect(throws: RequestorClassifier.InvalidMap.self) { try RequestorClassifier(["a{1001}": "a"]) }
    }

    @Test func aCatastrophicPatternClassifiesImmediately() throws {
        let classifier = try RequestorClassifier(["(a+)+$": "evil", "^b": "b"])
        let percents = ["evil": 50, "b": 40, "rest": 10]
        #expect(classifier.classify(String(repeating: "a", count: 21) + "!", percents: percents)! == ("rest", false))
        #expect(classifier.classify(String(repeating: "a", count: 22), percents: percents)! == ("evil", true))
        #expect(classifier.classify(String(repeating: "a", count: 50_000) + "!", percents: percents)! == ("rest", false))
    }

    @Test func theCacheGivesTheSameAnswersAndStaysBounded() throws {
        let classifier = try RequestorClassifier(["^land-[0-9]+$": "land", "[13579]$": "odd"])
        let percents = ["land": 60, "odd": 30, "rest": 10]
        func expected(_ index: Int) -> (String, Bool) {
            index.isMultiple(of: 3) ? ("land", true) : index % 2 == 1 ? ("odd", true) : ("rest", false)
        }
        func requestor(_ index: Int) -> String { index.isMultiple(of: 3) ? "land-\(index)" : "user-\(index)" }
        for round in 0..<2 {
            for index in 0..<(MatchingRulesCache.capacity + 1_000) {
                #expect(classifier.classify(requestor(index), percents: percents)! == expected(index), "round \(round), \(index)")
                #expect(classifier.cachedRequestorCount <= MatchingRulesCache.capacity)
            }
        }
        let copy = classifier
        #expect(copy.classify(requestor(3), percents: percents)! == expected(3), "copies share the cache")
        let long = "user-" + String(repeating: "x", count: MatchingRulesCache.maximumRequestorLength) + "7"
        let before = classifier.cachedRequestorCount
        #expect(classifier.classify(long, percents: percents)! == ("odd", true))
        #expect(classifier.cachedRequestorCount == before, "overlong requestors are not cached")
    }
}
