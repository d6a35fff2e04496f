import AuditLog
import Foundation
import SchedulerCore
import ScootAPI
import ScootServer
import Testing
import Thrift
@testable import ConsoleApp

/// A threshold drill on the scheduler core: the rebalance is reported, flashed, listed in the
/// Events pane, and its stopped tasks read preempted.
@Suite("Rebalances are visible")
struct RebalanceVisibilityTests {
    @Test func aRebalanceIsReportedFlashedAndItsTasksReadPreempted() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(
            clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 10, durationModel: .fixed(.seconds(3600)))))
        try await scheduler.setClassLoadPercents(["land": 50, "diff": 50])
        try await scheduler.setRebalanceThreshold(10)
        try await scheduler.setRebalanceMinimumDuration(1)
        func submit(_ requestor: String) async throws -> String {
            try await scheduler.runJob(SchedulerCore.JobDefinition(
                tasks: (0..<10).map { .init(taskID: "t\($0)", argv: ["sleep", "3600"]) }, requestor: requestor))
        }
        let land = try await submit("land-a")
        await scheduler.step()
        _ = try await submit("diff-b")
        await scheduler.step()  // the spread (100pp) is over the threshold: the timer starts
        let processor = ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: processor))
        var state = connectedState()
        var effects: [ConsoleEffect] = []
        func poll() async throws {
            guard let id = pollDue(&state, at: state.now + .seconds(2)) else { return }
            effects = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .success(try await source.fetch(selectedJob: nil, workers: true))))
        }
        try await poll()
        #expect(state.snapshot?.load?.rebalanceFiresAtMs != nil, "the countdown runs")
        clock.advance(by: .seconds(61))
        await scheduler.step()
        let records = await scheduler.recentRebalances()
        #expect(records.count == 1 && records.first?.stopped.count == 5 && records.first?.stopped.allSatisfy { $0.className == "land" } == true)
        try await poll()
        let event = try #require(state.events.events.first { $0.kind == .rebalance })
        #expect(event.text.hasPrefix("rebalance: spread 100pp over the threshold 10; stopped 5 tasks (land 5) of job \(land.prefix(8))"), "\(event.text)")
        #expect(state.flash?.text.hasPrefix("rebalance: spread 100pp") == true)
        let audited = effects.compactMap { effect -> AuditEntry? in if case .audit(let entry) = effect { entry } else { nil } }
        #expect(audited.map(\.action) == ["rebalance"] && audited.first?.source == "scheduler" && audited.first?.after == event.text)
        let job = try #require(state.snapshot?.jobs.first { $0.id == land })
        #expect(job.preemptedTasks == 5 && job.failedTasks == 5)
    }

    @Test func aFinishedJobWhoseOnlyFailuresArePreemptionsReadsPreempted() {
        var job = sampleJob("j", running: 0, waiting: 0, failed: 3)
        job.status = .completed
        job.preemptedTasks = 3
        #expect(JobState(job).badge.text == "⊘ preempted")
        job.failedTasks = 4
        #expect(JobState(job).badge.text == "✗ failed", "a real failure besides")
    }

    @Test func onPlainScootARebalanceIsInferredFromPreemptedTasks() {
        let old = sampleSnapshot()
        var new = old
        new.jobs[0].preemptedTasks = 2
        let events = ClusterEvents.changes(from: old, to: new, at: Date(timeIntervalSince1970: 0))
        #expect(events.map(\.text) == ["rebalance inferred: 2 more task(s) stopped with RebalanceRequested (this scheduler does not report rebalances)"])
    }
}
