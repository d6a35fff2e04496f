"""Self-test of the fake Scoot cluster (fake_scoot_cluster.py, fake_scoot_scheduler.py,
fake_scoot_worker.py) with Apache Thrift's Python client: runs and kills jobs, reads status,
worker runs, run output and metrics, and checks the answers are the ones real Scoot gives.

Usage: fake_scoot_check.py   (generates the Thrift code itself unless PYTHONPATH provides it)
Prints one line per check and `<n> passed, <m> failed` at the end; exits 1 if any check failed."""
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from fake_scoot_common import connect
from fake_scoot_cluster import start_cluster
from scoot import CloudScoot, ScootConsole
from scoot.ttypes import Command, JobDefinition, OfflineWorkerReq, ReinstateWorkerReq, RunStatusState, Status, TaskDefinition
from thrift.Thrift import TApplicationException
from thrift.transport.TTransport import TTransportException
from worker import Worker
from worker.ttypes import RunCommand, Status as RunState

HERE = Path(__file__).resolve().parent
FINAL = {RunState.COMPLETE, RunState.FAILED, RunState.ABORTED, RunState.TIMEDOUT, RunState.UNKNOWN}
NOT_FOUND = ("Internal error processing KillJob: cannot kill Job Id {}, not found. (This error can be ignored if kill was a"
             " fire-and-forget defensive request). The job may be finished,  the request may still be in the queue to be"
             " scheduled, or  the id may be invalid.   Check the job status, verify the id and/or resubmit the kill"
             " request after a few moments.")


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}", flush=True)

    def equal(self, name, actual, expected):
        self.check(name, actual == expected, f"\n     expected: {expected!r}\n     actual:   {actual!r}")

    def application_error(self, name, call, kind, message):
        """Checks `call` raises TApplicationException(kind, message)."""
        try:
            result = call()
        except TApplicationException as error:
            self.equal(f"{name}: exception type", error.type, kind)
            self.equal(f"{name}: exception message", error.message, message)
            return
        except Exception as error:  # noqa: BLE001
            self.check(name, False, f"expected TApplicationException, got {type(error).__name__}: {error!r}")
            return
        self.check(name, False, f"expected TApplicationException, got {result!r}")


def wait_for(predicate, seconds, step=0.1):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def scheduler(cluster):
    return connect(cluster.scheduler.address, CloudScoot)


def worker_runs(cluster):
    runs = []
    for fake in cluster.workers:
        client, transport = connect(fake.address, Worker)
        try:
            runs += [(fake.address, run) for run in client.QueryWorker().runs]
        finally:
            transport.close()
    return runs


def http_get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.status, response.headers, response.read().decode()


def metrics(cluster):
    return json.loads(http_get(f"http://127.0.0.1:{cluster.scheduler.http_port}/admin/metrics.json")[2])


def job(argv, task_id="task1", **fields):
    return JobDefinition(tasks=[TaskDefinition(command=Command(argv=argv), taskId=task_id)], **fields)


