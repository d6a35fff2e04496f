import TestSupport
import AuditLog
import Foundation
import SchedulerCore
import ScootAPI
import ScootServer
import Testing
import Thrift
@testable import ScootCLI

/// Lines a session wrote, by stream.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var outLines: [String] = []
    private var errorLines: [String] = []

    var standardOutput: [String] { lock.withLock { outLines } }
    var standardError: [String] { lock.withLock { errorLines } }

    func out(_ line: String) { lock.withLock { outLines.append(line) } }
    func error(_ line: String) { lock.withLock { errorLines.append(line) } }
}

/// A scheduler on a manual clock behind the scoot-console processor, and a CLI session on it
/// with its own audit log.
struct InProcessCluster {
    let clock = ManualClock()
    let scheduler: Scheduler
    let output = CapturedOutput()
    let auditPath: String

    init(outcome: @escaping @Sendable (RunRequest) -> SimulatedWorkers.Outcome? = { _ in nil }) {
        scheduler = Scheduler(
            clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2, outcomeOverride: outcome)))
        auditPath = FileManager.default.temporaryDirectory.appendingPathComponent("scootcli-audit-\(UUID().uuidString).jsonl").path
    }

    func session(readOnly: Bool = false, auditPath: String? = nil, auditOptional: Bool = false) -> CLISession {
        let processor = ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))
        let output = self.output
        let clock = self.clock
        let scheduler = self.scheduler
        return CLISession(
            client: ScootConsoleClient(caller: ThriftLoopbackCaller(processor: processor)), endpoint: "loopback:1",
            auditLog: AuditLog(path: auditPath ?? self.auditPath), readOnly: readOnly, auditOptional: auditOptional, requestor: "tester",
            standardOutput: { output.out($0) }, standardError: { output.error($0) },
            sleep: { interval in
                clock.advance(by: interval)
                await scheduler.step()
            })
    }

    func auditEntries() throws -> [AuditEntry] {
        try AuditLog(path: auditPath).read().entries
    }

    /// The entries that close an action (every change is first on record as `sent`).
    func completedAuditEntries() throws -> [AuditEntry] {
        try auditEntries().filter { $0.outcome != .sent }
    }
}

