@testable import AuditLog
import TestSupport
import HostEnvironment
import Foundation
import ScootAPI
import TUIKit
import Testing
import Thrift
@testable import ConsoleApp

/// The only `.audit` entry among `effects`.
private func auditEntry(in effects: [ConsoleEffect]) -> AuditEntry? {
    let entries = effects.compactMap { effect -> AuditEntry? in
        if case .audit(let entry) = effect { return entry }
        return nil
    }
    return entries.count == 1 ? entries[0] : nil
}

private func type(_ state: inout ConsoleState, _ text: String) {
    for character in text { press(&state, .character(character)) }
}

@Suite("Audit log: every action from the console is recorded")
struct AuditUpdateTests {
    @Test func aConfirmedSettingRecordsTheOldValueAndTheNewOneWhenItEnds() throws {
        var state = ConsoleState(endpoint: "127.0.0.1:9090", operatorName: "alice")
        _ = ConsoleUpdate.update(&state, .tick(now: .zero))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: state.pollRequestID, result: .success(sampleSnapshot())))
        press(&state, .character(":"))
        type(&state, "percents diff=60,land=40")
        press(&state, .enter, .tab)
        let confirmed = press(&state, .enter)
        #expect(performed(confirmed) == [.setClassLoadPercents(["diff": 60, "land": 40])], "confirming records it as sent, then sends it")
        #expect(auditEntry(in: confirmed)?.outcome == .sent && auditEntry(in: confirmed)?.before == "diff=40,land=60")
        // The snapshot changing before the answer does not change `before`: it is the value confirmed.
        state.snapshot?.settings.classLoadPercents = ["land": 1]
        let effects = ConsoleUpdate.update(&state, .actionFinished(.setClassLoadPercents(["diff": 60, "land": 40]), result: .success("done")))
        let entry = try #require(auditEntry(in: effects))
        #expect(entry.action == "set-class-load-percents")
        #expect(entry.source == "console" && entry.operatorName == "alice" && entry.endpoint == "127.0.0.1:9090")
        #expect(entry.arguments == ["percents": #"{"diff":60,"land":40}"#])
        #expect(entry.before == "diff=40,land=60")
        #expect(entry.after == "diff=60,land=40")
        #expect(entry.outcome == .ok && entry.error == nil)
        #expect(state.actionsInFlight.isEmpty)
    }

    @Test func aFailedKillRecordsTheJobsStateAndTheServersErrorVerbatim() throws {
        var state = connectedState()
        press(&state, .character("x"), .tab, .enter)
        let error = "Internal error processing KillJob: cannot kill Job Id j2, not found."
        let effects = ConsoleUpdate.update(&state, .actionFinished(.killJobs(["j2"]), result: .failure(PollFailure(error))))
        let entry = try #require(auditEntry(in: effects))
        #expect(entry.action == "kill-job" && entry.arguments == ["job": "j2"])
        #expect(entry.before == "j2: waiting, 0 done, 0 running, 2 waiting, 0 failed")
        #expect(entry.after == nil)
        #expect(entry.outcome == .error && entry.error == error)
        #expect(state.flash?.text == "kill job j2 failed: \(error)", "the action's own result is still shown")
    }

    @Test func aKillThatWorkedRecordsTheServersAnswer() throws {
        var state = connectedState()
        press(&state, .character("x"), .tab, .enter)
        let effects = ConsoleUpdate.update(&state, .actionFinished(.killJobs(["j2"]), result: .success("killed j2: COMPLETED")))
        let entry = try #require(auditEntry(in: effects))
        #expect(entry.after == "killed j2: COMPLETED" && entry.outcome == .ok)
    }

    @Test func everyActionHasItsCLIName() {
        let actions = [
            ConsoleAction.killJobs(["j"]), .offlineWorker("w"), .reinstateWorker("w"), .setMaxTasks(1), .setClassLoadPercents(["a": 1]),
            .setRequestorToClassMap(["a": "b"]), .setRebalanceThreshold(1), .setRebalanceMinimumDuration(1),
        ].map(\.auditAction)
        let names = actions.map(\.name)
        // Every argument is one the shared schema names.
        let schema = Set(AuditAction.argumentSchema.map(\.name))
        #expect(actions.allSatisfy { Set($0.arguments.keys).isSubset(of: schema) })
        #expect(ConsoleAction.setClassLoadPercents(["land": 60, "diff": 40]).auditAction.arguments == ["percents": #"{"diff":40,"land":60}"#])
        #expect(names == [
            "kill-job", "offline-worker", "reinstate-worker", "set-scheduler-status", "set-class-load-percents", "set-requestor-map",
            "set-rebalance-threshold", "set-rebalance-minimum-duration",
        ])
    }

    @Test func offliningAWorkerRecordsItsStateBefore() throws {
        var state = connectedState()
        press(&state, .character("3"), .character("o"), .tab, .enter)
        let entry = try #require(auditEntry(in: ConsoleUpdate.update(&state, .actionFinished(.offlineWorker("local-0"), result: .success("")))))
        #expect(entry.action == "offline-worker" && entry.arguments == ["worker": "local-0", "requestor": HostEnvironment.userName])
        #expect(entry.before == "busy" && entry.after == "offline")
    }

    @Test func aCommandRefusedInReadOnlyModeIsRecordedAsRefused() throws {
        var state = connectedState(readOnly: true)
        press(&state, .character(":"))
        type(&state, "threshold 30")
        let entry = try #require(auditEntry(in: press(&state, .enter)))
        #expect(state.overlay == .commandLine(text: "threshold 30", error: "read-only: set the rebalance threshold to 30 is not available"))
        #expect(entry.action == "set-rebalance-threshold" && entry.arguments == ["threshold": "30"])
        #expect(entry.before == "0" && entry.after == "30")
        #expect(entry.outcome == .refused)
        #expect(entry.error == "read-only mode: the console was started with --read-only")
    }

    @Test func aWriteThatFailedIsShownNextToTheResultAndTheLogIsReadAgain() {
        var state = connectedState()
        _ = ConsoleUpdate.update(&state, .actionFinished(.setMaxTasks(5), result: .success("done: set max tasks to 5")))
        let effects = ConsoleUpdate.update(&state, .auditWritten(error: "cannot open the audit log /x/audit.jsonl: Permission denied"))
        #expect(effects == [.readAudit])
        #expect(state.flash?.text == "done: set max tasks to 5 · audit log not written: cannot open the audit log /x/audit.jsonl: Permission denied")
        #expect(state.flash?.isError == true)
        #expect(ConsoleUpdate.update(&state, .auditWritten(error: nil)) == [.readAudit], "read again after every action")
    }

    @Test func theAuditPaneReadsTheLogWhenOpenedAndListsNewestFirst() {
        var state = connectedState()
        #expect(press(&state, .character("6")) == [.readAudit])
        #expect(state.pane == .audit)
        press(&state, .character("1"), .character(":"))
        type(&state, "audit")
        #expect(press(&state, .enter) == [.readAudit])
        #expect(state.pane == .audit && state.overlay == nil)
        let older = AuditEntry(endpoint: "e", source: "cli", action: "kill-job", outcome: .ok)
        let newer = AuditEntry(endpoint: "e", source: "console", action: "offline-worker", outcome: .ok)
        _ = ConsoleUpdate.update(&state, .auditLoaded(path: "/tmp/a.jsonl", result: .success(.init(entries: [older, newer], unreadableLines: 2))))
        #expect(state.audit.entries == [newer, older])
        #expect(state.rowCount(in: .audit) == 2)
        var buffer = Buffer(area: Rect(width: 120, height: 40))
        ConsoleView.render(state, into: &buffer)
        #expect(buffer.lines().contains { $0.contains("2 entries, times in ") && $0.contains(", from /tmp/a.jsonl · 2 unreadable lines skipped") })
    }

    @Test func enterOnAnAuditRowShowsEveryField() {
        var state = connectedState()
        press(&state, .character("6"))
        let entry = AuditEntry(
            operatorName: "alice", endpoint: "e", source: "console", action: "set-rebalance-minimum-duration", arguments: ["minutes": "4"],
            before: "2", after: "4", outcome: .error, error: "connection refused")
        _ = ConsoleUpdate.update(&state, .auditLoaded(path: "/tmp/a.jsonl", result: .success(.init(entries: [entry], unreadableLines: 0))))
        press(&state, .enter)
        guard case .viewer(let viewer) = state.overlay else { Issue.record("no overlay"); return }
        let lines = viewer.lines.map(\.text)
        #expect(viewer.title == "audit entry")
        #expect(lines.contains("action    set-rebalance-minimum-duration") && lines.contains("argument  minutes = 4"))
        #expect(lines.contains("outcome   ✗ error") && lines.contains("error     connection refused"))
    }
}

