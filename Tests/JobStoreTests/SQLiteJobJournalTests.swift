import Foundation
import GRDB
@testable import JobStore
import SchedulerCore
import Testing

/// Every record written by `SQLiteJobJournal` reads back as written.
@Suite struct SQLiteJobJournalTests {
    private static let submitted = Date(timeIntervalSince1970: 1_700_000_000.25)

    private func job(_ id: String) -> JournaledJob {
        let tasks = [
            TaskDefinition(taskID: "a", argv: ["echo", "hi"], environment: ["K": "V"], snapshotID: "snap", timeout: .milliseconds(1500)),
            TaskDefinition(taskID: "b", argv: ["true"]),
        ]
        let definition = JobDefinition(
            tasks: tasks, defaultTaskTimeout: .seconds(60), priority: 2, tag: "tag-\(id)", basis: "basis", requestor: "land-bot",
            jobType: "build")
        return JournaledJob(id: id, definition: definition, submittedAt: Self.submitted)
    }

    @Test func everyRecordRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        let settings = SchedulerSettings(
            classLoadPercents: ["a": 30, "b": 70], requestorToClassMap: ["^x.*": "a"], rebalanceThreshold: 20,
            rebalanceMinimumDurationMinutes: 6, maxTasks: 100)
        let final = RunStatus(
            state: .complete, runID: "run-7", outURI: "file:///out", errURI: "file:///err", error: "oops", exitCode: -3, snapshotID: "snap")
        let running = RunStatus(state: .running, runID: "run-8", outURI: "file:///o2", errURI: "file:///e2", snapshotID: "snap")

        try journal.settingsChanged(settings)
        try journal.jobAccepted(job("j1"))
        try journal.jobAccepted(job("j2"))
        try journal.taskStarted(TaskAttemptStart(jobID: "j1", taskID: "a", attempt: 1, workerID: "w1", startedAt: Self.submitted + 1))
        try journal.taskProgressed(jobID: "j1", taskID: "a", status: running)
        try journal.taskEnded(jobID: "j1", taskID: "a", status: final, at: Self.submitted + 2)
        try journal.taskProgressed(jobID: "j1", taskID: "a", status: running)  // a late report never overwrites the end
        try journal.taskEnded(jobID: "j1", taskID: "b", status: RunStatus(state: .aborted, error: "UserRequested"), at: Self.submitted + 2)
        try journal.jobEnded(jobID: "j1", killed: true, at: Self.submitted + 3)
        try journal.taskProgressed(jobID: "j2", taskID: "b", status: running)