def check_jobs_and_kill(checks, cluster):
    client, transport = scheduler(cluster)
    requestors = ["land-alice", "diff-bob", "ci-carol"]
    ids = [client.RunJob(job(["sleep", "30"], requestor=requestor)).id for requestor in requestors]
    checks.check("RunJob answers UUIDs", all(len(job_id) == 36 and job_id.count("-") == 4 for job_id in ids), ids)

    running = wait_for(lambda: {run.jobId for _, run in worker_runs(cluster) if run.status == RunState.RUNNING} >= set(ids), 2)
    checks.check("within 2 s every job runs on a worker (QueryWorker shows its job id)", running)
    runs = {run.jobId: run for _, run in worker_runs(cluster)}
    run = runs.get(ids[0])
    checks.check("worker run carries taskId, tag (= job id), runId and output URIs",
                 run is not None and run.taskId == "task1" and run.tag == ids[0] and run.runId == "0"
                 and "/output//0-stdout?file=file://" in (run.outUri or "") and "0-stderr" in (run.errUri or ""), run)
    checks.check("every job is on a different worker", len({address for address, _ in worker_runs(cluster)}) == 3)

    def all_running():
        statuses = [client.GetStatus(job_id) for job_id in ids]
        return all(status.status == Status.IN_PROGRESS and status.taskStatus == {"task1": Status.IN_PROGRESS}
                   and status.taskData.get("task1") is not None and status.taskData["task1"].status == RunStatusState.RUNNING
                   for status in statuses) and statuses
    statuses = wait_for(all_running, 2)
    checks.check("GetStatus: IN_PROGRESS with RUNNING taskData", bool(statuses), [client.GetStatus(job_id) for job_id in ids])
    if statuses:
        data = statuses[0].taskData["task1"]
        checks.check("taskData has runId and outUri but no jobId, taskId or tag",
                     data.runId == "0" and data.outUri and data.jobId is None and data.taskId is None and data.tag is None, data)
        check_output(checks, data.outUri, "task1")

    killed = client.KillJob(ids[0])
    checks.equal("KillJob answers at once: job IN_PROGRESS", killed.status, Status.IN_PROGRESS)
    checks.equal("KillJob answers at once: running task still IN_PROGRESS", killed.taskStatus, {"task1": Status.IN_PROGRESS})
    started = time.monotonic()
    final = wait_for(lambda: (status := client.GetStatus(ids[0])).status == Status.COMPLETED and status, 4)
    checks.check("within 4 s the killed job is COMPLETED", bool(final), client.GetStatus(ids[0]))
    if final:
        print(f"     (killed job completed after {time.monotonic() - started:.2f} s)")
        data = final.taskData.get("task1")
        checks.equal("killed task COMPLETED", final.taskStatus, {"task1": Status.COMPLETED})
        checks.check("killed task: ABORTED, error UserRequested, runId '', exitCode 0, no URIs",
                     data is not None and data.status == RunStatusState.ABORTED and data.error == "UserRequested"
                     and data.runId == "" and data.exitCode == 0 and data.outUri is None and data.errUri is None, data)
    aborted = [run for _, run in worker_runs(cluster) if run.jobId == ids[0]]
    checks.check("the worker's run was aborted", [run.status for run in aborted] == [RunState.ABORTED], aborted)

    checks.application_error("second KillJob", lambda: client.KillJob(ids[0]), TApplicationException.INTERNAL_ERROR,
                             NOT_FOUND.format(ids[0]))
    try:
        client.GetStatus(ids[1])
        checks.check("the server closed the connection after the exception", False, "a call on the same socket succeeded")
    except (TTransportException, OSError, EOFError):
        checks.check("the server closed the connection after the exception", True)
    transport.close()
    client, transport = scheduler(cluster)
    checks.equal("a new connection works", client.GetStatus(ids[1]).status, Status.IN_PROGRESS)
    checks.equal("the killed job stays readable: GetStatus COMPLETED", client.GetStatus(ids[0]).status, Status.COMPLETED)

    second = client.KillJob(ids[1])
    checks.equal("KillJob of another job answers IN_PROGRESS", second.status, Status.IN_PROGRESS)
    checks.application_error("KillJob while it is being killed", lambda: client.KillJob(ids[1]),
                             TApplicationException.INTERNAL_ERROR,
                             f"Internal error processing KillJob: job Id {ids[1]} was already killed, request ignored")
    transport.close()
    client, transport = scheduler(cluster)
    checks.check("the second killed job completes too",
                 wait_for(lambda: client.GetStatus(ids[1]).status == Status.COMPLETED, 12), client.GetStatus(ids[1]))
    transport.close()


def check_output(checks, out_uri, task_id):
    url = urlsplit(out_uri)
    connection = http.client.HTTPConnection(url.netloc, timeout=10)
    connection.request("GET", f"{url.path}?{url.query}")
    response = connection.getresponse()
    response.read()
    connection.close()
    checks.equal("output URL: the worker redirects /output//<id> to /output/<id>, keeping the query",
                 (response.status, response.getheader("Location")), (301, f"{url.path.replace('//', '/')}?{url.query}"))
    status, headers, body = http_get(out_uri)
    checks.check("output URL (after the worker's redirect) answers the HTML tail page",
                 status == 200 and headers["Content-Type"].startswith("text/html") and "content=true" in body, body[:200])
    status, headers, body = http_get(out_uri + "&content=true")
    checks.check("output URL with content=true serves the run's text", status == 200 and f"line 1 of task {task_id}\n" in body,
                 body[:200])
    checks.equal("output text is text/plain", headers["Content-Type"], "text/plain; charset=utf-8")
    status, headers, body = http_get(out_uri + "&content=true", {"Range": "bytes=0-3"})
    checks.equal("output honours a Range", (status, body, headers["Content-Range"].split("/")[0]), (206, "line", "bytes 0-3"))