/// A `TestBackend` that waits out the timeout once its script is exhausted, as a quiet terminal
/// does, so the runtime keeps running while actions are in flight.
private final class QuietTerminal: Backend {
    let screen: TestBackend
    init(events: [TerminalEvent]) { screen = TestBackend(width: 120, height: 40, events: events) }
    var size: (width: Int, height: Int) { screen.size }
    func draw(_ changes: [CellChange]) { screen.draw(changes) }
    func flush() { screen.flush() }
    func clear() { screen.clear() }
    func copyToClipboard(_ text: String) { screen.copyToClipboard(text) }
    func nextEvent(timeoutMs: Int) -> TerminalEvent? {
        if let event = screen.nextEvent(timeoutMs: timeoutMs) { return event }
        usleep(UInt32(timeoutMs) * 1000)
        return nil
    }
}

@Suite("Audit log: the runtime writes it")
struct AuditRuntimeTests {
    @Test func aConfirmedActionAppendsOneLineToTheAuditLog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = AuditLog(path: directory.appendingPathComponent("audit.jsonl").path)
        let keys: [TerminalEvent] = [":", "t", "h", "r", "e", "s", "h", "o", "l", "d", " ", "3", "0"].map { .key(.character(Character($0))) }
            + [.key(.enter), .key(.tab), .key(.enter)]
        let state = await offCooperativePool {
            let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
            let runtime = ConsoleRuntime(
                backend: QuietTerminal(events: keys), dataSource: source, state: ConsoleState(endpoint: "test", operatorName: "alice"), auditLog: log)
            let deadline = ContinuousClock.now + .seconds(60)
            runtime.run(tickMs: 20) { $0.audit.entries.count == 2 || ContinuousClock.now > deadline }
            return runtime.state
        }
        let contents = try log.read()
        #expect(contents.unreadableLines == 0)
        // In the file: the record written when it was confirmed, then the answer.
        #expect(contents.entries.map(\.outcome) == [.sent, .ok])
        let entry = try #require(contents.entries.last)
        #expect(entry.action == "set-rebalance-threshold" && entry.operatorName == "alice" && entry.endpoint == "test")
        #expect(entry.outcome == .ok && entry.after == "30")
        #expect(state.audit.entries == contents.entries.reversed(), "the log is read back after the action, newest first")
    }
}

