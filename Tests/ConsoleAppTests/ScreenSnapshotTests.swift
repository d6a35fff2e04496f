import AuditLog
import Foundation
import ScootAPI
import TUIKit
import Testing
@testable import ConsoleApp

/// Whole screens rendered into a buffer and compared with text files in `Snapshots/`.
/// `UPDATE_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests` rewrites them.
@Suite("Screen snapshots")
struct ScreenSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func load() -> ClusterLoad {
        ClusterLoad(
            classes: [
                ClassLoad(name: "land", percent: 60, target: 6, running: 4, waiting: 10, loaned: 0, starting: 2, stopping: 0),
                ClassLoad(name: "diff", percent: 40, target: 4, running: 6, waiting: 0, loaned: 2, starting: 0, stopping: 0),
            ],
            spread: 35, rebalanceThreshold: 20, rebalanceMinimumDurationMin: 4, thresholdExceededSinceMs: 1_000, rebalanceFiresAtMs: 241_000,
            computedAtMs: 61_000)
    }

    static func state(pane: Pane, width: Int) -> ConsoleState {
        var state = connectedState()
        state.snapshot?.load = load()
        state.snapshot?.settings.rebalanceThreshold = 20
        state.snapshot?.jobs = [
            sampleJob("4b0f8f1e-job-a", requestor: "land-bot", className: "land", running: 4, waiting: 10, submitted: 1_000),
            sampleJob("9c1d2e3f-job-b", requestor: "diff-alice", className: "diff", running: 6, waiting: 0, failed: 1, submitted: 30_000),
        ]
        state.snapshot?.selectedJobStatus = JobStatus(
            id: "4b0f8f1e-job-a", status: .inProgress, taskStatus: ["t1": .completed, "t2": .inProgress, "t3": .notStarted],
            taskData: ["t1": RunStatus(status: .complete, runId: "41", outUri: "file:///data/runs/a/t1/1/stdout", exitCode: 0),
                       "t2": RunStatus(status: .running, runId: "42", outUri: "file:///data/runs/a/t2/1/stdout")])
        state.snapshot?.selectedJobTasks = [
            TaskSummary(taskId: "t1", status: .completed, workerId: "sim-worker-0", startedAtMs: 1_000, endedAtMs: 1_850, attempts: 1),
            TaskSummary(taskId: "t2", status: .inProgress, workerId: "sim-worker-1", startedAtMs: 16_000, attempts: 1),
            TaskSummary(taskId: "t3", status: .notStarted, attempts: 0),
        ]
        state.tasksOfJob = "4b0f8f1e-job-a"
        state.snapshot?.jobs[1].basis = "land-1041"
        // Two minutes of polls for the Classes pane's sparklines.
        for poll in 0..<120 {
            var sample = state.snapshot!
            sample.schedulerStatus.currentTasks = Int32(10 + poll % 12)
            sample.load?.classes[0].running = Int32(poll / 20)
            sample.load?.classes[1].running = Int32(6 - poll % 7)
            state.loadHistory.record(sample)
        }
        state.audit = sampleAudit()
        state.timeZone = TimeZone(identifier: "UTC")!
        let time = Date(timeIntervalSince1970: 1_796_000_000)
        state.events.append([
            ConsoleEvent(time: time, kind: .connection, text: "lost 127.0.0.1:9090: connection refused"),
            ConsoleEvent(time: time + 12, kind: .connection, text: "reconnected to 127.0.0.1:9090 (it was: connection refused)"),
            ConsoleEvent(time: time + 60, kind: .settings, text: "rebalance threshold changed: 0 → 30"),
            ConsoleEvent(time: time + 90, kind: .worker, text: "worker sim-worker-3: busy → offline"),
            ConsoleEvent(time: time + 95, kind: .action, text: "offline worker sim-worker-3 — done"),
        ])
        state.pane = pane
        return state
    }

    /// The Audit pane's entries, newest first: an action that worked, one the server refused,
    /// one refused in read-only mode and one from the CLI, with two torn lines skipped.
    static func sampleAudit() -> AuditListing {
        let time = Date(timeIntervalSince1970: 1_796_000_000)
        var listing = AuditListing()
        listing.loaded = true
        listing.path = "/home/ops/.local/state/scoot-console/audit.jsonl"
        listing.unreadableLines = 2
        listing.entries = [
            AuditEntry(time: time + 300, operatorName: "alice", endpoint: "127.0.0.1:9090", source: "console", action: "set-class-load-percents",
                       arguments: ["percents": "diff=60,land=40"], before: "diff=40,land=60", after: "diff=60,land=40", outcome: .ok),
            AuditEntry(time: time + 200, operatorName: "alice", endpoint: "127.0.0.1:9090", source: "console", action: "offline-worker",
                       arguments: ["worker": "ghost"], after: "offline", outcome: .error,
                       error: "Internal error processing OfflineWorker: node ghost was not present in nodes. It can't be offlined"),
            AuditEntry(time: time + 100, operatorName: "bob", endpoint: "127.0.0.1:9090", source: "console", action: "kill-job",
                       arguments: ["job": "4b0f8f1e-job-a"], before: "4b0f8f1e-job-a: running, 0 done, 4 running, 10 waiting, 0 failed",
                       outcome: .refused, error: "read-only mode: the console was started with --read-only"),
            AuditEntry(time: time, operatorName: "carol", endpoint: "127.0.0.1:9090", source: "cli", action: "set-rebalance-threshold",
                       arguments: ["threshold": "30"], before: "0", after: "30", outcome: .ok),
        ]
        return listing
    }

    func check(_ name: String, _ state: ConsoleState, width: Int, height: Int) throws {
        var buffer = Buffer(area: Rect(width: width, height: height))
        ConsoleView.render(state, into: &buffer)
        let text = Self.snapshotText(buffer)
        let file = Self.directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "\(name) differs; run UPDATE_SNAPSHOTS=1 swift test --filter ScreenSnapshotTests and review the diff")
    }

    /// One letter per style role, for the snapshot's second layer.
    static let roleLetters: [StyleRole: Character] = [
        .normal: ".", .dim: "d", .border: "b", .borderFocused: "B", .title: "T", .header: "h", .selection: "S", .marked: "m",
        .keyHint: "k", .keyName: "K", .flashInfo: "i", .flashError: "E", .danger: "!", .stale: "s", .prodFrame: "p",
        .stateRunning: "r", .stateWaiting: "w", .stateDone: "o", .stateFailed: "f", .stateKilled: "x", .meterOK: "1",
        .meterWarn: "2", .meterCrit: "3", .meterEmpty: "0", .targetMarker: "|", .inputField: "I", .inputError: "e",
        .buttonFocused: "F", .button: "u",
    ]

    /// A snapshot file: the screen's text, then the same screen as role letters (a wrong colour
    /// fails a test as surely as a wrong word), trailing blanks trimmed in both.
    static func snapshotText(_ buffer: Buffer) -> String {
        func trimmed(_ line: String, blank: Character) -> String {
            var line = Substring(line)
            while line.last == blank { line = line.dropLast() }
            return String(line)
        }
        let text = buffer.lines().map { trimmed($0, blank: " ") }
        let legend = roleLetters.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value)=\($0.key.rawValue)" }.joined(separator: " ")
        var roles: [String] = []
        for y in 0..<buffer.area.height {
            var line = ""
            for x in 0..<buffer.area.width {
                guard let cell = buffer[x, y], cell.width > 0 else { continue }
                // A blank in the normal role reads as a blank, so the layer stays legible.
                line.append(cell.role == .normal && cell.grapheme == " " ? " " : roleLetters[cell.role] ?? "?")
            }
            roles.append(trimmed(line, blank: " "))
        }
        return (text + ["", "--- roles: " + legend] + roles).joined(separator: "\n") + "\n"
    }

    @Test(arguments: Pane.allCases)
    func panesAt120x40(pane: Pane) throws {
        try check("\(pane.title.lowercased())-120x40", Self.state(pane: pane, width: 120), width: 120, height: 40)
    }

    @Test func aJobLogThatCannotBeWrittenIsShownAsAnError() throws {
        var state = Self.state(pane: .jobs, width: 120)
        state.snapshot?.load?.journal = JournalState(
            failure: "SQLite error 13: database or disk is full", failingSinceMs: 50_000, waitingRecords: 12, recordsDropped: 0)
        try check("jobs-journal-failing-120x40", state, width: 120, height: 40)
    }

    @Test func jobsAt80x24IsCompact() throws {
        try check("jobs-80x24", Self.state(pane: .jobs, width: 80), width: 80, height: 24)
    }

    @Test func tasksAt80x24DropsOutputButKeepsWorkerAndDuration() throws {
        try check("tasks-80x24", Self.state(pane: .tasks, width: 80), width: 80, height: 24)
    }

    @Test func tasksShowWorkerAndDurationFromListTasks() {
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(Self.state(pane: .tasks, width: 120), into: &buffer)
        let lines = buffer.lines()
        let t1 = lines.first { $0.contains("│t1 ") } ?? ""
        let t2 = lines.first { $0.contains("│t2 ") } ?? ""
        #expect(t1.contains("sim-worker-0") && t1.contains("0.9s"), "ended: end − start, 850 ms")
        #expect(t2.contains("sim-worker-1") && t2.contains("45s"), "running: the load's computedAtMs − start")
        #expect(lines.contains { $0.contains("WORKER") && $0.contains("DURATION") })
    }

    @Test func tasksLeaveWorkerAndDurationBlankWithoutListTasks() {
        var state = Self.state(pane: .tasks, width: 120)
        state.snapshot?.selectedJobTasks = []
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        let t1 = buffer.lines().first { $0.contains("│t1 ") } ?? ""
        #expect(!t1.contains("sim-worker") && !t1.contains("0.9s"))
        #expect(t1.contains("✓ complete"))
    }

    @Test func durationTextIsShort() {
        #expect(durationText(milliseconds: 850) == "0.9s")
        #expect(durationText(milliseconds: 0) == "0.0s")
        #expect(durationText(milliseconds: 9_949) == "9.9s")
        #expect(durationText(milliseconds: 9_950) == "10s")
        #expect(durationText(milliseconds: 45_000) == "45s")
        #expect(durationText(milliseconds: 12 * 60_000) == "12m")
        #expect(durationText(milliseconds: 3 * 3_600_000) == "3h")
        #expect(durationText(milliseconds: -5) == "0.0s")
    }

    @Test func tooSmall() throws {
        try check("too-small", Self.state(pane: .jobs, width: 40), width: 40, height: 10)
    }

    @Test func killConfirmationNamesTheTargetWithCancelFocused() throws {
        var state = Self.state(pane: .jobs, width: 120)
        state.overlay = .confirm(.killJobs(["4b0f8f1e-job-a"]), confirmFocused: false)
        try check("confirm-kill-120x40", state, width: 120, height: 40)
    }

    @Test func percentsFormShowsTheWhatIfPreview() throws {
        var state = Self.state(pane: .classes, width: 120)
        state.overlay = .form(.percents, text: "land=20,diff=80", error: nil)
        try check("percents-form-120x40", state, width: 120, height: 40)
    }

    @Test func disconnectedKeepsStaleDataAndShowsTheBanner() throws {
        var state = Self.state(pane: .jobs, width: 120)
        state.connection = .disconnected(error: "connection refused", retryAt: .seconds(8))
        state.now = .seconds(5)
        try check("disconnected-120x40", state, width: 120, height: 40)
    }
}
