import Foundation
import Glibc
import GRDB
import SchedulerCore

/// The scheduler's journal in SQLite: `<dataDir>/jobs.sqlite`, in WAL mode, one transaction per
/// group of records (the scheduler's `JournalWriter` makes the groups, on a thread of its own).
///
/// Durability: `PRAGMA synchronous = FULL` makes every commit fsync the write-ahead log before
/// it returns, so a job acknowledged by RunJob survives a crash of the process *and* of the
/// machine. (NORMAL with WAL survives a process crash only: the last commits can be lost on power
/// failure, which would break "RunJob returns an id only after the job is durable".) The figures
/// — fsyncs per operation — are in docs/operations.md.
public final class SQLiteJobJournal: JobJournal {
    /// The file name inside the data directory.
    public static let fileName = "jobs.sqlite"
    /// Written beside the database once its schema exists: from then on a missing, empty or
    /// schema-less database is a lost one, refused like any other corruption, never silently
    /// replaced by an empty one (that would drop every acknowledged job).
    public static let markerFileName = "jobs.sqlite.created"

    /// The database file.
    public let path: String
    let database: DatabaseQueue

    /// Opens (creating if needed) the journal in `dataDirectory` and brings its schema up to date.
    ///
    /// - Throws: `JobStoreError` when the directory cannot be created or written, or the file is
    ///   not a usable job database.
    public init(dataDirectory: URL) throws(JobStoreError) {
        let directory = dataDirectory.standardizedFileURL.path
        path = dataDirectory.appendingPathComponent(Self.fileName).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .dataDirectoryUnusable(path: directory, reason: error.localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw .dataDirectoryUnusable(path: directory, reason: "not writable")
        }
        let marker = dataDirectory.appendingPathComponent(Self.markerFileName).standardizedFileURL.path
        let hadDatabase = FileManager.default.fileExists(atPath: marker)
        let lost = "it is missing, empty or has no tables, but this data directory held a job database (\(marker) exists)"
        if hadDatabase, ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) == 0 {
            throw .databaseUnusable(path: path, reason: lost + "; remove \(Self.markerFileName) as well to start empty on purpose")
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        // A connection closing (its last checkpoint) holds the file for a moment: wait for it
        // rather than fail (one serve per data directory is the data-directory lock's job).
        configuration.busyMode = .timeout(5)
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            // Set once the connection is open: GRDB's WAL set-up (which runs after
            // `prepareDatabase`) sets NORMAL, which can lose the last commits on power failure.
            // The queue has this one connection, so the setting holds for every commit.
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .databaseUnusable(path: path, reason: "\(error)")
        }
        do {
            if hadDatabase, try database.read({ try !$0.tableExists("jobs") }) {
                throw JobStoreError.databaseUnusable(path: path, reason: lost + "; remove \(Self.markerFileName) as well to start empty on purpose")
            }
            try JobStoreSchema.migrator.migrate(database)
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw .databaseUnusable(path: path, reason: "\(error)")
        }
        if !hadDatabase { try Self.writeMarker(marker, directory: directory) }
    }

    /// Creates the marker durably: the file, then the directory entry.
    private static func writeMarker(_ marker: String, directory: String) throws(JobStoreError) {
        let descriptor = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw .dataDirectoryUnusable(path: directory, reason: "cannot create \(marker): \(String(cString: strerror(errno)))")
        }
        let text = Array("created by scoot-console serve; do not remove while \(fileName) holds jobs\n".utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        guard written == text.count, synced else {
            throw .dataDirectoryUnusable(path: directory, reason: "cannot write \(marker)")
        }
    }

    public func commit(_ records: [JournalRecord]) throws {
        try database.write { db in
            for record in records { try insert(record, in: db) }
        }
    }

    private func insert(_ record: JournalRecord, in db: Database) throws {
        switch record {
        case .jobAccepted(let job):
            guard let definition = job.encodedDefinition ?? JournaledJob.encode(job.definition) else {
                throw JobStoreError.corruptRecord(path: path, reason: "job \(job.id)'s definition cannot be encoded")
            }
            try db.cachedStatement(sql: "INSERT INTO jobs (id, tag, requestor, priority, submitted_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [
                    job.id, job.definition.tag, job.definition.requestor, job.definition.priority, job.submittedAt.timeIntervalSince1970,
                ])
            try db.cachedStatement(sql: "INSERT INTO job_definitions (job_id, definition) VALUES (?, ?)")
                .execute(arguments: [job.id, definition])
        case .taskStarted(let start):
            let startedAt = start.startedAt.timeIntervalSince1970
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO attempts (job_id, task_id, attempt, worker_id, started_at) VALUES (?, ?, ?, ?, ?)"
            ).execute(arguments: [start.jobID, start.taskID, start.attempt, start.workerID, startedAt])
            try db.cachedStatement(sql: "UPDATE jobs SET started_at = ? WHERE id = ? AND started_at IS NULL")
                .execute(arguments: [startedAt, start.jobID])
        case .taskProgressed(let jobID, let taskID, let status):
            try db.cachedStatement(
                sql: """
                    INSERT INTO task_statuses (job_id, task_id, final, \(RunStatusColumns.names)) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (job_id, task_id) DO UPDATE SET
                        state = excluded.state, run_id = excluded.run_id, out_uri = excluded.out_uri,
                        err_uri = excluded.err_uri, error = excluded.error, exit_code = excluded.exit_code,
                        snapshot_id = excluded.snapshot_id
                    WHERE final = 0
                    """
            ).execute(arguments: [jobID, taskID] + RunStatusColumns.arguments(of: status))
        case .taskEnded(let jobID, let taskID, let status, let time):
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO task_statuses (job_id, task_id, final, ended_at, \(RunStatusColumns.names))
                    VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [jobID, taskID, time.timeIntervalSince1970] + RunStatusColumns.arguments(of: status))
        case .jobEnded(let jobID, let killed, let time):
            try db.cachedStatement(sql: "UPDATE jobs SET ended_at = ?, killed = ? WHERE id = ?")
                .execute(arguments: [time.timeIntervalSince1970, killed, jobID])
        case .settingsChanged(let settings):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let percents = try String(decoding: encoder.encode(settings.classLoadPercents), as: UTF8.self)
            let requestorMap = try String(decoding: encoder.encode(settings.requestorToClassMap), as: UTF8.self)
            try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO settings
                        (id, class_load_percents, requestor_to_class_map, rebalance_threshold, rebalance_minimum_duration_minutes, max_tasks)
                    VALUES (1, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                percents, requestorMap, settings.rebalanceThreshold, settings.rebalanceMinimumDurationMinutes, settings.maxTasks,
            ])
        case .purgeJobs(let cutoff):
            try db.cachedStatement(sql: "DELETE FROM jobs WHERE ended_at < ?").execute(arguments: [cutoff.timeIntervalSince1970])
        }
    }
}
