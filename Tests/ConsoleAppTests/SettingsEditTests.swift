import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

/// `:percents` and `:map` change only what they name; the confirmation is the diff.
@Suite("Settings edits")
struct SettingsEditTests {
    static let defaults: [String: Int32] = ["land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2, "unknown": 1]

    static func state() -> ConsoleState {
        var state = connectedState()
        state.snapshot?.settings = .init(
            classLoadPercents: defaults, requestorToClassMap: ["land.*": "land", "diff.*": "diff"], rebalanceThreshold: 0, rebalanceMinimumDuration: 4)
        return state
    }

    /// Types `:text` and Enter.
    static func command(_ text: String, in state: inout ConsoleState) {
        press(&state, .character(":"))
        for character in text { press(&state, .character(character)) }
        press(&state, .enter)
    }

    static func confirmation(_ state: ConsoleState) -> (ConsoleAction, [String])? {
        guard case .confirm(let action, _) = state.overlay else { return nil }
        return (action, action.confirmationLines(in: state))
    }

    @Test func aPercentChangeLeavesTheOtherClassesAsTheyWereAndTheDialogListsOneChange() throws {
        var state = Self.state()
        Self.command("percents ktf=10", in: &state)
        let (action, lines) = try #require(Self.confirmation(state))
        var expected = Self.defaults
        expected["ktf"] = 10
        #expect(action == .setClassLoadPercents(expected))
        #expect(lines.filter { $0.contains("→") }.count == 1)
        #expect(lines.contains("  ktf: 3% → 10%") && lines.contains("  7 other classes unchanged"))
        #expect(lines.contains("  stored normalized to 100: land 42%, diff 23%, regression 15%, ktf 9%, sandbox 9%, coverage 1%, tryout 1%, unknown 0%"), "sum 107: stored as Scoot normalizes: \(lines)")
    }

    @Test func addingRemovingAndReplacingAreExplicit() throws {
        var state = Self.state()
        Self.command("percents +gpu=5,-tryout", in: &state)
        let (added, lines) = try #require(Self.confirmation(state))
        guard case .setClassLoadPercents(let percents) = added else { Issue.record("\(added)"); return }
        #expect(percents["gpu"] == 5 && percents["tryout"] == nil && percents.count == 8)
        #expect(lines.contains("  + gpu: 5% (new class)") && lines.contains("  − tryout: 2% (removed)"))

        state = Self.state()
        Self.command("percents =land=60,diff=40", in: &state)
        #expect(Self.confirmation(state)?.0 == .setClassLoadPercents(["land": 60, "diff": 40]))
    }

    @Test func unknownClassesAndTargetsAreRefusedWithTheKnownOnes() {
        var state = Self.state()
        Self.command("percents nosuchclass=10", in: &state)
        guard case .commandLine(_, let error?) = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        #expect(error == "unknown class 'nosuchclass'; the classes are coverage, diff, ktf, land, regression, sandbox, tryout, unknown (a new one is +nosuchclass=…)")

        state = Self.state()
        Self.command("map ci=nosuchclass", in: &state)
        guard case .commandLine(_, let mapError?) = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        #expect(mapError.hasPrefix("pattern 'ci' maps to unknown class 'nosuchclass'; the classes are coverage, diff"))
    }

    @Test func aMapChangeKeepsTheOtherPatternsAndSaysWhoChangesClass() throws {
        var state = Self.state()
        Self.command("map ^land-bot=ktf", in: &state)
        let (action, lines) = try #require(Self.confirmation(state))
        #expect(action == .setRequestorToClassMap(["land.*": "land", "diff.*": "diff", "^land-bot": "ktf"]))
        #expect(lines.contains("  + ^land-bot → ktf"))
        #expect(lines.contains("    land-bot: land → ktf"), "the longest pattern wins: \(lines)")

        state = Self.state()
        Self.command("map -diff.*", in: &state)
        let (removal, removalLines) = try #require(Self.confirmation(state))
        #expect(removal == .setRequestorToClassMap(["land.*": "land"]))
        #expect(removalLines.contains("    diff-x: diff → unknown"))
    }

    @Test func removingAClassTheMapStillUsesWarnsAndTheSettingsPaneMarksIt() throws {
        var state = Self.state()
        Self.command("percents -diff", in: &state)
        let (_, lines) = try #require(Self.confirmation(state))
        #expect(lines.contains("  ⚠ the requestor map still sends diff.* to diff: those requestors will go to the smallest class"))

        state = Self.state()
        state.snapshot?.settings.requestorToClassMap["^gpu-"] = "gpu"
        state.pane = .settings
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let line = try #require(buffer.lines().first { $0.contains("^gpu- → gpu") })
        #expect(line.contains("⚠ no class gpu: its requestors go to the smallest class"))
    }

    @Test func theFormsHoldTheWholeTable() throws {
        var state = Self.state()
        let result = ConsoleUpdate.validate(.percents, "land=50,diff=50", snapshot: state.snapshot)
        #expect(try result.get() == .setClassLoadPercents(["land": 50, "diff": 50]), "the form's text replaces the table")
        state.snapshot = nil
        Self.command("percents ktf=10", in: &state)
        guard case .commandLine(_, let error?) = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        #expect(error.contains("not read yet"))
    }
}

/// Confirmations that know what the console knows.
@Suite("Confirmations")
struct ConfirmationTests {
    @Test func aSuspiciousValueAsksTwiceAndSaysWhy() throws {
        var state = SettingsEditTests.state()
        SettingsEditTests.command("threshold 150", in: &state)
        let (_, lines) = try #require(SettingsEditTests.confirmation(state))
        #expect(lines.contains("  rebalance threshold: 0 (off) → 150 pp"))
        #expect(lines.contains { $0.hasPrefix("⚠ a threshold of 150 pp") })
        #expect(press(&state, .tab, .enter).isEmpty, "the first enter only shows the warnings")
        guard case .confirm(.setRebalanceThreshold(150), true) = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        #expect(performed(press(&state, .enter)) == [.setRebalanceThreshold(150)])
    }

