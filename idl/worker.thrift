# The Worker API of a Scoot worker (its `workerserver`), as scoot-console speaks it.
#
# Field ids, types and requiredness must stay identical to Scoot's own worker.thrift: they are
# the wire contract (the same unframed TBinaryProtocol as the scheduler's CloudScoot). Comments
# are ours. A worker listens for it on thrift port 9092 by default; in a local cluster worker i
# listens on 10101 + 2i (its HTTP port, which serves run output, is the one below it).
# Swift code is generated from this file into Sources/ScootWorkerAPI/Generated/; after editing
# it, run `make generate` and commit both together.

namespace go worker

/// Where one run stands on the worker. The same values as RunStatusState in scoot.thrift.
enum Status {
  /// The worker cannot tell; counts as finished, outcome unknown.
  UNKNOWN = 0
  /// Accepted, not started yet.
  PENDING = 1
  /// The command is executing.
  RUNNING = 2
  /// The command ended with an exit code (any exit code).
  COMPLETE = 3
  /// The worker could not run the command or lost track of it.
  FAILED = 4
  /// Stopped on purpose: a user's kill or the scheduler's preemption.
  ABORTED = 5
  /// Killed for running past its timeout.
  TIMEDOUT = 6
}

/// One run on a worker. Run ids are the worker's own: unrelated to job or task ids.
struct RunStatus {
  /// The run's state.
  1: required Status status
  /// The worker-local id of the run.
  2: required string runId
  /// Where the run's standard output can be read (an http:// URL on the worker's HTTP port).
  3: optional string outUri
  /// Where the run's standard error can be read.
  4: optional string errUri
  /// Why the run failed, when it did.
  5: optional string error
  /// The command's exit code, once it has one.
  6: optional i32 exitCode
  /// The snapshot the command ran in.
  7: optional string snapshotId
  /// The scheduler's job id of the task being run.
  8: optional string jobId
  /// The task's id within that job.
  9: optional string taskId
  /// The job's tag.
  10: optional string tag
}

/// A worker's answer to QueryWorker: its runs and its health.
struct WorkerStatus {
  /// Every run the worker still remembers (current and recent).
  1: required list<RunStatus> runs
  /// Whether the worker finished its start-up work.
  2: required bool initialized
  /// Whether the worker can take new tasks.
  3: required bool isHealthy
  /// A worker-wide error unrelated to any one run; empty when there is none.
  4: required string error
}

/// A command for the worker to run.
struct RunCommand {
  /// The program followed by its arguments.
  1: required list<string> argv
  /// Environment variables for the command.
  2: optional map<string,string> env
  /// The snapshot to run in.
  3: optional string snapshotId
  /// The worker kills the command after this many milliseconds (TIMEDOUT).
  4: optional i32 timeoutMs
  /// The scheduler's job id, reported back in RunStatus.
  5: optional string jobId
  /// The task id, reported back in RunStatus.
  6: optional string taskId
  /// The job's tag, reported back in RunStatus.
  7: optional string tag
}

/// A Scoot worker, as the scheduler drives it.
service Worker {
  /// The worker's health and every run it remembers.
  WorkerStatus QueryWorker()
  /// Starts a command; answers with the new run's status.
  RunStatus Run(1: RunCommand cmd)
  /// Aborts a run: ABORTED if it was aborted, FAILED if it had already ended, UNKNOWN otherwise.
  RunStatus Abort(1: string runId)
}
