"""A fake Scoot worker (Scoot's `workerserver`) for tests that cannot run real Scoot: it serves
the Worker service of idl/worker.thrift and the worker's HTTP endpoints, but runs no processes.

Usage: fake_scoot_worker.py [--port N] [--http-port N] [--host H] [--unhealthy]
                            [--slow-query SECONDS] [--history N]
Ports default to 0 (ephemeral). Prints `PORT <thrift port>` and `HTTP <http port>` once both
listen, then serves until SIGTERM or SIGINT. FakeWorker can also be used from Python (see
fake_scoot_cluster.py).

What it reproduces of a real worker:
  * One run at a time. Run answers at once with the new run PENDING (run ids count up from "0"
    per worker); it turns RUNNING almost immediately, with outUri/errUri, jobId, taskId and tag,
    and ends COMPLETE with an exit code (a non-zero exit code is still COMPLETE).
  * A Run while busy answers FAILED, runId "", error "No resources available. Please try
    later." -- unless it is the very command being run, in which case (a resent request) it
    answers that run's status. An unhealthy worker answers FAILED "Worker is unhealthy.".
  * Abort waits for the run to stop and answers its final status: ABORTED for a run it stopped,
    the run's own final status (e.g. COMPLETE) for one that had already ended, and UNKNOWN with
    error "unknown run id <id>" for a run it does not know.
  * A run's timeoutMs (when > 0) ends it TIMEDOUT.
  * QueryWorker lists the runs the worker remembers: like Scoot's single runner, only the latest
    one by default (--history N keeps N); an idle, fresh worker answers runs=[]. Empty strings
    are left unset and exitCode is always set; snapshotId is never filled in (a real worker
    does not report it either).
  * Run output is served over HTTP like the worker's output server: outUri looks like
    http://<host>:<http>/output//<runId>-stdout?file=file://<hostname>/<tmp>/<runId>-stdout<suffix>.
    The double slash is redirected (301) to /output/<runId>-stdout; a plain GET of that answers
    an HTML page that tails the file, and `?content=true` answers the text itself (honouring a
    single byte Range). /output/ lists the files, /health answers "ok" (or "not healthy"), any
    other path answers 501 with Scoot's help text.

What the fake makes up: the commands are simulated from their argv. `sleep N` runs N seconds;
`sh -c "exit K"`, `false` and `true` end at once with exit code K, 1 and 0; anything else runs
one second and exits 0. While running, a run writes `line <n> of task <taskId>` to its stdout
once a second; aborted and timed-out runs get Scoot's failure banner appended to stdout and
stderr. --unhealthy makes the worker report isHealthy=false; --slow-query SECONDS delays every
QueryWorker answer. The worker's /admin/metrics.json is not faked: it is always {}, as a real
worker's is in its first minute."""
import argparse
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections import OrderedDict
from email.utils import formatdate
from urllib.parse import parse_qs

from fake_scoot_common import GoHTTPHandler, GoStyleProcessor, ThriftServer, serve_until_terminated, start_http_server
from worker import Worker
from worker.ttypes import RunStatus, Status, WorkerStatus

QUEUE_FULL = "No resources available. Please try later."
UNHEALTHY = "Worker is unhealthy."
CHECKOUT_S = 0.05  # PENDING -> RUNNING: the time a checkout of an empty snapshot takes
QUICK_S = 0.1  # how long `true`, `false` and `sh -c "exit K"` take
DEFAULT_S = 1.0  # how long any other unrecognised command takes
LINE_EVERY_S = 1.0
BANNER = "###########################################\n###########################################\n"
HELP = "Common paths: '/admin/metrics.json', '/debug/pprof'"


