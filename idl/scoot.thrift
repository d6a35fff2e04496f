# The CloudScoot scheduler API as scoot-console speaks it.
#
# Field ids, types and requiredness must stay identical to Scoot's own scoot.thrift: they are
# the wire contract. Comments are ours. Swift code is generated from this file; after editing
# it, run `make generate` and commit idl/ and Sources/ScootAPI/Generated/ together.

namespace go scoot

/// The request was malformed or asked for something that does not exist.
exception InvalidRequest {
  /// Why the scheduler rejected the request, as it reported it.
  1: optional string message
}

/// The scheduler is at capacity and refuses new jobs for now.
exception CanNotScheduleNow {
  /// How long the scheduler suggests waiting before trying again, in milliseconds.
  1: optional i64 retryAfterMs
}

/// A failure inside the scheduler, not caused by the request; retrying later may help.
exception ScootServerError {
  /// How long to wait before retrying, in milliseconds, when the scheduler suggests it.
  1: optional i64 retryAfterMs
}

/// Legacy job classification; superseded by the free-form JobDefinition.jobType string.
enum JobType {
  /// No legacy type given.
  UNKNOWN = 1
  /// A job made of iron (integration) test tasks.
  IRON_TESTS = 2
}

/// Where one run of a task on a worker stands.
enum RunStatusState {
  /// The worker cannot tell; treat as finished, outcome unknown.
  UNKNOWN = 0
  /// Accepted by the worker, not started yet.
  PENDING = 1
  /// The command is executing.
  RUNNING = 2
  /// The command finished; its exit code says whether it passed.
  COMPLETE = 3
  /// The worker could not run the command or lost track of it.
  FAILED = 4
  /// Stopped deliberately: a kill request or scheduler preemption.
  ABORTED = 5
  /// Killed because it exceeded its timeout.
  TIMEDOUT = 6
}

/// What a worker reports about one run. Run ids are per worker, not global.
struct RunStatus {
  /// The run's state.
  1: required RunStatusState status
  /// The worker-local id of the run.
  2: required string runId
  /// Where the run's standard output was uploaded.
  3: optional string outUri
  /// Where the run's standard error was uploaded.
  4: optional string errUri
  /// The worker's explanation when the run FAILED.
  5: optional string error
  /// The command's exit code, once COMPLETE.
  6: optional i32 exitCode
  /// The snapshot the command ran in.
  7: optional string snapshotId
  /// The job the run belongs to.
  8: optional string jobId
  /// The task the run belongs to.
  9: optional string taskId
  /// The job's tag, copied for grouping.
  10: optional string tag
}

/// A process to start: argument vector and extra environment.
struct Command {
  /// The program and its arguments; argv[0] is the program.
  1: list<string> argv
  /// Environment variables added to the worker's environment.
  2: optional map<string, string> envVars
}

/// One unit of work within a job.
struct TaskDefinition {
  /// What to run.
  1: required Command command
  /// The snapshot to check out before running.
  2: optional string snapshotId
  /// Names the task; keep it unique, as a repeat overwrites the earlier task with the same requestor and tag.
  3: optional string taskId
  /// Kill the task after this many milliseconds.
  4: optional i32 timeoutMs
}

/// A job submitted with RunJob: a set of tasks scheduled together.
struct JobDefinition {
  /// The tasks to run.
  1: required list<TaskDefinition> tasks,
  /// Legacy classification; ignored by schedulers that read jobType.
  2: optional JobType DEPRECATED_jobType,
  /// Timeout for tasks that set none, in milliseconds.
  3: optional i32 defaultTaskTimeoutMs,
  /// Scheduling priority; higher runs sooner (levels are defined by the scheduler).
  4: optional i32 priority
  /// Label shared by related jobs, which all inherit the first such job's priority; the job id when unset.
  5: optional string tag
  /// A newer job with the same basis replaces this one.
  6: optional string basis
  /// The submitter, for per-submitter rate limiting; jobs without one are limited together.
  7: optional string requestor
  /// Free-form kind of job, reported in metrics; the scheduler ignores it.
  8: optional string jobType
}

