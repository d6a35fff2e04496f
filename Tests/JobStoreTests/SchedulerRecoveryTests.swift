import Foundation
import JobStore
import SchedulerCore
import GRDB
import Testing

/// Counts rows of the journal directly, to check what was written.
enum DatabaseCounter {
    static func count(in directory: TemporaryDirectory, sql: String, _ argument: String) throws -> Int {
        let queue = try DatabaseQueue(path: directory.url.appendingPathComponent(SQLiteJobJournal.fileName).path)
        return try queue.read { try Int.fetchOne($0, sql: sql, arguments: [argument]) ?? -1 }
    }
}

/// A scheduler dropped in the middle of its work and started again on the same `jobs.sqlite`.
@Suite struct SchedulerRecoveryTests {
    private static let firstStart = Date(timeIntervalSince1970: 1_700_000_000)

    /// A scheduler on a fresh manual clock whose zero is `origin`, with three simulated workers.
    private struct Life {
        let clock = ManualClock()
        let scheduler: Scheduler

        init(directory: TemporaryDirectory, origin: Date) async throws {
            let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 3))
            scheduler = try await Scheduler(
                clock: clock, backend: workers, recoveringFrom: try SQLiteJobJournal(dataDirectory: directory.url), wallClockOrigin: origin)
        }

        func advance(by duration: Duration) async {
            clock.advance(by: duration)
            await scheduler.step()
        }
    }

    private func job(_ sleeps: [Int]) -> JobDefinition {
        JobDefinition(tasks: sleeps.enumerated().map { TaskDefinition(taskID: "t\($0.offset)", argv: ["sleep", "\($0.element)"]) }, requestor: "land-bot")
    }

    /// First life: a one-task job that finishes, and a three-task job with one task ended and two
    /// running when the scheduler is dropped.
    private func runPartway(in directory: TemporaryDirectory) async throws -> (finished: String, partial: String, ended: RunStatus) {
        let life = try await Life(directory: directory, origin: Self.firstStart)
        try await life.scheduler.setClassLoadPercents(["land": 60, "other": 40])
        try await life.scheduler.setRequestorToClassMap(["^land": "land"])
        try await life.scheduler.setRebalanceThreshold(15)
        try await life.scheduler.setRebalanceMinimumDuration(2)
        try await life.scheduler.setMaxTasks(40)
        let finished = try await life.scheduler.runJob(job([1]))
        await life.scheduler.step()
        let partial = try await life.scheduler.runJob(job([1, 100, 100]))
        await life.scheduler.step()
        await life.advance(by: .seconds(2))
        await life.scheduler.step()
        let status = await life.scheduler.status(of: partial)
        #expect(status.taskStatus == ["t0": .completed, "t1": .inProgress, "t2": .inProgress])
        #expect(await life.scheduler.status(of: finished).status == .completed)
        // Task ends ride in the next group commit: this life ends once they are durable.
        #expect(await life.scheduler.flushJournal())
        return (finished, partial, try #require(status.taskData["t0"]))
    }

    @Test func jobsSettingsAndEndedTasksSurviveARestartAndRunningTasksRunAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (finished, partial, ended) = try await runPartway(in: directory)
        #expect(ended.state == .complete && !ended.outURI.isEmpty)

        let second = try await Life(directory: directory, origin: Self.firstStart + 10)
        #expect(await second.scheduler.getClassLoadPercents() == ["land": 60, "other": 40])
        #expect(await second.scheduler.getRequestorToClassMap() == ["^land": "land"])
        #expect(await second.scheduler.getRebalanceThreshold() == 15)
        #expect(await second.scheduler.getRebalanceMinimumDuration() == 2)
        #expect(await second.scheduler.schedulerStatus().maxTasks == 40)

        #expect(await second.scheduler.jobs().map(\.id) == [finished, partial])
        #expect(await second.scheduler.status(of: finished).status == .completed)
        let recovered = await second.scheduler.status(of: partial)
        #expect(recovered.taskStatus == ["t0": .completed, "t1": .notStarted, "t2": .notStarted])
        #expect(recovered.taskData["t0"] == ended)

        await second.scheduler.step()
        #expect(await second.scheduler.status(of: partial).taskStatus["t1"] == .inProgress)
        await second.advance(by: .seconds(101))
        await second.scheduler.step()
        let done = await second.scheduler.status(of: partial)
        #expect(done.status == .completed)
        #expect(done.taskData["t0"] == ended)
        #expect(done.taskData["t1"]?.state == .complete && done.taskData["t2"]?.state == .complete)

        #expect(await second.scheduler.flushJournal())
        let third = try await Life(directory: directory, origin: Self.firstStart + 200)
        #expect(await third.scheduler.status(of: partial) == done)
        #expect(await third.scheduler.schedulerStatus().currentTasks == 0)
    }

    /// A kill is one record, written before the answer: a restart right after it (kill -9) finds
    /// every task of the job ended as the kill ended it, none waiting to run again.
    @Test func aKillIsOneRecordAndSurvivesARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let life = try await Life(directory: directory, origin: Self.firstStart)
        let id = try await life.scheduler.runJob(job(Array(repeating: 100, count: 12_000)))
        await life.scheduler.step()
        let killed = try await life.scheduler.kill(jobID: id)
        #expect(killed.status == .completed && killed.taskData.count == 12_000)
        #expect(killed.taskData.values.allSatisfy { $0.state == .aborted })
        let rows = try DatabaseCounter.count(in: directory, sql: "SELECT COUNT(*) FROM task_statuses WHERE job_id = ? AND final = 1", id)
        #expect(rows == 0, "the kill wrote one record, not one per task")

        let after = try await Life(directory: directory, origin: Self.firstStart + 5)
        let recovered = await after.scheduler.status(of: id)
        #expect(recovered.status == .completed)
        #expect(recovered.taskStatus.count == 12_000 && recovered.taskStatus.values.allSatisfy { $0 == .completed })
        #expect(recovered.taskData.values.allSatisfy { $0.state == .aborted && $0.error == RunStatus.userRequested })
        await after.scheduler.step()
        #expect(await after.scheduler.schedulerStatus().currentTasks == 0, "nothing of the killed job runs again")
    }

    @Test func finishedJobsPastTheRetentionArePurgedOnStart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (finished, partial, _) = try await runPartway(in: directory)

        let eightDaysLater = try await Life(directory: directory, origin: Self.firstStart + 8 * 24 * 3600)
        #expect(await eightDaysLater.scheduler.status(of: finished).status == .notStarted)
        #expect(await eightDaysLater.scheduler.jobs().map(\.id) == [partial])
        #expect(await eightDaysLater.scheduler.flushJournal())
        let stored = try SQLiteJobJournal(dataDirectory: directory.url).load()
        #expect(stored.finishedJobs.isEmpty)
        #expect(stored.unfinishedJobs.map(\.job.id) == [partial])
    }
}