def check_errors_and_settings(checks, cluster):
    client, transport = scheduler(cluster)
    unknown = client.GetStatus("no-such-job")
    transport.close()
    checks.check("GetStatus of an unknown id: NOT_STARTED, empty maps",
                 unknown.id == "no-such-job" and unknown.status == Status.NOT_STARTED and unknown.taskStatus == {}
                 and unknown.taskData == {}, unknown)
    node = cluster.workers[3].address
    calls = [
        ("OfflineWorker of an unknown id", lambda c: c.OfflineWorker(OfflineWorkerReq(id="nope:1", requestor="me")),
         "Internal error processing OfflineWorker: node nope:1 was not present in nodes. It can't be offlined"),
        ("RunJob without tasks", lambda c: c.RunJob(JobDefinition(tasks=[])),
         "Internal error processing RunJob: invalid job. Must have at least 1 task; was empty"),
        ("RunJob with an empty argv", lambda c: c.RunJob(job([])),
         "Internal error processing RunJob: invalid task.Command.Argv. Must have at least one argument; was empty"),
        ("RunJob with a bad priority", lambda c: c.RunJob(job(["true"], priority=3)),
         "Internal error processing RunJob: invalid priority 3, must be between 0-2 inclusive"),
        ("SetSchedulerStatus(-2)", lambda c: c.SetSchedulerStatus(-2),
         "Internal error processing SetSchedulerStatus: invalid tasks limit:-2. Must be >= -1."),
        ("ReinstateWorker of a worker that is not offlined",
         lambda c: c.ReinstateWorker(ReinstateWorkerReq(id=node, requestor="me")),
         f"Internal error processing ReinstateWorker: node {node} was not present in offlinedNodes. It can't be reinstated"),
    ]
    for name, call, message in calls:
        client, transport = scheduler(cluster)
        checks.application_error(name, lambda: call(client), TApplicationException.INTERNAL_ERROR, message)
        transport.close()
    client, transport = scheduler(cluster)
    checks.application_error("RunJob without the required tasks field", lambda: client.RunJob(JobDefinition()),
                             TApplicationException.PROTOCOL_ERROR,
                             "*scoot.JobDefinition error reading struct: Required field Tasks is not set")
    transport.close()
    console, transport = connect(cluster.scheduler.address, ScootConsole)  # the extension is unknown to Scoot
    checks.application_error("ScootConsole.ListWorkers is unknown", console.ListWorkers, TApplicationException.UNKNOWN_METHOD,
                             "Unknown function ListWorkers")
    transport.close()

    client, transport = scheduler(cluster)
    client.OfflineWorker(OfflineWorkerReq(id=node, requestor="me"))
    client.ReinstateWorker(ReinstateWorkerReq(id=node, requestor="me"))
    checks.check("OfflineWorker then ReinstateWorker of a known worker", True)
    client.SetClassLoadPercents({"a": 30, "b": 25, "c": 15, "d": 10, "e": 0})
    checks.equal("SetClassLoadPercents normalizes like Scoot", client.GetClassLoadPercents(),
                 {"a": 39, "b": 31, "c": 18, "d": 12, "e": 0})
    client.SetRequestorToClassMap({"land.*": "a"})
    checks.equal("requestor map round trip", client.GetRequestorToClassMap(), {"land.*": "a"})
    checks.equal("rebalance defaults", (client.GetRebalanceMinimumDuration(), client.GetRebalanceThreshold()), (4, 0))
    client.SetSchedulerStatus(7)
    status = client.GetSchedulerStatus()
    checks.equal("GetSchedulerStatus: the remaining sleep job counts, maxTasks as set", (status.currentTasks, status.maxTasks),
                 (1, 7))
    transport.close()


