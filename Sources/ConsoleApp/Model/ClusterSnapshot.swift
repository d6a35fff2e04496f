import Foundation
import ScootAPI

/// Everything one poll brought back from the scheduler: the data every pane shows.
public struct ClusterSnapshot: Sendable, Equatable {
    /// Jobs, newest first (from ListJobs, or from GetStatus of known jobs on a plain Scoot).
    public var jobs: [JobSummary]
    /// Workers (empty against a plain Scoot scheduler).
    public var workers: [WorkerInfo]
    /// Class loads and the rebalance timer (nil against a plain Scoot scheduler).
    public var load: ClusterLoad?
    /// Running + waiting tasks and the throttle.
    public var schedulerStatus: SchedulerStatus
    /// The settings an operator can change.
    public var settings: Settings
    /// Status of the job whose tasks are shown, if one is selected.
    public var selectedJobStatus: JobStatus?
    /// Worker and times of the selected job's tasks, by task id (empty when none is selected or
    /// the server lacks ListTasks).
    public var selectedJobTasks: [TaskSummary]
    /// Task lists of jobs followed besides the selected one, by job id (ListTasks, or on a plain
    /// Scoot what the console saw on the workers): the jobs this console killed, for a while
    /// after the kill, so that the task timeline (and a replay) can show them even when nobody
    /// had them open.
    public var followedJobTasks: [String: [TaskSummary]] = [:]
    /// The statuses (GetStatus) of the same jobs, by job id: how each task ended (killed,
    /// failed, done), which a task list alone does not say.
    public var followedJobStatuses: [String: JobStatus] = [:]
    /// Panes the server cannot fill, with the reason shown in the UI (each starts with its pane's
    /// name, e.g. `Workers: …`).
    public var limitations: [String]
    /// Worker counts from `/admin/metrics.json` when the server cannot list workers.
    public var workerCounts: WorkerCounts?
    /// Tracked job ids the scheduler does not know (GetStatus: NOT_STARTED with no tasks).
    public var unknownJobIDs: Set<String> = []
    /// When the poll that brought it was answered (wall clock), for the Events pane.
    public var observedAt = Date()

    /// Whether the server has the console extension (serve, the gateway): its GetClusterLoad
    /// carries the scheduler status, and its task lists are ListTasks'. A plain Scoot's load is
    /// the console's own, computed from `/admin/metrics.json`, and its task lists are what the
    /// console saw on the workers.
    public var hasConsoleExtension: Bool { load?.schedulerStatus != nil }

    /// The scheduler's settings.
    public struct Settings: Sendable, Hashable {
        public var classLoadPercents: [String: Int32]
        public var requestorToClassMap: [String: String]
        public var rebalanceThreshold: Int32
        public var rebalanceMinimumDuration: Int32

        public init(classLoadPercents: [String: Int32], requestorToClassMap: [String: String], rebalanceThreshold: Int32, rebalanceMinimumDuration: Int32) {
            self.classLoadPercents = classLoadPercents
            self.requestorToClassMap = requestorToClassMap
            self.rebalanceThreshold = rebalanceThreshold
            self.rebalanceMinimumDuration = rebalanceMinimumDuration
        }
    }

    public init(
        jobs: [JobSummary], workers: [WorkerInfo], load: ClusterLoad?, schedulerStatus: SchedulerStatus, settings: Settings,
        selectedJobStatus: JobStatus? = nil, selectedJobTasks: [TaskSummary] = [], limitations: [String] = []
    ) {
        self.jobs = jobs
        self.workers = workers
        self.load = load
        self.schedulerStatus = schedulerStatus
        self.settings = settings
        self.selectedJobStatus = selectedJobStatus
        self.selectedJobTasks = selectedJobTasks
        self.limitations = limitations
    }
}
