import Foundation
import ScootAPI
import TUIKit
@testable import ConsoleApp

extension TimelineSample {
    /// Four polls of a job of six tasks, a minute apart: task-1 done, task-2 retried on another
    /// worker and running, task-3 failed (exit 2), task-4 killed while waiting, task-5 waiting,
    /// task-6 killed while running. `listed`: with ListTasks (the server's times), else GetStatus
    /// alone.
    static func jobPolls(listed: Bool) -> [ClusterSnapshot] {
        func run(_ id: String, _ status: RunStatusState = .running, exit: Int32? = nil, error: String? = nil) -> RunStatus {
            RunStatus(status: status, runId: id, error: error, exitCode: exit)
        }
        func task(_ id: String, _ status: Status, _ worker: String? = nil, _ started: Int64? = nil, _ ended: Int64? = nil, attempts: Int32 = 1) -> TaskSummary {
            TaskSummary(taskId: id, status: status, workerId: worker, startedAtMs: started.map(ms), endedAtMs: ended.map(ms), attempts: attempts)
        }
        let kill = "UserRequested -> Error(s) encountered, canceling task."
        let polls: [(Int64, [String: (Status, RunStatus?)], [TaskSummary])] = [
            (10, ["task-1": (.inProgress, run("11")), "task-2": (.inProgress, run("21")), "task-3": (.inProgress, run("31")),
                  "task-4": (.notStarted, nil), "task-5": (.notStarted, nil), "task-6": (.notStarted, nil)],
             [task("task-1", .inProgress, "sim-worker-0", 2), task("task-2", .inProgress, "sim-worker-1", 5), task("task-3", .inProgress, "sim-worker-3", 8),
              task("task-4", .notStarted, attempts: 0), task("task-5", .notStarted, attempts: 0), task("task-6", .notStarted, attempts: 0)]),
            (70, ["task-1": (.completed, run("11", .complete, exit: 0)), "task-2": (.notStarted, run("21")), "task-3": (.inProgress, run("31")),
                  "task-4": (.notStarted, nil), "task-5": (.notStarted, nil), "task-6": (.inProgress, run("61"))],
             [task("task-1", .completed, "sim-worker-0", 2, 40), task("task-2", .notStarted, "sim-worker-1", 5), task("task-3", .inProgress, "sim-worker-3", 8),
              task("task-4", .notStarted, attempts: 0), task("task-5", .notStarted, attempts: 0), task("task-6", .inProgress, "sim-worker-0", 60)]),
            (130, ["task-1": (.completed, run("11", .complete, exit: 0)), "task-2": (.inProgress, run("22")), "task-3": (.completed, run("31", .complete, exit: 2)),
                   "task-4": (.completed, run("", .aborted, error: "UserRequested")), "task-5": (.notStarted, nil), "task-6": (.inProgress, run("61"))],
             [task("task-1", .completed, "sim-worker-0", 2, 40), task("task-2", .inProgress, "sim-worker-2", 100, attempts: 2),
              task("task-3", .completed, "sim-worker-3", 8, 125), task("task-4", .completed, nil, nil, 120, attempts: 0),
              task("task-5", .notStarted, attempts: 0), task("task-6", .inProgress, "sim-worker-0", 60)]),
            (190, ["task-1": (.completed, run("11", .complete, exit: 0)), "task-2": (.inProgress, run("22")), "task-3": (.completed, run("31", .complete, exit: 2)),
                   "task-4": (.completed, run("", .aborted, error: "UserRequested")), "task-5": (.notStarted, nil),
                   "task-6": (.completed, run("61", .aborted, error: kill))],
             [task("task-1", .completed, "sim-worker-0", 2, 40), task("task-2", .inProgress, "sim-worker-2", 100, attempts: 2),
              task("task-3", .completed, "sim-worker-3", 8, 125), task("task-4", .completed, nil, nil, 120, attempts: 0),
              task("task-5", .notStarted, attempts: 0), task("task-6", .completed, "sim-worker-0", 60, 170)]),
        ]
        return polls.map { timelinePoll($0.0, $0.1, listed: listed ? $0.2 : [], load: listed ? .consoleExtension : .none) }
    }

    /// A console on the Tasks pane of `jobPolls`' job after its polls (fed as the update
    /// function feeds them), the timeline on, the cursor on task-2, times in UTC.
    static func jobState(listed: Bool) -> ConsoleState {
        var state = connectedState()
        state.timeZone = TimeZone(identifier: "UTC")!
        state.pane = .tasks
        state.tasksOfJob = "job-a"
        for poll in jobPolls(listed: listed) {
            state.taskHistory.record(poll)
            state.snapshot = poll
        }
        state.taskTimeline.shown = true
        state.tables[.tasks] = TableState(selected: 1)
        return state
    }
}