/// The scheduler's id for a submitted job.
struct JobId {
  /// The job id.
  1: required string id
}

/// Progress of a job or of one of its tasks.
enum Status {
  /// Queued; nothing has been scheduled yet.
  NOT_STARTED = 1
  /// On the cluster and running.
  IN_PROGRESS = 2
  /// Done without error.
  COMPLETED = 3
  /// Aborted and undoing its effects; compensation is still running.
  ROLLING_BACK = 4
  /// Ended in failure; every compensating task has run.
  ROLLED_BACK = 5
}

/// A job's progress, as returned by GetStatus and KillJob.
struct JobStatus {
  /// The job id.
  1: required string id
  /// The job's overall progress.
  2: required Status status
  /// Progress of each task, by task id.
  3: optional map<string, Status> taskStatus
  /// The latest run of each task, by task id.
  4: optional map<string, RunStatus> taskData
}

/// Takes a worker out of service.
struct OfflineWorkerReq {
  /// The worker's id.
  1: required string id
  /// Who asked, for the audit log.
  2: required string requestor
}

/// Puts an offlined worker back into service.
struct ReinstateWorkerReq {
  /// The worker's id.
  1: required string id
  /// Who asked, for the audit log.
  2: required string requestor
}

/// How busy the scheduler is.
struct SchedulerStatus {
  /// Tasks running now.
  1: required i32 currentTasks
  /// The most tasks the scheduler will run at once.
  2: required i32 maxTasks
}

/// The scheduler's API.
service CloudScoot {
  /// Submits a job; returns its id, or throws if the job is invalid or the scheduler is full.
  JobId RunJob(1: JobDefinition job) throws (
    1: InvalidRequest ir
    2: CanNotScheduleNow cnsn
  )

  /// Reports a job's progress and its tasks' latest runs.
  JobStatus GetStatus(1: string jobId) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Aborts a job; returns its status after the abort was requested.
  JobStatus KillJob(1: string jobId) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Stops scheduling tasks on a worker.
  void OfflineWorker(1: OfflineWorkerReq req) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Resumes scheduling tasks on an offlined worker.
  void ReinstateWorker(1: ReinstateWorkerReq req) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Reports running tasks against the task limit.
  SchedulerStatus GetSchedulerStatus() throws (
    1: ScootServerError err
  )

  /// Changes the most tasks the scheduler runs at once.
  void SetSchedulerStatus(1: i32 maxTasks) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Reports the share of workers each job class may use, in percent, by class name.
  map<string, i32> GetClassLoadPercents() throws (
    1: InvalidRequest ir
  )

  /// Replaces the per-class worker shares, in percent, by class name.
  void SetClassLoadPercents(1: map<string, i32> loadPercents) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Reports which job class each requestor's jobs are put in.
  map<string, string> GetRequestorToClassMap() throws (
    1: InvalidRequest ir
  )

  /// Replaces the requestor-to-class assignments.
  void SetRequestorToClassMap(1: map<string, string> requestorToClassMap) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Reports how long, in minutes, load must stay unbalanced before the scheduler rebalances.
  i32 GetRebalanceMinimumDuration() throws (
    1: InvalidRequest ir
  )

  /// Sets how long, in minutes, load must stay unbalanced before the scheduler rebalances.
  void SetRebalanceMinimumDuration(1: i32 durationMin) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )

  /// Reports the imbalance, in percent, above which the scheduler rebalances.
  i32 GetRebalanceThreshold() throws (
    1: InvalidRequest ir
  )

  /// Sets the imbalance, in percent, above which the scheduler rebalances.
  void SetRebalanceThreshold(1: i32 threshold) throws (
    1: InvalidRequest ir
    2: ScootServerError err
  )
}

