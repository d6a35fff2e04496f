import GRDB

/// The versioned schema of `jobs.sqlite`. A new version is a new migration appended here;
/// existing migrations never change.
enum JobStoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, attempts, task statuses, settings") { db in
            // One row per accepted job; `seq` keeps submission order, `ended_at` is set by the
            // job end and drives recovery (NULL = unfinished) and the retention purge.
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        definition TEXT NOT NULL,
                        tag TEXT NOT NULL,
                        requestor TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        submitted_at REAL NOT NULL,
                        started_at REAL,
                        ended_at REAL,
                        killed INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX jobs_by_end ON jobs(ended_at);
                    CREATE TABLE attempts (
                        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        task_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        worker_id TEXT NOT NULL,
                        started_at REAL NOT NULL
                    );
                    CREATE INDEX attempts_by_job ON attempts(job_id, task_id);
                    CREATE TABLE task_statuses (
                        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        task_id TEXT NOT NULL,
                        final INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        out_uri TEXT NOT NULL,
                        err_uri TEXT NOT NULL,
                        error TEXT NOT NULL,
                        exit_code INTEGER NOT NULL,
                        snapshot_id TEXT NOT NULL,
                        ended_at REAL,
                        PRIMARY KEY (job_id, task_id)
                    );
                    CREATE INDEX final_task_statuses ON task_statuses(job_id) WHERE final = 1;
                    CREATE TABLE settings (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        class_load_percents TEXT NOT NULL,
                        requestor_to_class_map TEXT NOT NULL,
                        rebalance_threshold INTEGER NOT NULL,
                        rebalance_minimum_duration_minutes INTEGER NOT NULL,
                        max_tasks INTEGER NOT NULL
                    );
                    """)
        }
        // A job's definition (up to `--max-job-bytes` of JSON) in a row of its own: SQLite
        // rewrites a whole row on every UPDATE, so with the definition inside `jobs` each job
        // start and end copied it (a 400,000-task job: about 30 MB read and written again by
        // its kill). `jobs` now holds only the small columns that change.
        migrator.registerMigration("v2: job definitions apart from the jobs they define") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job_definitions (
                        job_id TEXT PRIMARY KEY NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                        definition TEXT NOT NULL
                    );
                    INSERT INTO job_definitions (job_id, definition) SELECT id, definition FROM jobs;
                    ALTER TABLE jobs DROP COLUMN definition;
                    """)
        }
        return migrator
    }
}
