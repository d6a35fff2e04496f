import Foundation
import GRDB
import SchedulerCore

/// Reading the journal back for recovery.
extension SQLiteJobJournal {
    public func load() throws -> JournalContents {
        try database.read { db in
            var contents = JournalContents(settings: try loadSettings(db))
            let endedTasks = try loadEndedTasks(db)
            let jobs = try Row.fetchCursor(
                db,
                sql: """
                    SELECT jobs.*, job_definitions.definition FROM jobs
                    LEFT JOIN job_definitions ON job_definitions.job_id = jobs.id ORDER BY seq
                    """)
            while let row = try jobs.next() {
                contents.jobs.append(try recoveredJob(from: row, endedTasks: endedTasks))
            }
            return contents
        }
    }

    private func loadSettings(_ db: Database) throws -> SchedulerSettings? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM settings WHERE id = 1") else { return nil }
        return SchedulerSettings(
            classLoadPercents: try decode([String: Int].self, row["class_load_percents"], what: "class load percents"),
            requestorToClassMap: try decode([String: String].self, row["requestor_to_class_map"], what: "requestor map"),
            rebalanceThreshold: row["rebalance_threshold"], rebalanceMinimumDurationMinutes: row["rebalance_minimum_duration_minutes"],
            maxTasks: row["max_tasks"])
    }

    /// Final task statuses by job id, then task id.
    private func loadEndedTasks(_ db: Database) throws -> [String: [String: RunStatus]] {
        var ended: [String: [String: RunStatus]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM task_statuses WHERE final = 1") {
            let jobID: String = row["job_id"]
            let taskID: String = row["task_id"]
            guard let status = RunStatusColumns.status(from: row) else {
                throw JobStoreError.corruptRecord(path: path, reason: "task \(taskID) of job \(jobID) has an unknown state")
            }
            ended[jobID, default: [:]][taskID] = status
        }
        return ended
    }

    private func recoveredJob(from row: Row, endedTasks: [String: [String: RunStatus]]) throws -> RecoveredJob {
        let id: String = row["id"]
        guard let json = row["definition"] as String? else {
            throw JobStoreError.corruptRecord(path: path, reason: "job \(id) has no definition")
        }
        let definition = try decode(JobDefinition.self, json, what: "definition of job \(id)")
        let submittedAt = Date(timeIntervalSince1970: row["submitted_at"])
        return RecoveredJob(
            job: JournaledJob(id: id, definition: definition, submittedAt: submittedAt), endedTasks: endedTasks[id] ?? [:],
            startedAt: (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            endedAt: (row["ended_at"] as Double?).map(Date.init(timeIntervalSince1970:)), killed: row["killed"])
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ json: String, what: String) throws -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            throw JobStoreError.corruptRecord(path: path, reason: "\(what): \(error)")
        }
    }
}