def check_worker(checks, cluster):
    busy = {address for address, _ in worker_runs(cluster)}
    fake = next(fake for fake in cluster.workers if fake.address not in busy)
    client, transport = connect(fake.address, Worker)
    first = client.Run(RunCommand(argv=["sleep", "5"], taskId="direct"))
    checks.equal("Run answers PENDING with run id", (first.status, bool(first.runId)), (RunState.PENDING, True))
    busy = client.Run(RunCommand(argv=["true"]))
    checks.equal("Run while busy", (busy.status, busy.runId, busy.error),
                 (RunState.FAILED, "", "No resources available. Please try later."))
    resent = client.Run(RunCommand(argv=["sleep", "5"], taskId="direct"))
    checks.equal("the same Run resent answers the current run", resent.runId, first.runId)
    aborted = client.Abort(first.runId)
    checks.equal("Abort of a running run", aborted.status, RunState.ABORTED)
    unknown = client.Abort("999")
    checks.equal("Abort of an unknown run", (unknown.status, unknown.error), (RunState.UNKNOWN, "unknown run id 999"))
    quick = client.Run(RunCommand(argv=["sh", "-c", "exit 3"]))
    done = wait_for(lambda: [run for run in client.QueryWorker().runs if run.runId == quick.runId and run.status in FINAL], 2)
    checks.equal("sh -c 'exit 3' completes with exit code 3", [(run.status, run.exitCode) for run in done or []],
                 [(RunState.COMPLETE, 3)])
    ended = client.Abort(quick.runId)
    checks.equal("Abort of an ended run answers its final status", (ended.status, ended.exitCode), (RunState.COMPLETE, 3))
    checks.equal("QueryWorker remembers the latest run only, like Scoot's single runner",
                 [run.runId for run in client.QueryWorker().runs], [quick.runId])
    transport.close()


def check_metrics(checks, cluster):
    stats = metrics(cluster)
    checks.equal("metrics before the first latch: the start-up state {}", stats, {})
    latched = start_cluster(workers=2, metrics_latch=1.0)
    try:
        time.sleep(1.5)
        stats = metrics(latched)
        checks.equal("--metrics-latch 1: after 1.5 s availableNodes is there", stats.get("scheduler/availableNodes"), 2)
        checks.check("latched metrics have Scoot's names", all(f"scheduler/{key}" in stats for key in (
            "freeNodes", "runningNodes", "lostNodes", "schedNumRunningTasksGauge", "schedNumWaitingTasksGauge",
            "schedUptimeGauge_ms")), sorted(stats))
        status, _, body = http_get(f"http://127.0.0.1:{latched.scheduler.http_port}/admin/metrics.json?pretty=true")
        checks.check("?pretty=true indents", body.startswith("{\n  "), body[:40])
        try:
            http_get(f"http://127.0.0.1:{latched.scheduler.http_port}/")
            checks.check("/ answers 501", False)
        except urllib.error.HTTPError as error:
            checks.equal("/ answers 501 with Scoot's help", (error.code, error.read().decode()),
                         (501, "Common paths: '/admin/metrics.json', '/debug/pprof'\n"))
    finally:
        latched.close()


def wait_or_kill(process):
    """The exit status within 10 s; otherwise the process is killed (it must not outlive the
    check and hold its caller's output pipe) and "did not exit" is returned."""
    try:
        return process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return "did not exit"


def check_launchers(checks):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, str(HERE / "fake_scoot_cluster.py"), "--workers", "2"], stdout=subprocess.PIPE,
                               text=True, env=env)
    try:
        line = process.stdout.readline()
        description = json.loads(line.removeprefix("CLUSTER ")) if line.startswith("CLUSTER ") else {}
        checks.check("fake_scoot_cluster.py prints CLUSTER {json}",
                     set(description) == {"scheduler", "http", "workers", "workerHttp"} and len(description["workers"]) == 2,
                     line)
        if description:
            client, transport = connect(description["scheduler"], CloudScoot)
            checks.equal("its scheduler answers", client.GetSchedulerStatus().maxTasks, -1)
            transport.close()
    finally:
        process.send_signal(signal.SIGTERM)
        checks.equal("fake_scoot_cluster.py exits 0 on SIGTERM", wait_or_kill(process), 0)
    for script, extra in (("fake_scoot_worker.py", []), ("fake_scoot_scheduler.py", ["--workers", "127.0.0.1:1"])):
        process = subprocess.Popen([sys.executable, str(HERE / script), *extra], stdout=subprocess.PIPE, text=True, env=env)
        try:
            lines = [process.stdout.readline().split() for _ in range(2)]
            checks.check(f"{script} prints PORT and HTTP", [line[0] for line in lines if line] == ["PORT", "HTTP"], lines)
        finally:
            process.send_signal(signal.SIGINT)
            checks.equal(f"{script} exits 0 on SIGINT", wait_or_kill(process), 0)


def main():
    checks = Checks()
    cluster = start_cluster(workers=4)
    try:
        check_metrics(checks, cluster)
        check_jobs_and_kill(checks, cluster)
        check_errors_and_settings(checks, cluster)
        check_worker(checks, cluster)
        check_launchers(checks)
    except Exception:  # noqa: BLE001 - report it as a failure and stop
        traceback.print_exc()
        checks.check("the checks ran to the end", False, "(an exception stopped them; see above)")
    finally:
        cluster.close()
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
