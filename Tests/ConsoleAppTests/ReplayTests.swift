import AuditLog
import Foundation
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

/// A recording in memory: a poll a second from `start`, job j1's running count the poll's number.
final class MemoryRecording: RecordingSource, @unchecked Sendable {
    let polls: [ClusterSnapshot]
    let entries: [(Date, AuditEntry)]
    var warnings: [String] = []
    var span: ClosedRange<Date>? { polls.isEmpty ? nil : polls.first!.observedAt...polls.last!.observedAt }
    var sessions: [ClosedRange<Date>] { RecordedSessions.split(polls.map(\.observedAt)) }
    var marks: [RecordedMark] { entries.map { RecordedMark(time: $0.0, action: $0.1.action, outcome: $0.1.outcome) } }

    init(start: Date, count: Int, entries: [(Date, AuditEntry)] = []) {
        polls = (0..<count).map { poll in
            var snapshot = sampleSnapshot()
            snapshot.jobs[0].runningTasks = Int32(poll)
            snapshot.observedAt = start.addingTimeInterval(TimeInterval(poll))
            return snapshot
        }
        self.entries = entries
    }

    func frame(at time: Date) -> RecordedFrame? {
        guard !polls.isEmpty else { return nil }
        let index = max(0, (polls.lastIndex { $0.observedAt <= time }) ?? 0)
        let at = polls[index].observedAt
        return RecordedFrame(
            snapshot: polls[index], previousPollAt: index > 0 ? polls[index - 1].observedAt : nil,
            nextPollAt: index + 1 < polls.count ? polls[index + 1].observedAt : nil,
            audit: entries.filter { $0.0 <= at }.map(\.1))
    }
}

@Suite("Replay: the console on a recording")
struct ReplayTests {
    static let start = Date(timeIntervalSince1970: 1_795_996_800)  // 2026-11-30 00:00:00 UTC

    /// A replay state at `position` with the frame there already shown.
    static func replayState(_ recording: MemoryRecording, at position: Date? = nil) -> ConsoleState {
        var state = ConsoleState(endpoint: "recording", readOnly: true)
        state.timeZone = TimeZone(identifier: "UTC")!
        var replay = ReplayState(span: recording.span!, marks: recording.marks, position: position ?? recording.span!.lowerBound)
        let seek = replay.move(to: replay.position)!
        state.replay = replay
        _ = ConsoleUpdate.update(&state, .replayFrame(recording.frame(at: seek)!))
        return state
    }

    /// Runs every seek among `effects` against `recording` and applies its frame, like the runtime.
    static func runSeeks(_ effects: [ConsoleEffect], _ state: inout ConsoleState, _ recording: MemoryRecording) {
        var pending = effects
        while let effect = pending.first {
            pending.removeFirst()
            if case .replaySeek(let time) = effect { pending += ConsoleUpdate.update(&state, .replayFrame(recording.frame(at: time)!)) }
        }
    }

    @Test func aReplayNeverPollsAndShowsTheFrameAtItsPosition() {
        let recording = MemoryRecording(start: Self.start, count: 100)
        var state = Self.replayState(recording, at: Self.start.addingTimeInterval(42.5))
        #expect(state.snapshot?.jobs[0].runningTasks == 42, "the last poll at or before the position")
        #expect(ConsoleUpdate.update(&state, .tick(now: .seconds(30))).isEmpty, "no poll, ever")
        #expect(ConsoleUpdate.update(&state, .key(.control("r"))).isEmpty)
        #expect(state.dataAgeText == nil, "the past is never late")
    }

    @Test func playingAdvancesWithTheClockTimesTheSpeedAndSeeksAtEachPoll() {
        let recording = MemoryRecording(start: Self.start, count: 100)
        var state = Self.replayState(recording)
        _ = ConsoleUpdate.update(&state, .key(.character("P")))
        #expect(state.replay?.playing == true)
        _ = ConsoleUpdate.update(&state, .key(.character("+")))
        _ = ConsoleUpdate.update(&state, .key(.character("+")))
        #expect(state.replay?.speed == 4)
        #expect(ConsoleUpdate.update(&state, .tick(now: .seconds(1))).isEmpty, "the first tick only starts the play clock")
        let effects = ConsoleUpdate.update(&state, .tick(now: .milliseconds(1500)))
        #expect(effects == [.replaySeek(Self.start.addingTimeInterval(2))], "0.5 s at 4× is 2 recorded seconds")
        Self.runSeeks(effects, &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 2)
        _ = ConsoleUpdate.update(&state, .key(.character("Z")))
        #expect(state.replay?.playing == false, "Z pauses a replay too")
    }

