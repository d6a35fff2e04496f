import Foundation
import ScootAPI

/// How the Tasks pane shows its timeline: whether it is on (`T`, kept from job to job), and the
/// time cursor and zoom, which belong to the job they were set for (another job opens fitted,
/// with the cursor at its latest time).
public struct TaskTimelineState: Sendable, Hashable {
    /// Whether the Tasks pane shows the timeline instead of the table.
    public var shown = false
    /// The job `cursorMs` and `zoom` were set for.
    public var jobID: String?
    /// The time under the cursor (ms since 1970); nil: the latest time, following the data.
    public var cursorMs: Int64?
    /// 0 fits the whole job; each step shows half as much time.
    public var zoom = 0

    public init() {}

    /// The cursor and the zoom for `job`: the defaults when they were set for another.
    func position(for job: String) -> (cursorMs: Int64?, zoom: Int) {
        jobID == job ? (cursorMs, zoom) : (nil, 0)
    }
}

extension ConsoleState {
    /// The rows `pane` shows at the current screen size: the table's, or the timeline's lanes
    /// while it is on (paging and scrolling use it, so the cursor stays on screen in both).
    func visibleRows(of pane: Pane) -> Int {
        let rows = ConsoleLayout.visibleRows(of: pane, screen: screen)
        return pane == .tasks && taskTimeline.shown ? TaskTimelineLayout.lanes(tableRows: rows) : rows
    }

    /// The timeline of the Tasks pane's job, in the table's order: from the table's rows when the
    /// snapshot has the job's status, else from its ListTasks entries as a followed job (a
    /// replay of a console that had another job open). Nil before either is known.
    var taskTimelineModel: TaskTimeline? {
        guard let job = tasksOfJob, let snapshot else { return nil }
        let tasks: [TaskTimeline.Task]
        let listed: Bool
        if snapshot.selectedJobStatus?.id == job {
            tasks = rows.tasks.map(TaskTimeline.Task.init)
            listed = !snapshot.selectedJobTasks.isEmpty
        } else if let followed = snapshot.followedJobTasks[job] {
            // Rare (no table to follow), so sorted here, in the table's default order.
            tasks = followed.sorted { $0.taskId.compare($1.taskId, options: [.numeric]) == .orderedAscending }.map(TaskTimeline.Task.init)
            listed = true
        } else {
            return nil
        }
        // ListTasks' times are the server's only from a server with the extension; a plain
        // Scoot's task list is what the console saw on the workers.
        let source: TaskTimeline.Source = listed && snapshot.hasConsoleExtension ? .listTasks : .observed
        let observedMs = Int64((snapshot.observedAt.timeIntervalSince1970 * 1000).rounded())
        let nowMs = source == .listTasks ? snapshot.load?.computedAtMs ?? observedMs : observedMs
        return TaskTimeline(
            jobID: job, tasks: tasks, job: snapshot.jobs.first { $0.id == job }, history: taskHistory, source: source, nowMs: nowMs)
    }
}
