import Foundation
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

@Suite("Events")
struct EventsTests {
    static let time = Date(timeIntervalSince1970: 1_796_000_000)

    @Test func anotherOperatorsSettingsChangeAndAWorkerLeavingServiceAreEvents() {
        let old = sampleSnapshot()
        var new = old
        new.settings.rebalanceThreshold = 30
        new.settings.classLoadPercents["diff"] = 20
        new.schedulerStatus.maxTasks = 500
        new.workers[0].state = .offline
        new.workers[1].state = .busy  // idle → busy is ordinary work, not an event
        let events = ClusterEvents.changes(from: old, to: new, at: Self.time)
        #expect(events.map(\.text) == [
            "class load percents changed: diff: 40% → 20%",
            "rebalance threshold changed: 0 → 30",
            "max tasks changed: unlimited → 500",
            "worker local-0: busy → offline",
        ])
        #expect(events.map(\.kind) == [.settings, .settings, .settings, .worker])
        #expect(ClusterEvents.changes(from: nil, to: new, at: Self.time).isEmpty, "the first poll is no change")
    }

    @Test func losingAndRegainingTheSchedulerAreEventsAndAreRecorded() {
        var state = connectedState()
        guard let id = pollDue(&state, at: .seconds(5)) else { Issue.record("no poll"); return }
        let lost = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .failure(PollFailure("connection refused"))))
        guard case .recordEvents(let events) = lost.first else { Issue.record("\(lost)"); return }
        #expect(events.map(\.text) == ["lost 127.0.0.1:9090: connection refused"])
        guard let retry = pollDue(&state, at: .seconds(60)) else { Issue.record("no retry"); return }
        let back = ConsoleUpdate.update(&state, .pollFinished(id: retry, result: .success(sampleSnapshot())))
        guard case .recordEvents(let regained) = back.first else { Issue.record("\(back)"); return }
        #expect(regained.map(\.text) == ["reconnected to 127.0.0.1:9090 (it was: connection refused)"])
        #expect(state.events.events.map(\.kind) == [.connection, .connection], "newest first")
        state.pane = .events
        #expect(state.rowCount(in: .events) == 2 && state.searchableText(row: 1, in: .events).contains("lost"))
    }

    @Test func theLogIsBoundedAndTheJournalRotates() async throws {
        var log = EventLog()
        log.append((0..<(EventLog.capacity + 10)).map { ConsoleEvent(time: Self.time, kind: .action, text: "e\($0)") })
        #expect(log.events.count == EventLog.capacity && log.events.first?.text == "e\(EventLog.capacity + 9)")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = EventJournal(path: directory.appendingPathComponent("events.jsonl").path, maximumBytes: 200)
        for index in 0..<6 { #expect(await journal.append([ConsoleEvent(time: Self.time, kind: .settings, text: "change \(index)")]) == nil) }
        let current = try String(contentsOfFile: journal.path, encoding: .utf8)
        let rotated = try String(contentsOfFile: journal.path + ".1", encoding: .utf8)
        #expect(current.contains(#""text":"change 5""#) && current.split(separator: "\n").count < 6)
        #expect(rotated.contains(#""kind":"settings""#) && rotated.contains(#""time":"2026-11-30T00:53:20Z""#))
    }
}

/// Colours a text snapshot cannot see.
@Suite("Header roles")
struct HeaderRoleTests {
    /// The role of the first cell of `text` in the header's first line.
    static func role(of text: String, in state: ConsoleState) -> StyleRole? {
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        guard let line = buffer.lines().first, let range = line.range(of: text) else { return nil }
        return buffer[line.distance(from: line.startIndex, to: range.lowerBound), 0]?.role
    }

    /// Both the on-time and the late text start with "data": only late data is a warning (the
    /// header drew both in the error colour).
    @Test func onTimeDataIsDimAndLateDataIsAWarning() {
        var state = connectedState()
        #expect(Self.role(of: "data <", in: state) == .dim)
        state.now = state.now + .seconds(7)
        #expect(Self.role(of: "data 7s old", in: state) == .flashError)
    }
}

/// Task states as they are.
@Suite("Task states")
struct TaskStateTests {
    @Test func aNonZeroExitIsNotCompleteAndOnlyEndedRunsHaveAnExitCode() throws {
        #expect(TaskState(RunStatus(status: .complete, runId: "1", exitCode: 3), taskStatus: .completed).badge.text == "✗ exit 3")
        #expect(TaskState(RunStatus(status: .complete, runId: "1", exitCode: 0), taskStatus: .completed).badge.text == "✓ complete")
        var state = PlainScootScreenTests.state(pane: .tasks)
        state.snapshot?.selectedJobStatus = JobStatus(
            id: "7e9a1c2d-killed", status: .inProgress, taskStatus: ["task1": .inProgress, "task2": .completed],
            taskData: ["task1": RunStatus(status: .running, runId: "1", exitCode: 0), "task2": RunStatus(status: .complete, runId: "2", exitCode: 3)])
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let running = try #require(buffer.lines().first { $0.contains("task1") })
        let failed = try #require(buffer.lines().first { $0.contains("task2") })
        #expect(!running.contains(" 0 "), "a running task has no exit code: \(running)")
        #expect(failed.contains("✗ exit 3") && failed.contains(" 3 "))
    }
}

