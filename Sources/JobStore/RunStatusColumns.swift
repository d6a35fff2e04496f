import GRDB
import SchedulerCore

/// RunStatus fields as explicit `task_statuses` columns.
enum RunStatusColumns {
    /// The column list of an insert, in the order of `arguments(of:)`.
    static let names = "state, run_id, out_uri, err_uri, error, exit_code, snapshot_id"

    static func arguments(of status: RunStatus) -> StatementArguments {
        [status.state.rawValue, status.runID, status.outURI, status.errURI, status.error, Int(status.exitCode), status.snapshotID]
    }

    /// Reads a status back; nil when the state is not one the scheduler knows.
    static func status(from row: Row) -> RunStatus? {
        guard let state = RunState(rawValue: row["state"]) else { return nil }
        return RunStatus(
            state: state, runID: row["run_id"], outURI: row["out_uri"], errURI: row["err_uri"], error: row["error"],
            exitCode: Int32(truncatingIfNeeded: row["exit_code"] as Int), snapshotID: row["snapshot_id"])
    }
}