        let contents = try SQLiteJobJournal(dataDirectory: directory.url).load()
        #expect(contents.settings == settings)
        #expect(contents.finishedJobs == [
            RecoveredJob(
                job: job("j1"), endedTasks: ["a": final, "b": RunStatus(state: .aborted, error: "UserRequested")],
                startedAt: Self.submitted + 1, endedAt: Self.submitted + 3, killed: true)
        ])
        #expect(contents.unfinishedJobs == [RecoveredJob(job: job("j2"))])
    }

    @Test func anEmptyJournalHasNoSettingsAndNoJobs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(try SQLiteJobJournal(dataDirectory: directory.url).load() == JournalContents())
    }

    @Test func purgeDeletesOnlyJobsThatEndedBeforeTheCutoff() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        for id in ["old", "new", "running"] { try journal.jobAccepted(job(id)) }
        try journal.taskEnded(jobID: "old", taskID: "a", status: RunStatus(state: .complete), at: Self.submitted + 10)
        try journal.jobEnded(jobID: "old", killed: false, at: Self.submitted + 10)
        try journal.jobEnded(jobID: "new", killed: false, at: Self.submitted + 100)
        try journal.purgeJobs(endedBefore: Self.submitted + 50)
        let contents = try journal.load()
        #expect(contents.finishedJobs.map(\.job.id) == ["new"])
        #expect(contents.unfinishedJobs.map(\.job.id) == ["running"])
    }

    @Test func theDatabaseIsInWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        try journal.jobAccepted(job("j1"))
        #expect(FileManager.default.fileExists(atPath: journal.path + "-wal"))
        #expect(journal.path == directory.url.appendingPathComponent("jobs.sqlite").path)
    }

    /// FULL, not the NORMAL GRDB's WAL set-up leaves: with NORMAL a commit is not fsynced, and
    /// an acknowledged job could be lost on power failure.
    @Test func everyCommitIsSynchronousFull() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        try journal.jobAccepted(job("j1"))
        #expect(try journal.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        let reopened = try SQLiteJobJournal(dataDirectory: directory.url)
        #expect(try reopened.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    }

    /// The definition sat in the `jobs` row, and SQLite rewrites a whole row on UPDATE: each
    /// start and end of a big job copied its definition (a 400,000-task job's kill wrote about
    /// 30 MB and took seconds). Now a job's start and end write a few pages whatever its size.
    @Test func aBigJobsStartAndEndDoNotRewriteItsDefinition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        let tasks = (0..<20_000).map { TaskDefinition(taskID: "task-\($0)", argv: ["echo", String(repeating: "x", count: 80)]) }
        let big = JournaledJob(id: "big", definition: JobDefinition(tasks: tasks, requestor: "r"), submittedAt: Self.submitted)
        try journal.jobAccepted(big)
        let definitionBytes = JournaledJob.encode(big.definition)!.utf8.count
        #expect(definitionBytes > 2_000_000)
        try journal.database.writeWithoutTransaction { _ = try Row.fetchAll($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let wal = journal.path + "-wal"
        #expect(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int == 0)

        try journal.taskStarted(TaskAttemptStart(jobID: "big", taskID: "task-0", attempt: 1, workerID: "w1", startedAt: Self.submitted + 1))
        try journal.taskStarted(TaskAttemptStart(jobID: "big", taskID: "task-1", attempt: 1, workerID: "w1", startedAt: Self.submitted + 2))
        try journal.jobEnded(jobID: "big", killed: true, at: Self.submitted + 3)
        let written = try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? .max
        #expect(written < 100_000, "the start and the kill wrote \(written) bytes to the log for a \(definitionBytes)-byte definition")
        let recovered = try SQLiteJobJournal(dataDirectory: directory.url).load().finishedJobs
        #expect(recovered.map(\.job) == [big])
        #expect(recovered.first?.startedAt == Self.submitted + 1)
    }

    /// A journal written before definitions had a table of their own keeps its jobs.
    @Test func aVersion1JournalIsMigratedWithItsJobs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent(SQLiteJobJournal.fileName).path
        do {
            let queue = try DatabaseQueue(path: path)
            try JobStoreSchema.migrator.migrate(queue, upTo: "v1: jobs, attempts, task statuses, settings")
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO jobs (id, definition, tag, requestor, priority, submitted_at, ended_at, killed) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                    arguments: [
                        "j1", JournaledJob.encode(job("j1").definition)!, "tag-j1", "land-bot", 2, Self.submitted.timeIntervalSince1970,
                        (Self.submitted + 5).timeIntervalSince1970,
                    ])
            }
        }
        let contents = try SQLiteJobJournal(dataDirectory: directory.url).load()
        #expect(contents.finishedJobs.map(\.job) == [job("j1")])
        #expect(contents.finishedJobs.first?.killed == true)
    }

    /// A job row whose definition is missing is corruption, not a job to skip.
    @Test func aJobWithoutItsDefinitionIsACorruptRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let journal = try SQLiteJobJournal(dataDirectory: directory.url)
        try journal.jobAccepted(job("j1"))
        try journal.database.write { try $0.execute(sql: "DELETE FROM job_definitions") }
        let error = #expect(throws: JobStoreError.self) { try journal.load() }
        #expect(error?.description.contains("job j1 has no definition") == true, "\(String(describing: error))")
    }

    @Test func aCorruptFileGivesAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent(SQLiteJobJournal.fileName)
        try Data(repeating: 0x5A, count: 8192).write(to: path)
        let error = #expect(throws: JobStoreError.self) { try SQLiteJobJournal(dataDirectory: directory.url) }
        guard case .databaseUnusable(let reported, _) = error else {
            Issue.record("expected databaseUnusable, got \(String(describing: error))")
            return
        }
        #expect(reported == path.path)
        #expect(error?.description.contains("restore it from a backup") == true)
    }

    /// A 0-byte or schema-less database where one existed started silently empty, dropping
    /// every acknowledged job; the marker written beside the first one makes it a refusal.
    @Test func aDatabaseEmptiedAfterItExistedIsRefused() throws {
        for damage in ["truncated to 0 bytes", "removed", "replaced by a database without tables"] {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            do {
                let journal = try SQLiteJobJournal(dataDirectory: directory.url)
                try journal.jobAccepted(job("j1"))
            }
            #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(SQLiteJobJournal.markerFileName).path))
            let path = directory.url.appendingPathComponent(SQLiteJobJournal.fileName).path
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            switch damage {
            case "truncated to 0 bytes": _ = FileManager.default.createFile(atPath: path, contents: Data())
            case "replaced by a database without tables":
                let queue = try DatabaseQueue(path: path)
                try queue.write { try $0.execute(sql: "CREATE TABLE unrelated (x)") }
            default: break
            }
            let error = #expect(throws: JobStoreError.self, "\(damage)") { try SQLiteJobJournal(dataDirectory: directory.url) }
            #expect(error?.description.contains("held a job database") == true, "\(damage): \(String(describing: error))")
        }
    }

    @Test func aDatabaseFromBeforeTheMarkerGetsOneAndKeepsItsJobs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.url.appendingPathComponent(SQLiteJobJournal.markerFileName).path
        do {
            let journal = try SQLiteJobJournal(dataDirectory: directory.url)
            try journal.jobAccepted(job("j1"))
        }
        try FileManager.default.removeItem(atPath: marker)
        let reopened = try SQLiteJobJournal(dataDirectory: directory.url)
        #expect(try reopened.load().jobs.map(\.job.id) == ["j1"])
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func anUnusableDataDirectoryGivesAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: JobStoreError.self) { try SQLiteJobJournal(dataDirectory: file.appendingPathComponent("data")) }
        guard case .dataDirectoryUnusable = error else {
            Issue.record("expected dataDirectoryUnusable, got \(String(describing: error))")
            return
        }
    }
}
