"""A fake Scoot scheduler for tests that cannot run real Scoot: it serves the 15 CloudScoot methods
of idl/scoot.thrift and Scoot's /admin/metrics.json, and runs jobs on Scoot workers (real ones or
fake_scoot_worker.py) through their Worker service.

Usage: fake_scoot_scheduler.py --workers HOST:PORT[,HOST:PORT...] [--port N] [--http-port N]
                               [--host H] [--metrics-latch SECONDS] [--poll-max SECONDS]
Ports default to 0 (ephemeral). Prints `PORT <thrift port>` and `HTTP <http port>` once both
listen, then serves until SIGTERM or SIGINT. FakeScheduler can also be used from Python (see
fake_scoot_cluster.py).

What it reproduces of Scoot's scheduler (in its default configuration):
  * Errors. Every rejection is a TApplicationException INTERNAL_ERROR "Internal error
    processing <Method>: <Scoot's text>", after which the connection is closed; the declared
    exceptions (InvalidRequest, CanNotScheduleNow, ScootServerError) are never sent. The
    ScootConsole extension methods are unknown methods (UNKNOWN_METHOD). See fake_scoot_common.
  * RunJob checks, in Scoot's order and with its texts: no job, a task without taskId, no tasks,
    an empty taskId, an empty argv, more than 10 requestors with jobs in progress, more than 100
    jobs in progress for the requestor, a priority outside 0..2, a repeated taskId, and a tag
    that is expired for its requestor and basis. The job id is a random UUID; an empty tag
    becomes the job id. A new job with a basis kills the requestor's in-progress jobs with that
    basis and another tag. Priority is checked but does not change the order jobs run in.
  * Workers. A worker ("node", named by its host:port) joins once its QueryWorker says it is
    initialized and healthy (checked at once, then every 5 s; a worker reporting an error is no
    longer checked); runs it still reports are aborted then. After each task it is checked
    again, and one that is no longer ready is suspended and forgotten a minute later. Suspended
    workers count as lostNodes. Offlined workers finish what they run but get nothing new.
  * Running a task: Run on an idle worker (preferring one that last ran the task's snapshot, then
    a fresh one), with the task's timeout (the job's default, else 30 min); transport errors are
    retried every second for 10 s. The run is then polled with QueryWorker at once, then after
    250 ms and at doubling intervals up to 10 s (--poll-max), like Scoot's polling runner.
    The first RUNNING report becomes the task's taskData; the final report completes the task.
    A run that gives no final status by timeout + 15 s is TIMEDOUT and aborted. Tasks are not
    retried: a failed, timed-out or unreachable run completes the task with its error followed
    by " -> Error(s) encountered, canceling task.".
  * GetStatus is rebuilt like Scoot's saga log: an unknown id is NOT_STARTED with empty maps; a
    job is IN_PROGRESS (also while queued) until every task has completed, then COMPLETED, and
    stays readable. Tasks are NOT_STARTED, IN_PROGRESS (taskData once the worker reported the run
    RUNNING) or COMPLETED; taskData carries status, runId, outUri, errUri, error, exitCode and
    snapshotId only, empty strings unset.
  * KillJob answers the status at that moment: waiting tasks COMPLETED at once with
    ABORTED/"UserRequested"/runId "", running tasks still IN_PROGRESS. Running tasks are aborted
    on their worker when their poll next wakes up, then complete the same way (no outUri/errUri),
    typically one or two seconds later. A finished job, or one that never existed, is "cannot
    kill Job Id <id>, not found. ..." (Scoot's full text, spaces included); a job being killed is
    "job Id <id> was already killed, request ignored".
  * Settings: OfflineWorker/ReinstateWorker with Scoot's texts, the advisory task limit of
    Get/SetSchedulerStatus (-1 = unlimited, below -1 rejected), class load percents (Scoot's
    defaults, normalized to 100 the way Scoot does), the requestor-to-class map (unanchored
    regular expressions, first match in map order, unmatched -> the smallest class), rebalance
    minimum duration (4) and threshold (0).
  * Metrics: /admin/metrics.json (?pretty=true indents) serves a snapshot latched every 60 s
    (--metrics-latch); until the first latch it is the start-up state, {}. Keys are Scoot's,
    under "scheduler/": job and task gauges (also per requestor), availableNodes, freeNodes,
    runningNodes, lostNodes, per-class schedStartingTasks__<class>, schedRunningTasks__<class>,
    schedWaitingTasks__<class>, schedClassTargetPct__<class> and schedClassActualPct__<class>
    (updated only while tasks wait, as in Scoot), counters, the RunJob/GetStatus/KillJob
    latency histograms (reset at every latch), schedUptimeGauge_ms and schedStartGauge. Any other
    path answers 501 with Scoot's help text.

Where it differs from Scoot on purpose: it does not run Scoot's load-based algorithm -- waiting
tasks start first come, first served, in job order and task order (classes only feed the
metrics, but a class at 0 % never runs, as in Scoot) -- and it never rebalances. An empty
SetClassLoadPercents map, or one summing to 0, is rejected with "Internal error processing
SetClassLoadPercents: class load percents must not be empty" / "... must not sum to 0" (Scoot
crashes on the first and computes garbage for the second). There is no admin list, so anyone may
offline and reinstate workers. A worker whose task completes while it is offlined is free again
once reinstated (Scoot never gives it work again). No pprof endpoints."""
import argparse
import json
import math
import random
import re
import threading
import time
import uuid
from contextlib import contextmanager
from urllib.parse import parse_qs