# ---------------------------------------------------------------------------------------------
# scoot-console's extension: what the console needs beyond CloudScoot, served on the same port.
# A plain CloudScoot client never calls these; a real Scoot scheduler answers them with
# TApplicationException(UNKNOWN_METHOD), which the console takes as "not supported".
# Times are milliseconds since the Unix epoch.
# ---------------------------------------------------------------------------------------------

/// What a worker is doing.
enum WorkerState {
  IDLE = 1
  BUSY = 2
  OFFLINE = 3
  SUSPENDED = 4
  /// Did not answer its last status query (a gateway or console polling Scoot workers); not gone.
  UNREACHABLE = 5
}

/// Which jobs ListJobs returns; unset fields do not filter.
struct JobFilter {
  /// Only jobs whose status is one of these.
  1: optional list<Status> statuses
  /// Only jobs of this requestor.
  2: optional string requestor
  /// Only jobs in this scheduling class.
  3: optional string className
  /// At most this many jobs, newest first (default 500).
  4: optional i32 limit
}

/// One job as the console lists it.
struct JobSummary {
  1: required string id
  2: required string requestor
  /// The job's scheduling class under the current settings.
  3: required string className
  4: required string tag
  5: required string basis
  6: required i32 priority
  7: required Status status
  /// Whether a user (or a newer job with the same basis) killed it.
  8: required bool killed
  9: required i32 waitingTasks
  10: required i32 runningTasks
  /// Finished with COMPLETE and exit code 0.
  11: required i32 completedTasks
  /// Finished any other way: non-zero exit, FAILED, ABORTED by a rebalance, TIMEDOUT. Tasks a
  /// user killed (ABORTED, UserRequested) are left out: `killed` says the job was killed.
  12: required i32 failedTasks
  13: required i64 submittedAtMs
  14: optional i64 startedAtMs
  15: optional i64 endedAtMs
  16: optional string jobType
  /// When the scheduler last reported this job's status, if that is not "now" (a gateway in
  /// front of a plain Scoot scheduler reads statuses within a budget).
  17: optional i64 statusAtMs
  /// Fields the server could not learn and sent as placeholders ("requestor", "className",
  /// "tag", "basis", "priority", "submittedAt", "jobType"): a job found running on a worker,
  /// not submitted through the server.
  18: optional list<string> unknownFields
  /// Of failedTasks, the tasks a rebalance stopped (ABORTED, RebalanceRequested).
  19: optional i32 preemptedTasks
}

/// One worker as the console lists it.
struct WorkerInfo {
  1: required string id
  2: required WorkerState state
  3: optional string currentJobId
  4: optional string currentTaskId
  /// The snapshot of the last task it ran; empty when fresh.
  5: required string lastSnapshotId
  /// Task attempts it has started (for a polled Scoot worker: distinct runs seen).
  6: required i32 tasksRun
  /// Whether it answered its last status query; unset when the server does not poll workers.
  7: optional bool reachable
  /// The worker's own health flag (Scoot's WorkerStatus.isHealthy), from its last answer.
  8: optional bool healthy
  /// Whether it finished its start-up work (WorkerStatus.initialized), from its last answer.
  9: optional bool initialized
  /// The worker's own error text, or why it could not be reached.
  10: optional string error
  /// The runs it reported in its last answer (job, task, tag, state, snapshot, output URIs).
  11: optional list<RunStatus> runs
  /// When it last answered.
  12: optional i64 lastAnswerAtMs
}

/// One scheduling class's load now: running and waiting as they are, starting and stopping as the next scheduling step would decide.
struct ClassLoad {
  1: required string name
  /// Normalized percent.
  2: required i32 percent
  /// Entitlement in workers.
  3: required i32 target
  4: required i32 running
  5: required i32 waiting
  /// Workers on loan: running above target.
  6: required i32 loaned
  7: required i32 starting
  8: required i32 stopping
}

/// How many workers are in each state.
struct WorkerStateCounts {
  1: required i32 idle
  2: required i32 busy
  3: required i32 suspended
  4: required i32 offline
}