def simulated(argv):
    """(seconds, exit code) of a fake run of argv."""
    if len(argv) == 2 and argv[0] == "sleep":
        try:
            return max(0.0, float(argv[1])), 0
        except ValueError:
            return QUICK_S, 1
    if len(argv) == 3 and argv[:2] == ["sh", "-c"]:
        match = re.fullmatch(r"\s*exit\s+(\d+)\s*", argv[2])
        if match:
            return QUICK_S, int(match.group(1)) % 256
    if argv == ["false"]:
        return QUICK_S, 1
    if argv == ["true"]:
        return QUICK_S, 0
    return DEFAULT_S, 0


def go_duration(ms):
    """A millisecond count as Go's time.Duration prints it (30m0s, 1.5s, 250ms)."""
    if ms == 0:
        return "0s"
    sign, ms = ("-" if ms < 0 else ""), abs(ms)
    if ms < 1000:
        return f"{sign}{ms}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest / 1000:.3f}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    return f"{sign}{minutes}m{seconds}" if minutes else sign + seconds


def command_text(cmd):
    """A command as Scoot's runner.Command.String() prints it in failure banners."""
    argv = " ".join(json.dumps(arg, ensure_ascii=False) for arg in cmd.argv or [])
    text = (f"runner.Command -- SnapshotID: {cmd.snapshotId or ''} # Argv: [{argv}] # Timeout: {go_duration(cmd.timeoutMs or 0)}"
            f" # JobID: {cmd.jobId or ''} # TaskID: {cmd.taskId or ''} # Tag: {cmd.tag or ''}")
    if cmd.env:
        text += " # Env:" + "".join(f"  {key}={value}" for key, value in cmd.env.items())
    return text


def same_command(a, b):
    """Whether two RunCommands are the same once converted the way the worker converts them."""
    def key(cmd):
        return (list(cmd.argv or []), dict(cmd.env or {}), cmd.timeoutMs or 0, cmd.snapshotId or "", cmd.jobId or "",
                cmd.taskId or "", cmd.tag or "")
    return key(a) == key(b)


class _Run:
    def __init__(self, run_id, cmd):
        self.run_id = run_id
        self.cmd = cmd
        self.status = Status.PENDING
        self.out_uri = self.err_uri = ""
        self.exit_code = 0
        self.job_id = self.task_id = self.tag = ""
        self.stdout = self.stderr = None  # file paths, once RUNNING
        self.abort = threading.Event()
        self.done = threading.Event()

    def thrift(self):
        return RunStatus(status=self.status, runId=self.run_id, outUri=self.out_uri or None, errUri=self.err_uri or None,
                         exitCode=self.exit_code, jobId=self.job_id or None, taskId=self.task_id or None, tag=self.tag or None)