    @Test func aPlayingReplayStopsAtTheEnd() {
        let recording = MemoryRecording(start: Self.start, count: 10)
        var state = Self.replayState(recording, at: Self.start.addingTimeInterval(8))
        _ = ConsoleUpdate.update(&state, .key(.character("P")))
        _ = ConsoleUpdate.update(&state, .tick(now: .seconds(1)))
        Self.runSeeks(ConsoleUpdate.update(&state, .tick(now: .seconds(60))), &state, recording)
        #expect(state.replay?.playing == false)
        #expect(state.replay?.position == Self.start.addingTimeInterval(9))
        #expect(state.snapshot?.jobs[0].runningTasks == 9)
    }

    @Test func stepsAndJumpsMoveByPollsAndMinutes() {
        let recording = MemoryRecording(start: Self.start, count: 3600)
        var state = Self.replayState(recording, at: Self.start.addingTimeInterval(1000))
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character("."))), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 1001)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character(","))), &state, recording)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character(","))), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 999)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character("f"))), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 1059)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character("B"))), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 459)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character("B"))), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 0, "a jump before the start stops at the first poll")
    }

    @Test func aSeekAskedWhileOneRunsWaitsAndOnlyTheLatestRuns() {
        let recording = MemoryRecording(start: Self.start, count: 3600)
        var state = Self.replayState(recording, at: Self.start.addingTimeInterval(1000))
        let first = ConsoleUpdate.update(&state, .key(.character("f")))
        #expect(ConsoleUpdate.update(&state, .key(.character("f"))).isEmpty, "one seek at a time")
        #expect(ConsoleUpdate.update(&state, .key(.character("f"))).isEmpty)
        guard case .replaySeek(let time) = first.first else { Issue.record("no seek"); return }
        let next = ConsoleUpdate.update(&state, .replayFrame(recording.frame(at: time)!))
        #expect(next == [.replaySeek(Self.start.addingTimeInterval(1180))])
    }

    @Test func goToTakesATimeOfDayADateOrARelativeTime() {
        let recording = MemoryRecording(start: Self.start, count: 7200)
        var state = Self.replayState(recording)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = state.timeZone
        let clock = calendar.dateComponents([.hour, .minute], from: Self.start)
        let target = String(format: "%02d:%02d:30", clock.hour!, (clock.minute! + 5) % 60)
        Self.runSeeks(ConsoleUpdate.runCommandLine(&state, TextInput("goto \(target)")), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 330)
        Self.runSeeks(ConsoleUpdate.runCommandLine(&state, TextInput("goto -90s")), &state, recording)
        #expect(state.snapshot?.jobs[0].runningTasks == 240)
        _ = ConsoleUpdate.runCommandLine(&state, TextInput("goto 25:00"))
        #expect(state.flash?.isError == true)
        #expect(state.flash?.text.contains("HH:MM") == true)
    }

    @Test func sessionsAreSplitAtGapsOfMoreThanAMinute() {
        let t = Self.start
        let sessions = RecordedSessions.split([t, t + 1, t + 61, t + 200, t + 201])
        #expect(sessions == [t...(t + 61), (t + 200)...(t + 201)])
        #expect(RecordedSessions.split([Date]()).isEmpty)
    }

    @Test func replayTimesParse() throws {
        let utc = TimeZone(identifier: "UTC")!
        let position = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-12-01 ... UTC
        let dated = try ReplayTime.parse("2026-12-03 03:12:30", relativeTo: position, timeZone: utc)
        #expect(ISO8601DateFormatter().string(from: dated) == "2026-12-03T03:12:30Z")
        #expect(try ReplayTime.parse("2026-12-03T03:12", relativeTo: position, timeZone: utc) == dated.addingTimeInterval(-30))
        #expect(try ReplayTime.parse("+1h", relativeTo: position, timeZone: utc) == position.addingTimeInterval(3600))
        #expect(throws: ReplayTime.ParseError.self) { try ReplayTime.parse("2026-02-30 01:00", relativeTo: position, timeZone: utc) }
        #expect(throws: ReplayTime.ParseError.self) { try ReplayTime.parse("-10x", relativeTo: position, timeZone: utc) }
        #expect(throws: ReplayTime.ParseError.self) { try ReplayTime.parse("12:61", relativeTo: position, timeZone: utc) }
    }

    @Test func dangerousActionsAreAbsentAndSayWhy() {
        let recording = MemoryRecording(start: Self.start, count: 10)
        var state = Self.replayState(recording)
        #expect(ConsoleUpdate.update(&state, .key(.character("x"))).isEmpty)
        #expect(state.overlay == nil)
        #expect(state.flash?.text.contains("this is a replay") == true)
        let effects = ConsoleUpdate.runCommandLine(&state, TextInput("threshold 30"))
        #expect(effects.isEmpty, "no refusal is written to the audit log from a replay")
        #expect(KeyTable.bindings(in: .jobs, readOnly: true, replay: true).allSatisfy { !$0.dangerous })
        #expect(KeyTable.bindings(in: .jobs, readOnly: false).allSatisfy { !$0.replayOnly }, "a live console has no replay keys")
    }

    @Test func theAuditPaneShowsTheEntriesRecordedUpToTheFrame() {
        let kill = AuditEntry(time: Self.start + 5, operatorName: "alice", endpoint: "e", source: .console, action: .killJob(ids: ["j1"]), after: "j1", outcome: .ok)
        let recording = MemoryRecording(start: Self.start, count: 10, entries: [(Self.start + 5, kill)])
        var state = Self.replayState(recording, at: Self.start + 4)
        #expect(state.audit.entries.isEmpty)
        Self.runSeeks(ConsoleUpdate.update(&state, .key(.character("."))), &state, recording)
        #expect(state.audit.entries == [kill])
        #expect(state.replay?.marks.map(\.action) == ["kill-job"])
    }

    @Test func theTimeBarShowsThePositionAndTheMarks() throws {
        let kill = AuditEntry(time: Self.start + 600, operatorName: "alice", endpoint: "e", source: .console, action: .killJob(ids: ["j1"]), after: "j1", outcome: .ok)
        let recording = MemoryRecording(start: Self.start, count: 1200, entries: [(Self.start + 600, kill)])
        var state = Self.replayState(recording, at: Self.start + 300)
        _ = ConsoleUpdate.update(&state, .resize(width: 120, height: 40))
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let header = buffer.lines()[0]
        #expect(header.hasPrefix("REPLAY paused  "))
        #expect(header.contains("(−14m from the end)"), "899 s before the last poll")
        let cursor = try #require(header.firstIndex(of: "●")), mark = try #require(header.firstIndex(of: "▲"))
        let left = try #require(header.firstIndex(of: "├")), right = try #require(header.firstIndex(of: "┤"))
        let quarter = header.distance(from: left, to: cursor), half = header.distance(from: left, to: mark), whole = header.distance(from: left, to: right)
        #expect(abs(Double(quarter) / Double(whole) - 0.25) < 0.05)
        #expect(abs(Double(half) / Double(whole) - 0.5) < 0.05)
        let markCell = try #require(buffer[header.distance(from: header.startIndex, to: mark), 0])
        #expect(markCell.role == .stateDone, "a kill that worked")
        #expect(buffer.lines().contains { $0.contains("P replay: play") }, "the hint bar names the replay's keys:\n\(buffer.lines().joined(separator: "\n"))")
    }

    @Test func aJobTheRecordingConsoleKilledShowsItsTasksFromTheFollowedJobs() {
        var snapshot = sampleSnapshot()
        snapshot.followedJobStatuses["j2"] = JobStatus(id: "j2", status: .completed, taskStatus: ["t1": .completed],
                                                      taskData: ["t1": RunStatus(status: .aborted, runId: "1", error: "UserRequested")])
        snapshot.followedJobTasks["j2"] = [TaskSummary(taskId: "t1", status: .completed, endedAtMs: 5_000, attempts: 0)]
        let shown = ConsoleUpdate.showingTasks(of: "j2", in: snapshot)
        #expect(shown.selectedJobStatus?.id == "j2" && shown.selectedJobTasks.map(\.taskId) == ["t1"])
        #expect(ConsoleUpdate.showingTasks(of: "j1", in: snapshot) == snapshot, "a job not followed keeps the frame as recorded")
        #expect(ConsoleUpdate.showingTasks(of: nil, in: snapshot) == snapshot)
    }

    @Test func theTasksPaneSaysWhenTheRecordingHasNoTasksOfTheJob() {
        let recording = MemoryRecording(start: Self.start, count: 10)
        var state = Self.replayState(recording)
        _ = ConsoleUpdate.update(&state, .resize(width: 120, height: 40))
        _ = ConsoleUpdate.update(&state, .key(.enter))
        #expect(state.pane == .tasks)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.contains("the recording has no task list of") })
    }
}