@Suite("Audit log: no record, no action")
struct AuditRequiredTests {
    /// A dangerous action whose `sent` entry cannot be written used to go ahead with a warning.
    @Test(arguments: [false, true])
    func anActionWithoutARecordIsNotSentUnlessAuditIsOptional(auditOptional: Bool) async throws {
        let log = AuditLog(path: "/proc/scoot-console-cannot-write/audit.jsonl")
        let keys: [TerminalEvent] = [":", "t", "h", "r", "e", "s", "h", "o", "l", "d", " ", "3", "0"].map { .key(.character(Character($0))) }
            + [.key(.enter), .key(.tab), .key(.enter)]
        let scheduler = InMemoryCloudScoot()
        let state = await offCooperativePool {
            let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: scheduler)))
            let runtime = ConsoleRuntime(
                backend: QuietTerminal(events: keys), dataSource: source, state: ConsoleState(endpoint: "test"), auditLog: log,
                auditOptional: auditOptional)
            let deadline = ContinuousClock.now + .seconds(60)
            runtime.run(tickMs: 20) { state in
                ContinuousClock.now > deadline || state.flash.map { $0.text.contains("NOT sent") || $0.text.hasPrefix("done") || $0.text.contains("threshold") && !$0.text.hasPrefix("sending") } == true
            }
            return runtime.state
        }
        let threshold = try await scheduler.getRebalanceThreshold()
        if auditOptional {
            #expect(threshold == 30, "sent without a record, as asked")
        } else {
            #expect(threshold == 0, "nothing was sent")
            #expect(state.flash?.text.contains("was NOT sent: the audit log cannot be written") == true, "\(String(describing: state.flash))")
            #expect(state.actionsInFlight.isEmpty)
        }
    }
}

/// A scheduler that never answers.
private struct SilentScheduler: ThriftCaller {
    func call<Arguments: ThriftStruct, Result: ThriftStruct>(method: String, arguments: Arguments, resultType: Result.Type) async throws -> Result {
        try await Task.sleep(for: .seconds(3600))
        throw ThriftTransportError.connectionClosed
    }
}

@Suite("Audit log: quitting")
struct AuditOnQuitTests {
    /// `x`, Tab, Enter, `q` used to leave no line when the answer had not come: the action is now
    /// on record as sent, and completed as unknown when the console quits without an answer.
    @Test func anActionUnansweredAtQuitIsRecordedAsSentThenUnknown() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-quit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = AuditLog(path: directory.appendingPathComponent("audit.jsonl").path)
        let keys: [TerminalEvent] = [":", "t", "h", "r", "e", "s", "h", "o", "l", "d", " ", "3", "0"].map { .key(.character(Character($0))) }
            + [.key(.enter), .key(.tab), .key(.enter), .key(.character("q"))]
        let started = ContinuousClock.now
        await offCooperativePool {
            let runtime = ConsoleRuntime(
                backend: QuietTerminal(events: keys), dataSource: ThriftDataSource(caller: SilentScheduler()),
                state: ConsoleState(endpoint: "test", operatorName: "alice"), auditLog: log)
            runtime.run(tickMs: 20)
        }
        let entries = try log.read().entries
        #expect(entries.map(\.outcome) == [.sent, .unknown], "\(entries)")
        #expect(entries.allSatisfy { $0.action == "set-rebalance-threshold" && $0.after == "30" })
        #expect(ContinuousClock.now - started >= ConsoleRuntime.quitWaitForAnswers, "the quit waited for the answer first")
    }
}
