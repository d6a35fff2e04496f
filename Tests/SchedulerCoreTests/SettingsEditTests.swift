@testable import SchedulerCore
import Testing

@Suite struct SettingsEditTests {
    @Test func aMergeChangesOnlyWhatItNames() throws {
        let edit = SettingsEdit<Int>(mode: .merge, set: ["a": 5, "n": 1], added: ["n"], removed: ["c"])
        #expect(try edit.applied(to: ["a": 1, "b": 2, "c": 3], noun: "class", plural: "classes") == ["a": 5, "b": 2, "n": 1])
    }

    @Test func aMergeRefusesNamesThatAreNotThereAndNewNamesWithoutAPlus() {
        #expect(throws: SettingsEdit<Int>.Refusal(description: "unknown class 'x'; the classes are a, b (a new one is +x=…)")) {
            try SettingsEdit<Int>(mode: .merge, set: ["x": 1]).applied(to: ["a": 1, "b": 2], noun: "class", plural: "classes")
        }
        #expect(throws: SettingsEdit<Int>.Refusal(description: "no class 'x' to remove; the classes are a")) {
            try SettingsEdit<Int>(mode: .merge, removed: ["x"]).applied(to: ["a": 1], noun: "class", plural: "classes")
        }
        #expect(throws: SettingsEdit<Int>.Refusal(description: "class 'a' exists already; change it with a=…")) {
            try SettingsEdit<Int>(mode: .merge, set: ["a": 1], added: ["a"]).applied(to: ["a": 1], noun: "class", plural: "classes")
        }
    }

    @Test func aReplaceIsTheGivenTable() throws {
        #expect(try SettingsEdit<Int>(mode: .replace, set: ["z": 1]).applied(to: ["a": 1], noun: "class", plural: "classes") == ["z": 1])
    }

    @Test func mapPatternsMayBeNewButTheirClassesMustExist() throws {
        let edit = SettingsEdit<String>(mode: .merge, set: ["^ci-": "land"], removed: ["old.*"])
        #expect(try edit.appliedMap(to: ["old.*": "diff", "land.*": "land"], classes: ["land", "diff"]) == ["land.*": "land", "^ci-": "land"])
        #expect(throws: SettingsEdit<String>.Refusal.self) {
            try SettingsEdit<String>(mode: .merge, set: ["x": "nope"]).appliedMap(to: [:], classes: ["land"])
        }
    }
}