    @Test func aPlainValueIsSentAfterOneConfirmAndShowsBeforeAndAfter() throws {
        var state = SettingsEditTests.state()
        SettingsEditTests.command("maxtasks 500", in: &state)
        let (_, lines) = try #require(SettingsEditTests.confirmation(state))
        #expect(lines.contains("  max tasks: unlimited → 500") && !lines.contains { $0.hasPrefix("⚠") })
        #expect(performed(press(&state, .tab, .enter)) == [.setMaxTasks(500)])
    }

    @Test func aClassGoingToZeroWhileItRunsIsWarned() throws {
        var state = SettingsEditTests.state()
        state.snapshot?.load = ScreenSnapshotTests.load()
        SettingsEditTests.command("percents diff=0", in: &state)
        let (_, lines) = try #require(SettingsEditTests.confirmation(state))
        #expect(lines.contains("⚠ diff goes to 0% with 6 running task(s): a 0% class gets no new work at all"))
    }

    @Test func killsOfFinishedJobsAndPointlessWorkerActionsAreRefusedBeforeTheDialog() {
        var state = SettingsEditTests.state()
        state.snapshot?.jobs[0].status = .completed
        state.snapshot?.jobs[1].status = .completed
        press(&state, .character("x"))
        #expect(state.overlay == nil && state.flash?.text.hasSuffix("has finished: nothing to kill") == true)

        state.pane = .workers
        state.snapshot?.workers = [WorkerInfo(id: "w1", state: .offline, lastSnapshotId: "", tasksRun: 0)]
        press(&state, .character("o"))
        #expect(state.overlay == nil && state.flash?.text == "worker w1 is already offline (r reinstates it)")
        state.snapshot?.workers = [WorkerInfo(id: "w1", state: .busy, lastSnapshotId: "", tasksRun: 0)]
        press(&state, .character("r"))
        #expect(state.overlay == nil && state.flash?.text == "worker w1 is not offline (busy): nothing to reinstate")
        press(&state, .character("o"))
        guard case .confirm(.offlineWorker("w1"), _) = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        #expect(ConsoleAction.offlineWorker("w1").verb == "Offline")
    }

    @Test func dangerousKeysInReadOnlyModeSayWhy() {
        var state = connectedState(readOnly: true)
        press(&state, .character("x"))
        #expect(state.overlay == nil && state.flash?.text.hasPrefix("read-only: ") == true && state.flash?.isError == true)
    }
}