class FakeWorker:
    """The fake worker: Worker service handler plus its HTTP output server."""

    def __init__(self, host="127.0.0.1", port=0, http_port=0, healthy=True, slow_query=0.0, history=1):
        self.host = host
        self.healthy = healthy
        self.slow_query = slow_query
        self.history = history
        self.lock = threading.Lock()
        self.runs = OrderedDict()  # run id -> _Run, oldest first
        self.next_run_id = 0
        self.current = None  # the _Run being run
        self.current_cmd = None  # the last command accepted, to recognise a resent Run
        self.files = {}  # name served under /output/ -> absolute path
        self.output_dir = tempfile.mkdtemp(prefix="output")
        self.hostname = socket.gethostname()
        self.http = start_http_server(self._http_handler(), host, http_port)
        self.http_port = self.http.server_port
        self.thrift = ThriftServer(GoStyleProcessor(Worker, self), host, port).start()
        self.port = self.thrift.port

    @property
    def address(self):
        return f"{self.host}:{self.port}"

    def close(self):
        self.thrift.close()
        self.http.shutdown()
        self.http.server_close()
        with self.lock:
            runs = list(self.runs.values())
        for run in runs:
            run.abort.set()
        for run in runs:
            run.done.wait(2)
        shutil.rmtree(self.output_dir, ignore_errors=True)

    # Worker service

    def QueryWorker(self):  # noqa: N802 - Thrift method names
        if self.slow_query:
            time.sleep(self.slow_query)
        with self.lock:
            runs = [run.thrift() for run in self.runs.values()]
        return WorkerStatus(runs=runs, initialized=True, isHealthy=self.healthy, error="")

    def Run(self, cmd):  # noqa: N802
        with self.lock:
            if not self.healthy:
                return RunStatus(status=Status.FAILED, runId="", error=UNHEALTHY, exitCode=0)
            if self.current is not None:
                if same_command(cmd, self.current_cmd):
                    return self.current.thrift()
                return RunStatus(status=Status.FAILED, runId="", error=QUEUE_FULL, exitCode=0)
            run = _Run(str(self.next_run_id), cmd)
            self.next_run_id += 1
            self.runs[run.run_id] = run
            while len(self.runs) > self.history:
                self.runs.popitem(last=False)
            self.current, self.current_cmd = run, cmd
            threading.Thread(target=self._execute, args=(run,), name=f"run-{self.port}-{run.run_id}", daemon=True).start()
            return run.thrift()

    def Abort(self, runId):  # noqa: N802, N803
        with self.lock:
            run = self.runs.get(runId)
        if run is None:
            return RunStatus(status=Status.UNKNOWN, runId=runId or "", error=f"unknown run id {runId or ''}", exitCode=0)
        run.abort.set()
        run.done.wait()
        with self.lock:
            return run.thrift()

    # The simulated run

    def _execute(self, run):
        if run.abort.wait(CHECKOUT_S):
            self._finish(run, Status.ABORTED, 0)
            return
        cmd = run.cmd
        with self.lock:
            run.stdout, run.out_uri = self._create_output(f"{run.run_id}-stdout")
            run.stderr, run.err_uri = self._create_output(f"{run.run_id}-stderr")
            run.status = Status.RUNNING
            run.job_id, run.task_id, run.tag = cmd.jobId or "", cmd.taskId or "", cmd.tag or ""
        duration, exit_code = simulated(list(cmd.argv or []))
        timeout = cmd.timeoutMs / 1000 if cmd.timeoutMs and cmd.timeoutMs > 0 else None
        end = duration if timeout is None else min(duration, timeout)
        started = time.monotonic() - CHECKOUT_S  # a real worker's timeout counts the checkout too
        lines = 0
        while True:
            lines += 1
            self._append(run.stdout, f"line {lines} of task {cmd.taskId or ''}\n")
            elapsed = time.monotonic() - started
            if run.abort.wait(max(0.0, min(lines * LINE_EVERY_S, end) - elapsed)):
                self._append_banner(run, f"Task aborted: {command_text(cmd)}")
                self._finish(run, Status.ABORTED, 0)
                return
            elapsed = time.monotonic() - started
            if timeout is not None and elapsed >= timeout and timeout < duration:
                self._append_banner(run, f"Task exceeded timeout {go_duration(cmd.timeoutMs)}: {command_text(cmd)}")
                self._finish(run, Status.TIMEDOUT, 0)
                return
            if elapsed >= duration:
                self._finish(run, Status.COMPLETE, exit_code)
                return

    def _finish(self, run, status, exit_code):
        with self.lock:
            run.status, run.exit_code = status, exit_code
            run.job_id, run.task_id, run.tag = run.cmd.jobId or "", run.cmd.taskId or "", run.cmd.tag or ""
            if self.current is run:
                self.current = None
        run.done.set()

    def _create_output(self, name):
        descriptor, path = tempfile.mkstemp(prefix=name, dir=self.output_dir)
        os.close(descriptor)
        self.files[name] = path
        self.files[os.path.basename(path)] = path
        return path, f"http://{self.host}:{self.http_port}/output//{name}?file=file://{self.hostname}{path}"

    @staticmethod
    def _append(path, text):
        with open(path, "a", encoding="utf-8") as file:
            file.write(text)

    def _append_banner(self, run, reason):
        for path in (run.stdout, run.stderr):
            self._append(path, f"\n\n{BANNER}\n\nFAILED\n\n{reason}")

    # HTTP

    def _http_handler(self):
        worker = self

        class Handler(GoHTTPHandler):
            def route(self, path, query):
                if path == "/health":
                    self.respond(200, "ok" if worker.healthy else "not healthy", "text/plain; charset=utf-8")
                elif path == "/admin/metrics.json":
                    self.respond(200, "{}", "application/json; charset=utf-8")
                elif path == "/output/":
                    self._listing()
                elif path.startswith("/output/"):
                    self._output(path[len("/output/"):], parse_qs(query).get("content") == ["true"])
                else:
                    self.go_error(501, HELP)

            def _listing(self):
                names = sorted(os.listdir(worker.output_dir))
                body = "<pre>\n" + "".join(f'<a href="{name}">{name}</a>\n' for name in names) + "</pre>\n"
                self.respond(200, body, "text/html; charset=utf-8")

            def _output(self, name, content):
                with worker.lock:
                    path = worker.files.get(name)
                if path is None:
                    self.go_error(404, "Unrecognized path")
                    return
                try:
                    with open(path, "rb") as file:
                        data = file.read()
                    modified = os.path.getmtime(path)
                except OSError:
                    self.go_error(410, "")
                    return
                headers = {"Access-Control-Allow-Origin": "*", "X-Resource-Id": path}
                if not content:
                    self.respond(200, TAIL_PAGE, "text/html; charset=utf-8", headers)
                    return
                headers.update({"Cache-Control": "no-store", "Accept-Ranges": "bytes",
                                "Last-Modified": formatdate(modified, usegmt=True)})
                self._content(data, headers)

            def _content(self, data, headers):
                requested = self.headers.get("Range")
                match = re.fullmatch(r"bytes=(\d*)-(\d*)", requested or "")
                if not match or match.groups() == ("", ""):
                    self.respond(200, data, "text/plain; charset=utf-8", headers)
                    return
                first, last = match.groups()
                size = len(data)
                if first == "":
                    start, stop = max(0, size - int(last)), size - 1
                else:
                    start, stop = int(first), min(size - 1, int(last)) if last else size - 1
                if start >= size or start > stop:
                    headers["Content-Range"] = f"bytes */{size}"
                    self.go_error(416, "invalid range: failed to overlap")
                    return
                headers["Content-Range"] = f"bytes {start}-{stop}/{size}"
                self.respond(206, data[start:stop + 1], "text/plain; charset=utf-8", headers)

        return Handler


