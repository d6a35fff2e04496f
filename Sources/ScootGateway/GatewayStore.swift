import Foundation
import ClusterObservation
import GRDB
import ScootAPI
import Thrift

/// The gateway's record in SQLite (`<data-dir>/gateway.sqlite`, WAL): every job it forwarded or
/// discovered with its last known status, and every kill, offline, reinstate and settings change
/// with the caller's address and the outcome.
///
/// Writes go through GRDB's async API, so they run on GRDB's writer queue, never blocking
/// Swift's cooperative pool. `synchronous = NORMAL`: with WAL a commit survives a crash of the
/// gateway; a power failure can lose the last commits (the jobs themselves live upstream).
/// Bounds: at most `maximumJobs` jobs and `maximumActions` actions; older rows are deleted.
public final class GatewayStore: Sendable {
    /// The file name inside the data directory.
    public static let fileName = "gateway.sqlite"
    /// The most jobs kept (the oldest finished ones go first).
    public static let maximumJobs = 20_000
    /// The most actions kept.
    public static let maximumActions = 100_000

    /// Why the store could not be opened.
    public struct OpenError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the file.
        public var description: String
    }

    /// One recorded action.
    public struct Action: Sendable, Hashable {
        /// When, in ms since the epoch.
        public var atMs: Int64
        /// The caller's address.
        public var caller: String
        /// The CloudScoot method.
        public var method: String
        /// What it acted on (job id, worker id), or "" for settings.
        public var target: String
        /// Its arguments, as text.
        public var arguments: String
        /// `ok` or `error`.
        public var outcome: String
        /// The upstream's error text, when it refused.
        public var error: String?

        /// Creates an action.
        public init(atMs: Int64, caller: String, method: String, target: String, arguments: String, outcome: String, error: String?) {
            self.atMs = atMs
            self.caller = caller
            self.method = method
            self.target = target
            self.arguments = arguments
            self.outcome = outcome
            self.error = error
        }
    }

    /// The database file.
    public let path: String
    private let database: DatabaseQueue

    /// Opens (creating if needed) the store in `dataDirectory`.
    public init(dataDirectory: URL) throws(OpenError) {
        path = dataDirectory.appendingPathComponent(Self.fileName).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw OpenError(description: "cannot create the data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw OpenError(description: "cannot open the gateway record \(path): \(error)")
        }
    }

    /// Opens the store on a thread of its own (creating the directory and the file and
    /// migrating them is blocking I/O, kept off Swift's cooperative pool).
    public static func open(dataDirectory: URL) async throws(OpenError) -> GatewayStore {
        let result: Result<GatewayStore, OpenError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do throws(OpenError) {
                    continuation.resume(returning: .success(try GatewayStore(dataDirectory: dataDirectory)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and actions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        origin TEXT NOT NULL,
                        requestor TEXT NOT NULL,
                        tag TEXT NOT NULL,
                        basis TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        job_type TEXT NOT NULL,
                        definition BLOB,
                        task_ids TEXT NOT NULL,
                        submitted_at_ms INTEGER NOT NULL,
                        caller TEXT NOT NULL,
                        status BLOB,
                        status_at_ms INTEGER,
                        kill_requested INTEGER NOT NULL DEFAULT 0,
                        ended_at_ms INTEGER
                    );
                    CREATE TABLE actions (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at_ms INTEGER NOT NULL,
                        caller TEXT NOT NULL,
                        method TEXT NOT NULL,
                        target TEXT NOT NULL,
                        arguments TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        error TEXT
                    );
                    """)
        }
        return migrator
    }

    /// Records a job forwarded with `definition`, or one discovered (definition nil).
    public func insert(_ job: ObservedJob, definition: JobDefinition?) async throws {
        let definitionBytes = definition.map(Self.encode)
        let taskIDs = try Self.encodeTaskIDs(job.taskIDs)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO jobs (id, origin, requestor, tag, basis, priority, job_type, definition, task_ids, submitted_at_ms, caller)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id, job.origin.rawValue, job.requestor, job.tag, job.basis, job.priority, job.jobType, definitionBytes.map { Data($0) },
                    taskIDs, job.submittedAtMs, job.caller,
                ])
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs") ?? 0
            if count > Self.maximumJobs {
                try db.execute(
                    sql: "DELETE FROM jobs WHERE seq IN (SELECT seq FROM jobs ORDER BY ended_at_ms IS NULL, seq LIMIT ?)",
                    arguments: [count - Self.maximumJobs])
            }
        }
    }

    /// Saves a job's latest status (and task ids, kill flag, end time).
    public func update(_ job: ObservedJob) async throws {
        let status = job.status.map(Self.encode).map { Data($0) }
        let taskIDs = try Self.encodeTaskIDs(job.taskIDs)
        try await database.write { db in
            try db.execute(
                sql: "UPDATE jobs SET status = ?, status_at_ms = ?, task_ids = ?, kill_requested = ?, ended_at_ms = ? WHERE id = ?",
                arguments: [status, job.statusAtMs, taskIDs, job.killRequested, job.endedAtMs, job.id])
        }
    }

    /// Appends an action.
    public func append(_ action: Action) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO actions (at_ms, caller, method, target, arguments, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [action.atMs, action.caller, action.method, action.target, action.arguments, action.outcome, action.error])
            try db.execute(
                sql: "DELETE FROM actions WHERE seq <= (SELECT MAX(seq) FROM actions) - ?", arguments: [Self.maximumActions])
        }
    }

    /// Every job, oldest first, for start-up.
    public func loadJobs() async throws -> [ObservedJob] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY seq").map { row in
                let statusBytes: Data? = row["status"]
                let taskIDsText: String = row["task_ids"]
                return ObservedJob(
                    id: row["id"], origin: ObservedJob.Origin(rawValue: row["origin"]) ?? .discovered, requestor: row["requestor"],
                    tag: row["tag"], basis: row["basis"], priority: row["priority"], jobType: row["job_type"],
                    taskIDs: (try? JSONDecoder().decode([String].self, from: Data(taskIDsText.utf8))) ?? [],
                    submittedAtMs: row["submitted_at_ms"], caller: row["caller"],
                    status: statusBytes.flatMap { try? Self.decode(JobStatus.self, [UInt8]($0)) }, statusAtMs: row["status_at_ms"],
                    killRequested: row["kill_requested"], endedAtMs: row["ended_at_ms"])
            }
        }
    }

    /// The actions, newest first, at most `limit`.
    public func actions(limit: Int) async throws -> [Action] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM actions ORDER BY seq DESC LIMIT ?", arguments: [limit]).map { row in
                Action(
                    atMs: row["at_ms"], caller: row["caller"], method: row["method"], target: row["target"],
                    arguments: row["arguments"], outcome: row["outcome"], error: row["error"])
            }
        }
    }

    /// The definition a forwarded job was submitted with.
    public func definition(ofJob id: String) async throws -> JobDefinition? {
        try await database.read { db in
            guard let bytes = try Data.fetchOne(db, sql: "SELECT definition FROM jobs WHERE id = ?", arguments: [id]) else { return nil }
            return try Self.decode(JobDefinition.self, [UInt8](bytes))
        }
    }

    static func encode<T: ThriftStruct>(_ value: T) -> [UInt8] {
        value.thriftBytes()
    }

    static func decode<T: ThriftStruct>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try ThriftBinaryReader.withReader(bytes, limits: .default) { try $0.readStruct(T.self) }
    }

    private static func encodeTaskIDs(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }
}