@Suite("CLI commands against an in-process scheduler")
struct SessionTests {
    @Test func runJobPrintsTheIdAloneAndWatchJobExits0() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "2"]).jobDefinition())
        let id = try #require(cluster.output.standardOutput.first)
        #expect(cluster.output.standardOutput == [id])
        let outcome = try await session.watchJob(jobID: id, interval: .seconds(1), format: .json)
        #expect(outcome == .ok)
        #expect(cluster.output.standardOutput.last?.hasPrefix(#"{"id":"\#(id)","status":"COMPLETED","taskStatus":{"task1":"COMPLETED"}"#) == true)
        #expect(cluster.output.standardError.first == "job \(id): IN_PROGRESS")
        #expect(cluster.output.standardError.contains { $0.hasPrefix("task task1: COMPLETED  run ") && $0.contains("COMPLETE, exit 0") })
        #expect(try cluster.auditEntries().map(\.outcome) == [.sent, .ok], "on record before it is sent, then closed")
        let entry = try #require(try cluster.completedAuditEntries().first)
        #expect(entry.action == "run-job" && entry.source == "cli" && entry.after == id && entry.outcome == .ok)
        #expect(entry.arguments["definition"]?.contains(#""Args":["sleep","2"]"#) == true)
    }

    @Test func watchJobExits4OnAFailedTaskAnd1ForAnUnknownJob() async throws {
        let cluster = InProcessCluster { _ in .exit(3) }
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "1"]).jobDefinition())
        let id = try #require(cluster.output.standardOutput.first)
        #expect(try await session.watchJob(jobID: id, interval: .seconds(1), format: .text) == .jobFailed)
        await #expect(throws: CLIFailure(.refusedByServer, "the scheduler at loopback:1 knows no job nope (NOT_STARTED, no tasks); check the id")) {
            _ = try await session.watchJob(jobID: "nope", interval: .seconds(1), format: .text)
        }
    }

    @Test func watchJobSaysAJobIsWaitingForAWorkerInsteadOfLookingHung() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        // Both workers busy for 40 s: the watched job waits that long before a task starts.
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "40"]).jobDefinition())
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "40"]).jobDefinition())
        await cluster.scheduler.step()
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "1"]).jobDefinition())
        let id = try #require(cluster.output.standardOutput.last)
        #expect(try await session.watchJob(jobID: id, interval: .seconds(1), format: .text) == .ok)
        let lines = cluster.output.standardError.filter { $0.hasPrefix("job \(id)") }
        #expect(lines.contains("job \(id): waiting for a worker: none of its 1 task has started (every worker busy, offline or not ready)"))
        #expect(lines.contains("job \(id): still waiting for a worker after 30s"))
        #expect(lines.filter { $0.contains("waiting for a worker") }.count == 2, "said once, reminded every 30 s")
    }

    @Test func setSchedulingAlgParamsReplacesByDefaultAndMergesWhenAsked() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        try await session.setSchedulingAlgorithmParameters(SchedulingSettingsChange(classLoadPercents: ["ktf": 10], merges: true))
        var percents = await cluster.scheduler.getClassLoadPercents()
        #expect(percents.count == 8 && percents["land"] != nil, "a merge keeps the other classes: \(percents)")
        try await session.setSchedulingAlgorithmParameters(SchedulingSettingsChange(requestorMap: ["^gpu-": "ktf"], merges: true))
        #expect(await cluster.scheduler.getRequestorToClassMap()["land.*"] == "land")
        #expect(await cluster.scheduler.getRequestorToClassMap()["^gpu-"] == "ktf")
        await #expect(throws: CLIFailure.self) {
            try await session.setSchedulingAlgorithmParameters(
                SchedulingSettingsChange(rebalanceThreshold: 30, requestorMap: ["x": "nosuchclass"], merges: true))
        }
        let map = await cluster.scheduler.getRequestorToClassMap(), threshold = await cluster.scheduler.getRebalanceThreshold()
        #expect(map["x"] == nil && threshold == 0, "refused before anything is sent")
        try await session.setSchedulingAlgorithmParameters(SchedulingSettingsChange(classLoadPercents: ["land": 60, "diff": 40]))
        percents = await cluster.scheduler.getClassLoadPercents()
        #expect(percents == ["land": 60, "diff": 40], "scootcl's default: the file is the whole table")
    }

    @Test func killIsAuditedWithTheStatusBeforeAndTheAnswerAfter() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        try await session.runJob(try JobDefinitionInput(argv: ["sleep", "60"], requestor: "land-x").jobDefinition())
        let id = try #require(cluster.output.standardOutput.first)
        await cluster.scheduler.step()
        try await session.killJob(jobID: id, format: .json)
        #expect(cluster.output.standardOutput.last?.hasPrefix(#"{"id":"\#(id)","status":"COMPLETED""#) == true)
        await #expect(throws: CLIFailure.self) { try await session.killJob(jobID: id, format: .json) }
        let kills = try cluster.completedAuditEntries().filter { $0.action == "kill-job" }
        #expect(kills.count == 2)
        #expect(kills[0].arguments == ["job": id], "the shared schema: the console writes the same")
        #expect(kills[0].before == "IN_PROGRESS (1 task: 1 IN_PROGRESS)")
        #expect(kills[0].after == "COMPLETED (1 task: 1 COMPLETED)")
        #expect(kills[0].outcome == .ok && kills[0].error == nil)
        #expect(kills[1].outcome == .error)
        #expect(kills[1].error == "Internal error processing KillJob: job Id \(id) was already killed, request ignored", "Scoot's text, verbatim")
    }

    @Test func setSchedulingAlgParamsIsAuditedAndStopsAtTheRequestorMapError() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        try await session.setSchedulingAlgorithmParameters(
            SchedulingSettingsChange(rebalanceMinimumDuration: 7, rebalanceThreshold: 20, classLoadPercents: ["land": 60, "diff": 40], requestorMap: ["^land": "land", ".*": "diff"]))
        try await session.getSchedulingAlgorithmParameters(format: .json)
        let expected = #"{"ClassLoadPercents":{"diff":40,"land":60},"RequestorMap":{".*":"diff","^land":"land"},"RebalanceMinimumDuration":7,"RebalanceThreshold":20}"#
        #expect(cluster.output.standardOutput == [expected])

        // The threshold is applied, then the requestor map is refused: the error is not ignored.
        await #expect(throws: CLIFailure.self) {
            try await session.setSchedulingAlgorithmParameters(SchedulingSettingsChange(rebalanceThreshold: 30, requestorMap: ["(": "land"]))
        }
        #expect(try cluster.auditEntries().map(\.outcome) == [.sent, .ok, .sent, .error])
        let entries = try cluster.completedAuditEntries()
        #expect(entries.map(\.outcome) == [.ok, .error])
        #expect(entries[0].action == "set-scheduling-alg-params")
        #expect(entries[0].before?.contains(#""RebalanceMinimumDuration":4,"RebalanceThreshold":0"#) == true)
        #expect(entries[0].after == expected)
        #expect(entries[0].arguments == [
            "minutes": "7", "threshold": "20", "percents": #"{"diff":40,"land":60}"#, "map": #"{".*":"diff","^land":"land"}"#,
        ])
        #expect(entries[1].before == expected)
        #expect(entries[1].after == expected.replacingOccurrences(of: #""RebalanceThreshold":20"#, with: #""RebalanceThreshold":30"#),
                "after shows what did change before the error")
        #expect(entries[1].error?.contains("InvalidRequest") == true)
    }

    @Test func setSchedulerStatusChecksTheThrottleClientSide() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        await #expect(throws: CLIFailure.usage("invalid max tasks value: -2; --task-throttle must be -1 (unlimited) or more, up to 2147483647")) {
            try await session.setSchedulerStatus(taskThrottle: -2)
        }
        try await session.setSchedulerStatus(taskThrottle: 10)
        #expect(try cluster.auditEntries().map(\.outcome) == [.sent, .ok], "a usage error sends nothing and records nothing")
        let entries = try cluster.completedAuditEntries()
        #expect(entries.first.map { [$0.before, $0.after] } == ["-1", "10"])
    }

    @Test func readOnlyRefusesEveryChangeSendsNothingAndAuditsTheRefusal() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session(readOnly: true)
        let job = try JobDefinitionInput(argv: ["true"]).jobDefinition()
        let attempts: [(String, () async throws(CLIFailure) -> Void)] = [
            ("run-job", { () throws(CLIFailure) in try await session.runJob(job) }),
            ("kill-job", { () throws(CLIFailure) in try await session.killJob(jobID: "j", format: .text) }),
            ("offline-worker", { () throws(CLIFailure) in try await session.offlineWorker(id: "sim-worker-0") }),
            ("reinstate-worker", { () throws(CLIFailure) in try await session.reinstateWorker(id: "sim-worker-0") }),
            ("set-scheduler-status", { () throws(CLIFailure) in try await session.setSchedulerStatus(taskThrottle: 5) }),
            ("set-scheduling-alg-params", { () throws(CLIFailure) in try await session.setSchedulingAlgorithmParameters(.init(rebalanceThreshold: 5)) }),
        ]
        for (action, attempt) in attempts {
            do {
                try await attempt()
                Issue.record("\(action) ran in read-only mode")
            } catch {
                #expect(error.exitCode == .usage)
                #expect(error.message.hasPrefix("read-only mode (SCOOT_CONSOLE_READ_ONLY=1): \(action) changes the cluster"))
            }
        }
        #expect(await cluster.scheduler.schedulerStatus().maxTasks == -1)
        #expect(await cluster.scheduler.getRebalanceThreshold() == 0)
        #expect(try await session.client.listJobs(filter: JobFilter()).isEmpty, "nothing was sent")
        let entries = try cluster.auditEntries()
        #expect(entries.map(\.action) == attempts.map(\.0))
        #expect(entries.allSatisfy { $0.outcome == .refused && $0.source == "cli" && $0.error?.contains("read-only") == true })
    }

    /// A change that leaves no record is not sent, unless the operator said audit is optional.
    @Test func anUnwritableAuditLogStopsAChangeUnlessAuditIsOptional() async throws {
        let cluster = InProcessCluster()
        await cluster.scheduler.step()
        let unwritable = "/proc/scootcli-cannot-write/audit.jsonl"
        await #expect(throws: CLIFailure.self) { try await cluster.session(auditPath: unwritable).offlineWorker(id: "sim-worker-0") }
        #expect(await cluster.scheduler.workers().allSatisfy { $0.state != .offline }, "nothing was sent")
        let optional = cluster.session(auditPath: unwritable, auditOptional: true)
        try await optional.offlineWorker(id: "sim-worker-0")
        #expect(cluster.output.standardError.contains("Worker sim-worker-0 offlined"))
        #expect(cluster.output.standardError.contains { $0.hasPrefix("warning: offline-worker is sent without a record: the audit log cannot be written: ") })
        #expect(cluster.output.standardError.last?.hasSuffix("set SCOOT_CONSOLE_AUDIT_LOG to a writable file") == true)
    }

    @Test func listJobsAndWorkersAndTheirAbsenceOnAPlainScheduler() async throws {
        let cluster = InProcessCluster()
        defer { try? FileManager.default.removeItem(atPath: cluster.auditPath) }
        let session = cluster.session()
        await cluster.scheduler.step()
        try await session.listWorkers(format: .text)
        #expect(cluster.output.standardOutput.first?.hasPrefix("ID") == true)
        #expect(cluster.output.standardOutput.first?.contains("sim-worker-1") == true)
        try await session.listJobs(filter: try CLISession.jobFilter(statuses: ["in-progress,completed"], requestor: nil, className: nil, limit: 5), format: .json)
        #expect(cluster.output.standardOutput.last == "[]")
        #expect(throws: CLIFailure.self) { try CLISession.jobFilter(statuses: ["running"], requestor: nil, className: nil, limit: nil) }
        #expect(throws: CLIFailure.self) { try CLISession.jobFilter(statuses: [], requestor: nil, className: nil, limit: 0) }

        var plain = session
        plain.client = ScootConsoleClient(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
        do {
            try await plain.listJobs(filter: JobFilter(), format: .text)
            Issue.record("ListJobs worked on a plain CloudScoot server")
        } catch {
            #expect(error.exitCode == .refusedByServer)
            #expect(error.message.contains("plain CloudScoot scheduler"))
        }
    }
}
