import Testing
@testable import SchedulerCore

/// The bounded map behind the duration and tag histories.
@Suite struct RecentEntriesTests {
    @Test func itNeverHoldsMoreThanTwoGenerationsAndKeepsTheRecentOnes() {
        var entries = RecentEntries<Int, Int>(generationSize: 100)
        for key in 0..<10_000 {
            entries[key] = key
            #expect(entries.count <= 200)
        }
        for key in 9_900..<10_000 { #expect(entries[key] == key) }
        #expect(entries[0] == nil)
    }

    @Test func aKeyWrittenAgainMovesToTheNewerGenerationWithItsNewValue() {
        var entries = RecentEntries<String, Int>(generationSize: 2)
        entries["a"] = 1
        entries["b"] = 2
        entries["c"] = 3  // a and b become the older generation
        entries["a"] = 10
        entries["d"] = 4  // the newer one (c, a) is full: b is dropped
        #expect(entries["a"] == 10 && entries["c"] == 3 && entries["d"] == 4)
        #expect(entries["b"] == nil)
        entries["a"] = nil
        #expect(entries["a"] == nil)
    }

    @Test func theDurationHistoryIsBounded() {
        var history = DurationHistory()
        for index in 0..<(3 * DurationHistory.generationSize) {
            history.record(taskID: "t\(index)", duration: .seconds(1))
        }
        #expect(history.meanSeconds(of: "t\(3 * DurationHistory.generationSize - 1)") == 1)
        #expect(history.meanSeconds(of: "t0") == 0, "the oldest ids are forgotten")
    }
}