from fake_scoot_common import GoHTTPHandler, GoStyleProcessor, ThriftServer, connect, serve_until_terminated, start_http_server
from scoot import CloudScoot
from scoot.ttypes import JobId, JobStatus, RunStatus, SchedulerStatus, Status
from thrift.Thrift import TApplicationException
from worker import Worker
from worker.ttypes import RunCommand, RunStatus as WorkerRunStatus, Status as RunState

DEFAULT_CLASS_PERCENTS = {"land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2,
                          "unknown": 1}
DEFAULT_REQUESTOR_MAP = {"land.*": "land", "diff.*": "diff", "sandbox.*": "sandbox", "regression.*": "regression",
                         "CI.*": "regression", "jenkins.*": "ktf", "ktf.*": "ktf", "coverage.*": "coverage",
                         "tryout.*": "tryout"}
MAX_REQUESTORS = 10
MAX_JOBS_PER_REQUESTOR = 100
MAX_TAGS_PER_HISTORY = 100
DEFAULT_TASK_TIMEOUT_MS = 30 * 60 * 1000
TASK_TIMEOUT_OVERHEAD_S = 15.0
TICK_S = 0.25
POLL_START_S = 0.25
RETRY_INTERVAL_S = 1.0
RETRY_TIMEOUT_S = 10.0
READY_BACKOFF_S = 5.0
MAX_LOST_S = 60.0
START_GAUGE_S = 60.0
UPTIME_EVERY_S = 0.5
HISTOGRAM_SAMPLES = 1000
USER_REQUESTED = "UserRequested"
DEAD_LETTER = " -> Error(s) encountered, canceling task."
HELP = "Common paths: '/admin/metrics.json', '/debug/pprof'"
NOT_FOUND = ("cannot kill Job Id {}, not found. (This error can be ignored if kill was a fire-and-forget defensive"
             " request). The job may be finished,  the request may still be in the queue to be scheduled, or  the id"
             " may be invalid.   Check the job status, verify the id and/or resubmit the kill request after a few"
             " moments.")
FINAL = {RunState.COMPLETE, RunState.FAILED, RunState.ABORTED, RunState.TIMEDOUT, RunState.UNKNOWN}
PERCENTILES = [(0.5, "p50"), (0.9, "p90"), (0.95, "p95"), (0.99, "p99"), (0.999, "p999"), (0.9999, "p9999")]


def internal_error(method, text):
    return TApplicationException(TApplicationException.INTERNAL_ERROR, f"Internal error processing {method}: {text}")


def normalized_percents(percents):
    """Scoot's normalization: every class but the largest gets floor(p / sum * 100), the largest
    the rest. Returns the classes in descending percent order."""
    order = sorted(percents, key=lambda name: -percents[name])
    total = sum(percents.values())
    if total == 100:
        return {name: percents[name] for name in order}
    normalized = {name: math.floor(percents[name] / total * 100) for name in order[1:]}
    return {order[0]: 100 - sum(normalized.values()), **normalized}


