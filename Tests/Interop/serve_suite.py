"""Apache Thrift's Python client driving `scoot-console serve` end to end.

  serve_suite.py PORT run        runs real commands, kills one, offlines and reinstates a worker,
                                 changes every setting
  serve_suite.py PORT settings   checks the settings changed by `run` (after a restart)
"""
import sys
import time

from check import check, check_equal, check_raises, finish
from scoot import ScootConsole
from scoot.ttypes import (
    Command, InvalidRequest, JobDefinition, JobFilter, OfflineWorkerReq, ReinstateWorkerReq, RunStatusState, Status,
    TaskDefinition, WorkerState,
)
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

PORT = int(sys.argv[1])
PHASE = sys.argv[2]
SETTINGS = {
    "percents": {"land": 50, "diff": 30, "unknown": 20},
    "map": {"^land-.*": "land", "^diff-.*": "diff"},
    "minimum": 9,
    "threshold": 35,
    "max_tasks": 500,
}


def connect():
    sock = TSocket.TSocket("127.0.0.1", PORT)
    sock.setTimeout(20000)
    transport = TTransport.TBufferedTransport(sock)
    transport.open()
    return ScootConsole.Client(TBinaryProtocol.TBinaryProtocol(transport)), transport


def wait_for(describe, condition, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    check(describe, False, "timed out")
    return None


def run_phase(client):
    task = lambda task_id, *argv: TaskDefinition(command=Command(argv=list(argv)), taskId=task_id, snapshotId="snap-1")
    job_id = client.RunJob(JobDefinition(
        tasks=[task("t_true", "true"), task("t_exit3", "sh", "-c", "exit 3"), task("t_sleep", "sleep", "30")],
        requestor="land-python")).id

    def sleeping_and_others_done():
        status = client.GetStatus(job_id)
        done = status.taskStatus.get("t_true") == Status.COMPLETED and status.taskStatus.get("t_exit3") == Status.COMPLETED
        running = status.taskData.get("t_sleep")
        return status if done and running is not None and running.status == RunStatusState.RUNNING else None

    status = wait_for("true and exit 3 finish while sleep runs", sleeping_and_others_done)
    if status:
        done, failed, running = status.taskData["t_true"], status.taskData["t_exit3"], status.taskData["t_sleep"]
        check_equal("true: COMPLETE, exit 0", (done.status, done.exitCode), (RunStatusState.COMPLETE, 0))
        check_equal("exit 3: COMPLETE, exit 3", (failed.status, failed.exitCode), (RunStatusState.COMPLETE, 3))
        check("RunStatus has file:// output URIs", (done.outUri or "").startswith("file://") and (done.errUri or "").startswith("file://"),
              f"{done.outUri} {done.errUri}")
        check_equal("snapshot id is reported", done.snapshotId, "snap-1")
        check("a running task shows RUNNING with its URIs", (running.outUri or "").startswith("file://"), running.outUri)
        check_equal("job is IN_PROGRESS while sleep runs", status.status, Status.IN_PROGRESS)

    client.KillJob(job_id)
    killed = wait_for("killed job completes", lambda: (lambda s: s if s.status == Status.COMPLETED else None)(client.GetStatus(job_id)))
    if killed:
        aborted = killed.taskData["t_sleep"]
        check_equal("killed sleep is ABORTED by the user", (aborted.status, (aborted.error or "").startswith("UserRequested")),
                    (RunStatusState.ABORTED, True))

    tasks = client.ListTasks(job_id)
    check_equal("ListTasks lists the job's tasks by id", [t.taskId for t in tasks], ["t_exit3", "t_sleep", "t_true"])
    ended = {t.taskId: t for t in tasks}.get("t_true")
    check("ListTasks: an ended task has its worker, start and end",
          ended is not None and bool(ended.workerId) and ended.attempts == 1
          and 0 < (ended.startedAtMs or 0) <= (ended.endedAtMs or 0), repr(ended))
    check_equal("ListTasks of an unknown job is empty", client.ListTasks("no-such-job"), [])

    jobs = client.ListJobs(JobFilter(requestor="land-python"))
    # exit 3 failed; the sleep a user killed is not a failure: the job reads killed.
    check_equal("ListJobs finds the job with its counts", [(j.id, j.completedTasks, j.failedTasks, j.killed) for j in jobs],
                [(job_id, 1, 1, True)])

    workers = client.ListWorkers()
    check("ListWorkers lists the local workers", len(workers) >= 2, repr(workers))
    worker = workers[0].id
    client.OfflineWorker(OfflineWorkerReq(id=worker, requestor="python"))
    check_equal("offlined worker is OFFLINE", {w.id: w.state for w in client.ListWorkers()}[worker], WorkerState.OFFLINE)
    client.ReinstateWorker(ReinstateWorkerReq(id=worker, requestor="python"))
    check("reinstated worker is back", {w.id: w.state for w in client.ListWorkers()}[worker] in (WorkerState.IDLE, WorkerState.BUSY))

    client.SetClassLoadPercents(SETTINGS["percents"])
    client.SetRequestorToClassMap(SETTINGS["map"])
    client.SetRebalanceMinimumDuration(SETTINGS["minimum"])
    client.SetRebalanceThreshold(SETTINGS["threshold"])
    client.SetSchedulerStatus(SETTINGS["max_tasks"])
    check_raises("bad percents are refused", InvalidRequest, lambda: client.SetClassLoadPercents({}))
    check_settings(client)


def check_settings(client):
    check_equal("class load percents", client.GetClassLoadPercents(), SETTINGS["percents"])
    check_equal("requestor map", client.GetRequestorToClassMap(), SETTINGS["map"])
    check_equal("rebalance minimum duration", client.GetRebalanceMinimumDuration(), SETTINGS["minimum"])
    check_equal("rebalance threshold", client.GetRebalanceThreshold(), SETTINGS["threshold"])
    check_equal("max tasks", client.GetSchedulerStatus().maxTasks, SETTINGS["max_tasks"])


client, transport = connect()
if PHASE == "run":
    run_phase(client)
else:
    check_settings(client)
    check("GetClusterLoad answers", client.GetClusterLoad().computedAtMs > 0)
transport.close()
finish()