/// `/` starts a new query; Esc clears the Jobs filter.
@Suite("Search and filter")
struct FilterClearingTests {
    @Test func aSearchStartsEmptyAndEscapeClearsTheFilter() {
        var state = connectedState()
        press(&state, .character("/"), .character("d"), .character("i"), .enter)
        #expect(state.jobFilter == "di" && state.rows.jobs.map(\.job).map(\.id) == ["j2"])
        press(&state, .character("/"))
        guard case .search("") = state.overlay else { Issue.record("\(String(describing: state.overlay))"); return }
        press(&state, .character("j"), .character("1"), .escape)
        #expect(state.jobFilter.isEmpty && state.rows.jobs.map(\.job).count == 2, "Esc in the prompt clears the filter")
        press(&state, .character("/"), .character("j"), .character("2"), .enter, .escape)
        #expect(state.jobFilter.isEmpty && state.flash?.text == "filter cleared", "Esc on the pane clears it too")

        state.pane = .workers
        state.rowSearch = "local-0"
        press(&state, .character("/"))
        #expect(state.rowSearch.isEmpty, "the last query is not kept to be appended to")
    }
}

/// `--ascii` draws nothing but ASCII, whatever the pane, the overlay or the server's text.
@Suite("ASCII only")
struct ASCIIOnlyTests {
    static func isASCII(_ buffer: Buffer) -> Bool {
        buffer.cells.allSatisfy { $0.grapheme.unicodeScalars.allSatisfy { $0.value <= 0x7E } }
    }

    @Test(arguments: Pane.allCases)
    func everyPaneIsASCII(pane: Pane) {
        for state in [ScreenSnapshotTests.state(pane: pane, width: 120), PlainScootScreenTests.state(pane: pane)] {
            var withOverlay = state
            _ = ConsoleUpdate.update(&withOverlay, .key(.character("?")))
            for variant in [state, withOverlay] {
                // At 120×40 and at 80×24 (the compact layout, other columns).
                for size in [(120, 40), (80, 24)] {
                    var buffer = Buffer(area: Rect(width: size.0, height: size.1))
                    ConsoleView.render(variant, into: &buffer, characters: .ascii)
                    #expect(Self.isASCII(buffer), "\(pane) at \(size): \(buffer.lines().joined(separator: "\n"))")
                }
            }
        }
    }

    @Test func aConfirmationAServerTextAndATooSmallTerminalAreASCII() {
        var state = ScreenSnapshotTests.state(pane: .jobs, width: 120)
        state.snapshot?.jobs[0].requestor = "jöb-ünïcode-🙂"
        state.overlay = .confirm(.killJobs([state.snapshot!.jobs[0].id]), confirmFocused: true)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer, characters: .ascii)
        #expect(Self.isASCII(buffer))
        var small = Buffer(area: Rect(width: 40, height: 10))
        ConsoleView.render(state, into: &small, characters: .ascii)
        #expect(Self.isASCII(small) && small.lines().joined().contains("terminal too small"))
    }
}

@Suite("Reconnecting")
struct ReconnectTests {
    @Test func theBackOffIsAtMost5sAndCtrlRRetriesAtOnce() {
        var state = connectedState()
        for round in 0..<8 {
            guard let id = pollDue(&state, at: state.nextPollAt) else {
                Issue.record("no poll in round \(round)")
                return
            }
            _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .failure(PollFailure("connection refused"))))
            #expect(state.nextPollAt - state.now <= .seconds(5), "round \(round)")
        }
        let effects = press(&state, .control("r"))
        guard case .poll = effects.first else { Issue.record("ctrl-r must poll at once: \(effects)"); return }
    }

    @Test func sortKeysSortThePaneOnScreen() {
        var state = connectedState()
        state.pane = .workers
        let jobsSort = state.sort(of: .jobs)
        press(&state, .character(">"))
        #expect(state.sort(of: .jobs) == jobsSort, "a sort key on the Workers pane does not sort the hidden Jobs table")
        #expect(state.sort(of: .workers) == SortOrder(column: "STATE", ascending: true))
    }
}

@Suite("Worker states")
struct WorkerStateTests {
    @Test func anOfflineWorkerStillRunningATaskIsDraining() {
        #expect(StateBadge.worker(WorkerInfo(id: "w", state: .offline, currentJobId: "j", currentTaskId: "t", lastSnapshotId: "", tasksRun: 1)).text == "⊘ draining")
        #expect(StateBadge.worker(WorkerInfo(id: "w", state: .offline, lastSnapshotId: "", tasksRun: 1)).text == "⊘ offline")
    }
}

@Suite("Position")
struct PositionTests {
    @Test func thePaneTitleSaysWhichRowTheCursorIsOn() {
        var state = connectedState()
        press(&state, .character("j"))
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.contains("1 Jobs (2) · row 2/2") })
    }
}

@Suite("Worker counts")
struct WorkerCountTests {
    /// The header counted a polled worker that does not answer nowhere (neither available nor
    /// suspended); the plain-Scoot path had its own copy of the rule that did count it.
    @Test func anUnreachableWorkerCountsAsSuspended() {
        let counts = WorkerCounts(workers: [
            WorkerInfo(id: "a", state: .busy, lastSnapshotId: "", tasksRun: 0), WorkerInfo(id: "b", state: .unreachable, lastSnapshotId: "", tasksRun: 0),
        ])
        #expect(counts.available == 1 && counts.suspended == 1 && counts.offline == 0)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(PlainScootScreenTests.state(pane: .jobs), into: &buffer)
        #expect(buffer.lines()[1].contains("susp 2"), "unhealthy and unreachable: \(buffer.lines()[1])")
    }
}