@Suite(":dump")
struct DumpTests {
    @Test func theDumpHoldsTheScreenAndThePaneAsTSVAndJSON() throws {
        var state = connectedState()
        _ = ConsoleUpdate.update(&state, .resize(width: 100, height: 30))
        state.snapshot?.jobs[0].tag = "tab\there \"quoted\" /path\\"
        state.rebuild([.jobs])
        let text = ConsoleDump.text(of: state, at: Date(timeIntervalSince1970: 1_796_000_000))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("# scoot-console dump: Jobs of 127.0.0.1:9090, written 2026-"))
        #expect(lines.contains("## Screen"))
        let tsv = try #require(lines.firstIndex { $0.hasPrefix("## Jobs (TSV, 2 rows)") })
        let titles = lines[tsv + 2].split(separator: "\t").map(String.init)
        #expect(titles.contains("ID") && titles.contains("REQUESTOR"))
        #expect(lines[tsv + 3].split(separator: "\t", omittingEmptySubsequences: false).count == titles.count, "one field per column, tabs in cells replaced")
        #expect(text.hasSuffix("]\n"))
        // The JSON section parses, every row holds every column, and the cell text survives.
        let json = try #require(lines.firstIndex(of: "## Jobs (JSON)"))
        let parsed = try JSONSerialization.jsonObject(with: Data(lines[(json + 2)...].joined(separator: "\n").utf8)) as? [[String: String]]
        let objects = try #require(parsed)
        #expect(objects.count == 2 && objects.allSatisfy { Set($0.keys) == Set(titles) })
        #expect(Set(objects.compactMap { $0["ID"] }) == ["j1", "j2"])
        let tags = objects.compactMap { $0.values.first { $0.contains("quoted") } }
        #expect(tags.count == 1 && tags[0].contains("\"quoted\"") && tags[0].contains("/path\\"), "quotes, slashes and backslashes survive: \(tags)")
    }

    @Test func dumpCommandsParse() throws {
        #expect(try CommandParser.parse("dump") == .dump(nil))
        #expect(try CommandParser.parse("dump /tmp/x.txt") == .dump("/tmp/x.txt"))
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("dump a b") }
        #expect(throws: CommandParser.ParseError.self) { try CommandParser.parse("goto") }
        var state = connectedState()
        #expect(ConsoleUpdate.runCommandLine(&state, TextInput("dump")) == [.dump(path: nil)])
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dump-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a/b.txt").path
        try ConsoleDump.write("first\n", to: path)
        #expect(throws: ConsoleDump.DumpFailure.self) { try ConsoleDump.write("second\n", to: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        #expect(ConsoleDump.defaultPath(pane: .jobs, at: Date(timeIntervalSince1970: 0), directory: "/d") == "/d/dump-jobs-1970-01-01T000000Z.txt")
    }
}

@Suite("The flight recorder's problems on screen")
struct RecordingProblemTests {
    @Test func aRecorderThatCannotWriteIsFlashedAndMarkedInTheHeaderUntilItWritesAgain() {
        var state = connectedState()
        _ = ConsoleUpdate.update(&state, .resize(width: 120, height: 40))
        _ = ConsoleUpdate.update(&state, .recordingProblem("the flight recording cannot be written (No space left on device); 3 records lost so far"))
        #expect(state.flash?.isError == true && state.flash?.text.contains("No space left") == true)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines()[0].contains("REC!"))
        _ = ConsoleUpdate.update(&state, .recordingProblem(nil))
        #expect(state.recordingProblem == nil && state.flash?.text == "the flight recorder writes again")
        buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(!buffer.lines()[0].contains("REC!"))
    }
}