# The page a real worker serves for an output URL: it polls `?content=true` and shows the text.
TAIL_PAGE = """<html>
<script type="text/javascript">
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const tail = async () => {
    const url = location.href + (location.search == "" ? "?" : "&") + "content=true";
    for (;;) {
      const response = await fetch(url);
      if (response.ok) document.getElementById("output").textContent = await response.text();
      await sleep(1000);
    }
  };
  tail();
</script>
<body>
  <div id="output" style="white-space: pre-wrap"></div>
</body>
</html>
"""


def main():
    parser = argparse.ArgumentParser(description="A fake Scoot worker.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="thrift port (0 = ephemeral)")
    parser.add_argument("--http-port", type=int, default=0, help="HTTP output port (0 = ephemeral)")
    parser.add_argument("--unhealthy", action="store_true", help="report isHealthy=false and refuse runs")
    parser.add_argument("--slow-query", type=float, default=0.0, metavar="SECONDS", help="delay every QueryWorker answer")
    parser.add_argument("--history", type=int, default=1, metavar="N", help="runs QueryWorker remembers (Scoot: 1)")
    options = parser.parse_args()
    worker = FakeWorker(options.host, options.port, options.http_port, not options.unhealthy, options.slow_query,
                        max(1, options.history))
    serve_until_terminated(f"PORT {worker.port}\nHTTP {worker.http_port}", worker)


if __name__ == "__main__":
    main()
