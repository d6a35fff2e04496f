import Foundation
import Testing
@testable import SchedulerCore

/// Start-up from journal contents, without a store.
@Suite struct RecoveryTests {
    private static let origin = Date(timeIntervalSince1970: 1_700_000_000)

    private func recovered(_ contents: JournalContents, retention: Duration = .seconds(7 * 24 * 3600)) async throws -> (
        ManualClock, Scheduler, InMemoryJobJournal
    ) {
        let clock = ManualClock()
        let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2))
        var configuration = SchedulerConfiguration()
        configuration.finishedJobRetention = retention
        let journal = InMemoryJobJournal(contents: contents)
        let scheduler = try await Scheduler(
            configuration: configuration, clock: clock, backend: workers, recoveringFrom: journal, wallClockOrigin: Self.origin)
        return (clock, scheduler, journal)
    }

    /// A map an older version accepted and today's rules refuse (a backreference) must not keep
    /// the server from starting: it is dropped with a warning, the other settings stay.
    @Test func aRequestorMapTheRulesRefuseIsDroppedAndTheServerStarts() async throws {
        let settings = SchedulerSettings(
            classLoadPercents: ["land": 70, "diff": 30], requestorToClassMap: ["(a)\\1": "land"], rebalanceThreshold: 20,
            rebalanceMinimumDurationMinutes: 4, maxTasks: 7)
        let (_, scheduler, _) = try await recovered(JournalContents(settings: settings))
        #expect(await scheduler.getRequestorToClassMap() == RequestorClassifier.scootDefaults)
        #expect(await scheduler.getClassLoadPercents() == ["land": 70, "diff": 30])
        #expect(await scheduler.getRebalanceThreshold() == 20)
        let warnings = await scheduler.recoveryWarnings
        #expect(warnings.count == 1 && warnings[0].contains("requestor map in the job journal is refused and dropped") && warnings[0].contains("(a)\\1"), "\(warnings)")
    }

    @Test func unfinishedJobsKeepTheirIdsAndEndedTasksAndRunTheRest() async throws {
        let done = RunStatus(state: .complete, runID: "r1", outURI: "file:///o", errURI: "file:///e", exitCode: 3, snapshotID: "s")
        let job = RecoveredJob(
            job: JournaledJob(id: "job-1", definition: simpleJob(tasks: 3, tag: "job-1"), submittedAt: Self.origin.addingTimeInterval(-60)),
            endedTasks: ["t1": done], startedAt: Self.origin.addingTimeInterval(-50))
        let (clock, scheduler, _) = try await recovered(JournalContents(jobs: [job]))

        let before = await scheduler.status(of: "job-1")
        #expect(before.status == .inProgress)
        #expect(before.taskStatus == ["t0": .notStarted, "t1": .completed, "t2": .notStarted])
        #expect(before.taskData["t1"] == done)

        await scheduler.step()
        clock.advance(by: .seconds(2))
        await scheduler.step()
        await scheduler.step()
        let after = await scheduler.status(of: "job-1")
        #expect(after.status == .completed)
        #expect(after.taskData["t1"] == done)
        #expect(after.taskData["t0"]?.state == .complete)
    }

    @Test func settingsAreRestored() async throws {
        let settings = SchedulerSettings(
            classLoadPercents: ["a": 40, "b": 60], requestorToClassMap: ["^x": "a"], rebalanceThreshold: 5,
            rebalanceMinimumDurationMinutes: 2, maxTasks: 9)
        let (_, scheduler, _) = try await recovered(JournalContents(settings: settings))
        #expect(await scheduler.getClassLoadPercents() == ["a": 40, "b": 60])
        #expect(await scheduler.getRequestorToClassMap() == ["^x": "a"])
        #expect(await scheduler.getRebalanceThreshold() == 5)
        #expect(await scheduler.getRebalanceMinimumDuration() == 2)
        #expect(await scheduler.schedulerStatus().maxTasks == 9)
    }

    @Test func finishedJobsAnswerStatusUntilTheirRetentionEnds() async throws {
        func finished(_ id: String, endedSecondsAgo: TimeInterval) -> RecoveredJob {
            let end = Self.origin.addingTimeInterval(-endedSecondsAgo)
            return RecoveredJob(
                job: JournaledJob(id: id, definition: simpleJob(tasks: 1, tag: id), submittedAt: end.addingTimeInterval(-10)),
                endedTasks: ["t0": RunStatus(state: .complete)], startedAt: end.addingTimeInterval(-5), endedAt: end)
        }
        let contents = JournalContents(jobs: [finished("old", endedSecondsAgo: 7200), finished("recent", endedSecondsAgo: 60)])
        let (_, scheduler, journal) = try await recovered(contents, retention: .seconds(3600))
        #expect(await scheduler.status(of: "recent").status == .completed)
        #expect(await scheduler.status(of: "old").status == .notStarted)
        #expect(await scheduler.jobs().map(\.id) == ["recent"])
        #expect(await scheduler.flushJournal())
        #expect(journal.records == [.purge(endedBefore: Self.origin.addingTimeInterval(-3600))])
    }
}