/// A task a rebalance stopped.
struct StoppedTask {
  1: required string jobId
  2: required string taskId
  /// The class of its job then.
  3: required string className
}

/// A rebalance the scheduler did.
struct Rebalance {
  1: required i64 atMs
  /// The spread that set it off, in percentage points.
  2: required i32 spread
  /// The threshold it was over.
  3: required i32 threshold
  4: required list<StoppedTask> stopped
}

/// Class loads, the spread and the rebalance timer, in one answer.
struct ClusterLoad {
  /// By descending percent.
  1: required list<ClassLoad> classes
  /// Percentage points between the most under-served and the most over-served class.
  2: required i32 spread
  3: required i32 rebalanceThreshold
  4: required i32 rebalanceMinimumDurationMin
  /// Since when the spread has been above the threshold, if it is.
  5: optional i64 thresholdExceededSinceMs
  /// When the rebalance fires if the spread stays above the threshold.
  6: optional i64 rebalanceFiresAtMs
  /// When the numbers were computed.
  7: required i64 computedAtMs
  /// What GetSchedulerStatus would answer, so a poller needs no separate call.
  8: optional SchedulerStatus schedulerStatus
  /// Workers by state, so a poller needs ListWorkers only to show them one by one.
  9: optional WorkerStateCounts workers
  /// Changes whenever the unfiltered ListJobs answer would change (a restart changes it too);
  /// compare for equality only. A poller can skip ListJobs while it stays the same.
  10: optional i64 jobsFingerprint
  /// Changes whenever the class load percents, the requestor map, the rebalance threshold or
  /// the minimum duration change; compare for equality only. Lets a poller skip re-reading them.
  11: optional i64 settingsFingerprint
  /// Classes the requestor map names that have no load percent (sorted): requestors their
  /// patterns match are treated as unmatched and go to the smallest class.
  12: optional list<string> danglingClasses
  /// The last rebalances, oldest first (the server keeps a few, 20 for serve).
  13: optional list<Rebalance> recentRebalances
  /// The server's job log, for a server that keeps one (serve does).
  14: optional JournalState journal
}

/// Whether the server's job log can be written. While it cannot, RunJob answers
/// CanNotScheduleNow and kills and settings changes fail; nothing acknowledged is lost.
struct JournalState {
  /// Why the last commit failed, while the log cannot be written; unset when it can.
  1: optional string failure
  /// Since when it has been failing.
  2: optional i64 failingSinceMs
  /// Records waiting for a commit (task starts and ends ride in group commits).
  3: required i64 waitingRecords
  /// Task records dropped because too many were waiting (their tasks run again after a restart).
  4: required i64 recordsDropped
}

/// One task of a job as the console lists it, with where and how long its latest attempt ran.
struct TaskSummary {
  1: required string taskId
  /// As in JobStatus.taskStatus.
  2: required Status status
  /// The worker running the task now, or the one that ran its latest attempt; unset before the
  /// first attempt.
  3: optional string workerId
  /// When the latest attempt started.
  4: optional i64 startedAtMs
  /// When the task completed (also when it was killed).
  5: optional i64 endedAtMs
  /// Attempts started so far.
  6: required i32 attempts
}

/// CloudScoot plus the calls the console needs.
service ScootConsole extends CloudScoot {
  /// Jobs in memory and recently finished, newest first.
  list<JobSummary> ListJobs(1: JobFilter filter) throws (
    1: InvalidRequest ir
  )

  /// Every worker the scheduler knows.
  list<WorkerInfo> ListWorkers()

  /// Per-class load and the rebalance timer, computed when asked.
  ClusterLoad GetClusterLoad()

  /// The tasks of a job, by task id. Like GetStatus, an unknown (or purged) job id is not an
  /// error: the list is empty. An empty job id is an InvalidRequest.
  list<TaskSummary> ListTasks(1: string jobId) throws (
    1: InvalidRequest ir
  )
}