class _Registry:
    """Scoot's stats registry: counters, gauges and latency histograms (kept in ns, shown in ms),
    rendered as one flat JSON object like Scoot's finagle registry."""

    def __init__(self):
        self.counters, self.gauges, self.latencies = {}, {}, {}

    def count(self, name):
        self.counters[name] = self.counters.get(name, 0) + 1

    def latency(self, name, seconds):
        samples = self.latencies.setdefault(name, [0, []])
        samples[0] += 1
        value = int(seconds * 1e9)
        if len(samples[1]) < HISTOGRAM_SAMPLES:
            samples[1].append(value)
        else:  # a uniform reservoir, like go-metrics' UniformSample
            slot = random.randrange(samples[0])
            if slot < HISTOGRAM_SAMPLES:
                samples[1][slot] = value

    def snapshot(self, scope):
        """The rendered registry; histogram samples are reset, as at each of Scoot's latches."""
        data = {**self.counters, **self.gauges}
        for name, (count, values) in self.latencies.items():
            data.update(_histogram(name, count, values))
            self.latencies[name] = [0, []]
        return {f"{scope}/{name}": value for name, value in data.items()}


def _histogram(name, count, values):
    """go-metrics' histogram summary of nanosecond samples, in milliseconds as Scoot renders it."""
    values = sorted(values)
    size = len(values)
    ms = 1_000_000
    stats = {f"{name}.count": count, f"{name}.avg": _go_number(sum(values) / size / ms if size else 0.0),
             f"{name}.max": (values[-1] if size else 0) // ms, f"{name}.min": (values[0] if size else 0) // ms,
             f"{name}.sum": sum(values) // ms}
    for p, label in PERCENTILES:
        score = 0.0
        if size:
            position = p * (size + 1)
            if position < 1:
                score = values[0]
            elif position >= size:
                score = values[-1]
            else:
                lower, upper = values[int(position) - 1], values[int(position)]
                score = lower + (position - math.floor(position)) * (upper - lower)
        stats[f"{name}.{label}"] = _go_number(score / ms)
    return stats


def _go_number(value):
    """Go's JSON writes integral floats without a fraction."""
    return int(value) if float(value).is_integer() and abs(value) < 1e21 else value


class _Task:
    def __init__(self, job, definition):
        self.job = job
        self.id = definition.taskId
        self.argv = list(definition.command.argv or [])
        self.env = dict(definition.command.envVars or {})
        self.snapshot = definition.snapshotId or ""
        # The task's timeout if > 0, else the job's default (any value), else -- or if that is 0 -- 30 min.
        timeout = definition.timeoutMs if (definition.timeoutMs or 0) > 0 else job.default_timeout_ms
        self.timeout_ms = timeout or DEFAULT_TASK_TIMEOUT_MS
        self.state = "waiting"  # -> "running" -> "completed"
        self.attempt = None


class _Job:
    def __init__(self, definition):
        self.id = str(uuid.uuid4())
        self.requestor = definition.requestor or ""
        self.basis = definition.basis or ""
        self.tag = definition.tag or self.id
        self.default_timeout_ms = definition.defaultTaskTimeoutMs
        self.tasks = [_Task(self, task) for task in definition.tasks]
        self.killed = False
        self.ended = False  # Scoot's EndSaga: every task completed, job gone from memory
        # What Scoot's saga log would say: every task NOT_STARTED until it has messages.
        self.task_status = {task.id: Status.NOT_STARTED for task in self.tasks}
        self.task_data = {}

    def count(self, state):
        return sum(task.state == state for task in self.tasks)


class _Node:
    def __init__(self, node_id):
        self.id = node_id
        self.state = "suspended"  # not ready yet; -> "healthy" <-> "offlined"; "lost" -> forgotten
        self.lost_at = None
        self.attempt = None
        self.snapshot = ""  # of the last task it ran; "" when fresh


class _Attempt:
    """One run of a task on a node, driven by a thread of its own as Scoot's task runner is."""

    def __init__(self, scheduler, task, node):
        self.scheduler = scheduler
        self.task = task
        self.node = node
        self.abort_requested = threading.Event()

    def command(self):
        task = self.task
        return RunCommand(argv=task.argv, env=task.env, snapshotId=task.snapshot, timeoutMs=task.timeout_ms,
                          jobId=task.job.id, taskId=task.id, tag=task.job.tag)

    def run(self):
        final = self._run_and_wait()
        self.scheduler.attempt_finished(self, final)

    def _run_and_wait(self):
        deadline = time.monotonic() + self.task.timeout_ms / 1000 + TASK_TIMEOUT_OVERHEAD_S
        retried = 0.0
        while True:
            if self.abort_requested.is_set():
                return None
            try:
                status, error = self._call("Run", self.command()), None
            except Exception as failure:  # noqa: BLE001 - any transport or protocol failure is retried
                status, error = None, failure
            if self.abort_requested.is_set():
                if error is None:
                    self._abort_quietly(status.runId)
                return None
            if error is not None and retried + RETRY_INTERVAL_S < RETRY_TIMEOUT_S:
                time.sleep(RETRY_INTERVAL_S)
                retried += RETRY_INTERVAL_S
                continue
            if error is not None:
                return self._empty_status(error)
            if status.status in FINAL:
                return status
            break
        run_id, include_running, retried = status.runId, True, 0.0
        while True:
            status, error = self._query(run_id, deadline, include_running)
            if self.abort_requested.is_set():
                self._abort_quietly(run_id)
                return None
            if error is not None and retried + RETRY_INTERVAL_S >= RETRY_TIMEOUT_S:
                self._abort_quietly(run_id)
                return self._empty_status(error)
            if error is not None:
                time.sleep(RETRY_INTERVAL_S)
                retried += RETRY_INTERVAL_S
                continue
            if status.status in FINAL:
                if status.status != RunState.COMPLETE:
                    self._abort_quietly(run_id)
                return status
            if include_running:
                self.scheduler.attempt_running(self, status)
                include_running = False

    def _query(self, run_id, deadline, include_running):
        """Scoot's polling query: (status, None) once the run is RUNNING (if asked) or final,
        a synthetic TIMEDOUT status at the deadline, (None, error) on a failed QueryWorker.
        The abort flag is only looked at between sleeps, as in Scoot."""
        period = min(POLL_START_S, self.scheduler.poll_max)
        while time.monotonic() < deadline:
            if self.abort_requested.is_set():
                return None, None
            try:
                runs = self._call("QueryWorker").runs
            except Exception as failure:  # noqa: BLE001
                return None, failure
            for run in runs:
                if run.runId == run_id and (run.status in FINAL or (include_running and run.status == RunState.RUNNING)):
                    return run, None
            time.sleep(period)
            period = min(2 * period, self.scheduler.poll_max)
        return WorkerRunStatus(status=RunState.TIMEDOUT, runId=run_id, exitCode=0), None

    def _empty_status(self, error):
        return WorkerRunStatus(status=RunState.FAILED, runId="", exitCode=0,
                         error=f"Empty run status, jobId: {self.task.job.id}, taskId: {self.task.id}, err: {error}")

    def _abort_quietly(self, run_id):
        try:
            self._call("Abort", run_id)
        except Exception:  # noqa: BLE001, S110 - Scoot ignores a failed abort too
            pass

    def _call(self, method, *args):
        client, transport = connect(self.node.id, Worker)
        try:
            return getattr(client, method)(*args)
        finally:
            transport.close()


class FakeScheduler:
    """The fake scheduler: CloudScoot handler, scheduling loop and metrics endpoint."""

    def __init__(self, workers, host="127.0.0.1", port=0, http_port=0, metrics_latch=60.0, poll_max=10.0):
        self.poll_max = poll_max
        self.metrics_latch = metrics_latch
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.jobs = {}  # every job ever accepted, by id (Scoot keeps its saga log in memory)
        self.in_progress = []  # jobs in memory, in arrival order
        self.tag_history = {}  # requestor + basis -> tags seen
        self.nodes = {node_id: _Node(node_id) for node_id in workers}
        self.max_tasks = -1
        self.percents = dict(DEFAULT_CLASS_PERCENTS)
        self.requestor_map = dict(DEFAULT_REQUESTOR_MAP)
        self.rebalance_minutes = 4
        self.rebalance_threshold = 0
        self.registry = _Registry()
        self.registry.gauges["schedStartGauge"] = 1
        self.latched = {}  # what /admin/metrics.json serves: the start-up state until the first latch
        self.stopping = threading.Event()
        self.http = start_http_server(self._http_handler(), host, http_port)
        self.http_port = self.http.server_port
        self.thrift = ThriftServer(GoStyleProcessor(CloudScoot, self), host, port)
        self.port = self.thrift.port
        self.host = host

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    def start(self):
        for node in self.nodes.values():
            self._check_readiness_later(node, 0.0)
        for target, name in ((self._loop, "scheduler-loop"), (self._latch_loop, "metrics-latch"),
                             (self._uptime_loop, "uptime")):
            threading.Thread(target=target, name=name, daemon=True).start()
        self.thrift.start()
        return self

    def close(self):
        self.stopping.set()
        self.thrift.close()
        self.http.shutdown()
        self.http.server_close()

    # CloudScoot

    def RunJob(self, job):  # noqa: N802 - Thrift method names
        with self._timed("runJobRpmCounter", "runJobLatency_ms"):
            if job is None:
                raise internal_error("RunJob", "nil job definition")
            for task in job.tasks:
                if task.taskId is None:
                    raise internal_error("RunJob", "nil taskId")
            if not job.tasks:
                raise internal_error("RunJob", "invalid job. Must have at least 1 task; was empty")
            for task in job.tasks:
                if task.taskId == "":
                    raise internal_error("RunJob", 'invalid task id "".')
                if not task.command.argv:
                    raise internal_error("RunJob", "invalid task.Command.Argv. Must have at least one argument; was empty")
            with self.lock:
                self.registry.count("schedJobRequestsCounter")
                error = self._admission_error(job)
                if error:
                    raise internal_error("RunJob", error)
                accepted = _Job(job)
                for other in self.in_progress:
                    if (accepted.basis and other.requestor == accepted.requestor and other.basis == accepted.basis
                            and other.tag != accepted.tag and not other.killed):
                        self._kill(other)
                self.jobs[accepted.id] = accepted
                self.in_progress.append(accepted)
                self.registry.count("schedJobsCounter")
                return JobId(id=accepted.id)

    def _admission_error(self, job):
        requestor = job.requestor or ""
        requestors = {other.requestor for other in self.in_progress}
        if requestor not in requestors and len(requestors) >= MAX_REQUESTORS:
            return f"exceeds max number of requestors: {requestor} ({MAX_REQUESTORS})"
        if sum(other.requestor == requestor for other in self.in_progress) >= MAX_JOBS_PER_REQUESTOR:
            return f"exceeds max jobs per requestor: {requestor} ({MAX_JOBS_PER_REQUESTOR})"
        priority = job.priority or 0
        if not 0 <= priority <= 2:
            return f"invalid priority {priority}, must be between 0-2 inclusive"
        seen = set()
        for task in job.tasks:
            if task.taskId in seen:
                return f"invalid dup taskID {task.taskId}"
            seen.add(task.taskId)
        basis, tag = job.basis or "", job.tag or ""
        if basis:
            key = requestor + basis
            history = self.tag_history.get(key)
            if history and tag in history and history[-1] != tag:
                return f"expired tag={tag} for basis={basis}. Expected either tag={history[-1]} or new tag"
            # Scoot's quirk, kept: the first tag seen for a key is not recorded.
            self.tag_history[key] = [] if history is None else (history + [tag])[-MAX_TAGS_PER_HISTORY:]
        return None

    def GetStatus(self, jobId):  # noqa: N802, N803
        with self._timed("jobStatusRpmCounter", "jobStatusLatency_ms"), self.lock:
            return self._job_status(jobId or "")

    def KillJob(self, jobId):  # noqa: N802, N803
        with self._timed("jobKillRpmCounter", "jobKillLatency_ms"), self.lock:
            job_id = jobId or ""
            job = next((job for job in self.in_progress if job.id == job_id), None)
            if job is None:
                raise internal_error("KillJob", NOT_FOUND.format(job_id))
            if job.killed:
                raise internal_error("KillJob", f"job Id {job_id} was already killed, request ignored")
            self._kill(job)
            return self._job_status(job_id)

    def OfflineWorker(self, req):  # noqa: N802
        if req is None:
            return
        with self.lock:
            node = self.nodes.get(req.id)
            if node is None or node.state != "healthy":
                raise internal_error("OfflineWorker", f"node {req.id} was not present in nodes. It can't be offlined")
            node.state = "offlined"

    def ReinstateWorker(self, req):  # noqa: N802
        if req is None:
            return
        with self.lock:
            node = self.nodes.get(req.id)
            if node is None or node.state != "offlined":
                raise internal_error("ReinstateWorker",
                                     f"node {req.id} was not present in offlinedNodes. It can't be reinstated")
            node.state = "healthy"

    def GetSchedulerStatus(self):  # noqa: N802
        with self.lock:
            remaining = sum(len(job.tasks) - job.count("completed") for job in self.in_progress)
            return SchedulerStatus(currentTasks=remaining, maxTasks=self.max_tasks)

    def SetSchedulerStatus(self, maxTasks):  # noqa: N802, N803
        max_tasks = maxTasks or 0
        if max_tasks < -1:
            raise internal_error("SetSchedulerStatus", f"invalid tasks limit:{max_tasks}. Must be >= -1.")
        with self.lock:
            self.max_tasks = max_tasks

    def GetClassLoadPercents(self):  # noqa: N802
        with self.lock:
            return dict(self.percents)

    def SetClassLoadPercents(self, loadPercents):  # noqa: N802, N803
        if not loadPercents:
            raise internal_error("SetClassLoadPercents", "class load percents must not be empty")
        if sum(loadPercents.values()) == 0:
            raise internal_error("SetClassLoadPercents", "class load percents must not sum to 0")
        with self.lock:
            self.percents = normalized_percents(loadPercents)

    def GetRequestorToClassMap(self):  # noqa: N802
        with self.lock:
            return dict(self.requestor_map)

    def SetRequestorToClassMap(self, requestorToClassMap):  # noqa: N802, N803
        with self.lock:
            self.requestor_map = dict(requestorToClassMap or {})

    def GetRebalanceMinimumDuration(self):  # noqa: N802
        with self.lock:
            return self.rebalance_minutes

    def SetRebalanceMinimumDuration(self, durationMin):  # noqa: N802, N803
        with self.lock:
            self.rebalance_minutes = durationMin or 0

    def GetRebalanceThreshold(self):  # noqa: N802
        with self.lock:
            return self.rebalance_threshold

    def SetRebalanceThreshold(self, threshold):  # noqa: N802
        with self.lock:
            self.rebalance_threshold = threshold or 0

    # Jobs and tasks (callers hold the lock)

    def _job_status(self, job_id):
        job = self.jobs.get(job_id)
        if job is None:
            return JobStatus(id=job_id, status=Status.NOT_STARTED, taskStatus={}, taskData={})
        return JobStatus(id=job_id, status=Status.COMPLETED if job.ended else Status.IN_PROGRESS,
                         taskStatus=dict(job.task_status), taskData=dict(job.task_data))

    def _kill(self, job):
        job.killed = True
        for task in job.tasks:
            if task.state == "waiting":
                self._complete(task, _killed())
                self.registry.count("completedTaskCounter")
            elif task.state == "running":
                task.attempt.abort_requested.set()

    def _complete(self, task, status):
        task.state = "completed"
        task.attempt = None
        task.job.task_status[task.id] = Status.COMPLETED
        task.job.task_data[task.id] = _task_data(status)

    def attempt_running(self, attempt, status):
        with self.lock:
            attempt.task.job.task_data[attempt.task.id] = _task_data(status)

    def attempt_finished(self, attempt, final):
        """`final` is the run's last status, or None when the attempt was aborted by a kill."""
        task, node = attempt.task, attempt.node
        if final is None:
            final = _killed()
            succeeded = False
        else:
            succeeded = final.status == RunState.COMPLETE
            if not succeeded:
                error = final.error or ""
                if final.status == RunState.UNKNOWN:
                    final = WorkerRunStatus(status=RunState.FAILED, runId=final.runId, exitCode=final.exitCode,
                                            error=f"Empty run status, jobId: {task.job.id}, taskId: {task.id}, err: {error}")
                final.error = (final.error or "") + DEAD_LETTER
        with self.lock:
            self._complete(task, final)
            self.registry.count("completedTaskCounter" if succeeded else "failedTaskCounter")
            recheck = node.state == "healthy"
        # Like Scoot, check the worker again before it gets more work; one that is no longer ready is lost.
        ready = self._readiness(node.id)[0] if recheck else True
        with self.lock:
            node.attempt = None
            if node.state == "healthy" and not ready:
                node.state, node.lost_at = "lost", time.monotonic()

    # Workers

    def _readiness(self, node_id):
        """Scoot's readiness check: (ready, keep checking). A ready worker's leftover runs are
        aborted; a worker that is not ready and reports an error is not checked again."""
        try:
            client, transport = connect(node_id, Worker)
        except Exception:  # noqa: BLE001 - an unreachable worker is not ready
            return False, True
        try:
            status = client.QueryWorker()
            if not (status.initialized and status.isHealthy):
                return False, not status.error
            for run in status.runs:
                client.Abort(run.runId)
            return True, True
        except Exception:  # noqa: BLE001
            return False, True
        finally:
            transport.close()

    def _check_readiness_later(self, node, delay):
        def check():
            if self.stopping.wait(delay):
                return
            ready, keep_checking = self._readiness(node.id)
            with self.lock:
                if ready and node.state == "suspended":
                    node.state = "healthy"
                elif not ready and keep_checking:
                    self._check_readiness_later(node, READY_BACKOFF_S)
        threading.Thread(target=check, name=f"ready-{node.id}", daemon=True).start()

    # The scheduling loop

    def _loop(self):
        while not self.stopping.wait(TICK_S):
            with self.lock:
                self._step()

    def _step(self):
        for job in list(self.in_progress):
            if job.count("completed") == len(job.tasks):
                job.ended = True
                self.in_progress.remove(job)
        now = time.monotonic()
        for node_id, node in list(self.nodes.items()):
            if node.state == "lost" and now - node.lost_at > MAX_LOST_S:
                del self.nodes[node_id]
        if any(task.state == "waiting" for job in self.in_progress for task in job.tasks):
            self._schedule()
        self._publish_gauges()

    def _schedule(self):
        percents = self.percents
        order = list(percents)
        idle = [node for node in self.nodes.values() if node.state == "healthy" and node.attempt is None]
        classes = {name: {"running": 0, "waiting": 0, "starting": 0} for name in order}
        class_of = {}
        for job in self.in_progress:
            if job.requestor not in class_of:
                class_of[job.requestor] = self._class_of(job.requestor)
                if percents[class_of[job.requestor]] == 0:
                    self.registry.count("schedLBSIgnoredJobCounter")
        waiting = []
        for job in self.in_progress:
            name = class_of[job.requestor]
            if percents[name] == 0:
                continue
            classes[name]["running"] += job.count("running")
            classes[name]["waiting"] += job.count("waiting")
            waiting += [(name, task) for task in job.tasks if task.state == "waiting"]
        for name, task in waiting:
            node = self._pick_node(idle, task.snapshot)
            if node is None:
                break
            idle.remove(node)
            classes[name]["starting"] += 1
            self._start(task, node)
        for name in order:
            counts = classes[name]
            gauges = self.registry.gauges
            gauges[f"schedStartingTasks__{name}"] = counts["starting"]
            gauges[f"schedWaitingTasks__{name}"] = counts["waiting"] - counts["starting"]
            gauges[f"schedRunningTasks__{name}"] = counts["running"]
            gauges[f"schedClassTargetPct__{name}"] = percents[name]
            # Scoot divides (running + starting) by workers * 100 instead of multiplying: always 0.
            gauges[f"schedClassActualPct__{name}"] = 0

    def _class_of(self, requestor):
        for pattern, name in self.requestor_map.items():
            try:
                matched = re.search(pattern, requestor) is not None
            except re.error:
                matched = False
            if matched:
                if name in self.percents:
                    return name
                break
        self.registry.count("schedLBSUnknownJobCounter")
        return list(self.percents)[-1]

    @staticmethod
    def _pick_node(idle, snapshot):
        for wanted in (lambda node: node.snapshot == snapshot, lambda node: node.snapshot == "", lambda node: True):
            for node in idle:
                if wanted(node):
                    return node
        return None

    def _start(self, task, node):
        attempt = _Attempt(self, task, node)
        task.state, task.attempt = "running", attempt
        task.job.task_status[task.id] = Status.IN_PROGRESS
        node.attempt, node.snapshot = attempt, task.snapshot
        self.registry.count("scheduledTasksCounter")
        threading.Thread(target=attempt.run, name=f"task-{task.job.id}-{task.id}", daemon=True).start()

    # Metrics

    def _publish_gauges(self):
        gauges = self.registry.gauges
        remaining = waiting = running = waiting_jobs = 0
        requestors = {}
        for job in self.in_progress:
            job_running, job_completed = job.count("running"), job.count("completed")
            job_remaining = len(job.tasks) - job_completed
            counts = requestors.setdefault(job.requestor, [0, 0, 0, 0])
            if job_running + job_completed == 0:
                waiting_jobs += 1
            else:
                counts[0] += 1
            counts[1] += job_running
            counts[2] += job_remaining - job_running
            counts[3] += job_remaining
            remaining, running, waiting = remaining + job_remaining, running + job_running, waiting + job_remaining - job_running
        for requestor, (jobs_running, tasks_running, tasks_waiting, tasks_remaining) in requestors.items():
            gauges[f"schedNumRunningJobsGauge_{requestor}"] = jobs_running
            gauges[f"schedWaitingJobsGauge_{requestor}"] = 0  # Scoot's quirk: never counted
            gauges[f"schedNumRunningTasksGauge_{requestor}"] = tasks_running
            gauges[f"schedNumWaitingTasksGauge_{requestor}"] = tasks_waiting
            gauges[f"schedInProgressTasksGauge_{requestor}"] = tasks_remaining
        gauges["schedAcceptedJobsGauge"] = len(self.in_progress)
        gauges["schedWaitingJobsGauge"] = waiting_jobs
        gauges["schedInProgressTasksGauge"] = remaining
        gauges["schedNumRunningTasksGauge"] = running
        gauges["schedNumWaitingTasksGauge"] = waiting
        healthy = sum(node.state == "healthy" for node in self.nodes.values())
        attempts = sum(node.attempt is not None for node in self.nodes.values())
        gauges["availableNodes"] = healthy
        gauges["freeNodes"] = max(0, healthy - attempts)
        gauges["runningNodes"] = attempts
        gauges["lostNodes"] = sum(node.state in ("suspended", "lost") for node in self.nodes.values())

    def _uptime_loop(self):
        while not self.stopping.wait(UPTIME_EVERY_S):
            with self.lock:
                uptime = time.monotonic() - self.started
                self.registry.gauges["schedUptimeGauge_ms"] = int(uptime * 1000)
                self.registry.gauges["schedStartGauge"] = 1 if uptime < START_GAUGE_S else 0

    def _latch_loop(self):
        latch = self.started
        while True:
            latch += self.metrics_latch
            if self.stopping.wait(max(0.0, latch - time.monotonic())):
                return
            with self.lock:
                self.latched = self.registry.snapshot("scheduler")

    @contextmanager
    def _timed(self, counter, latency):
        """Counts an RPC and records its latency, as Scoot's API handlers do."""
        start = time.monotonic()
        with self.lock:
            self.registry.count(counter)
        try:
            yield
        finally:
            with self.lock:
                self.registry.latency(latency, time.monotonic() - start)

    def _http_handler(self):
        scheduler = self

        class Handler(GoHTTPHandler):
            def route(self, path, query):
                if path != "/admin/metrics.json":
                    self.go_error(501, HELP)
                    return
                with scheduler.lock:
                    stats = dict(scheduler.latched)
                pretty = parse_qs(query).get("pretty", [""])[0] == "true"
                body = json.dumps(stats, sort_keys=True, ensure_ascii=False, indent=2 if pretty else None,
                                  separators=None if pretty else (",", ":"))
                self.respond(200, body, "application/json; charset=utf-8")

        return Handler


def _killed():
    """The final status of a killed task, as a client of real Scoot sees it."""
    return WorkerRunStatus(status=RunState.ABORTED, runId="", error=USER_REQUESTED, exitCode=0)


def _task_data(status):
    """A run status (a worker's RunStatus, as Scoot's saga log keeps it) as GetStatus reports it:
    jobId, taskId and tag dropped, empty strings unset."""
    return RunStatus(status=status.status, runId=status.runId, outUri=status.outUri or None, errUri=status.errUri or None,
                     error=status.error or None, exitCode=status.exitCode or 0, snapshotId=status.snapshotId or None)


def main():
    parser = argparse.ArgumentParser(description="A fake Scoot scheduler (CloudScoot).")
    parser.add_argument("--workers", required=True, help="the workers' thrift addresses, host:port,host:port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="thrift port (0 = ephemeral)")
    parser.add_argument("--http-port", type=int, default=0, help="metrics HTTP port (0 = ephemeral)")
    parser.add_argument("--metrics-latch", type=float, default=60.0, metavar="SECONDS", help="metrics snapshot interval")
    parser.add_argument("--poll-max", type=float, default=10.0, metavar="SECONDS", help="longest interval between polls of a run")
    options = parser.parse_args()
    workers = [address.strip() for address in options.workers.split(",") if address.strip()]
    scheduler = FakeScheduler(workers, options.host, options.port, options.http_port, options.metrics_latch,
                              options.poll_max).start()
    serve_until_terminated(f"PORT {scheduler.port}\nHTTP {scheduler.http_port}", scheduler)


if __name__ == "__main__":
    main()
