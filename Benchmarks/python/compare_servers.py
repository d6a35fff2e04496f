"""`make bench`'s server comparison: the same client (bench_client.py) against scoot-console's
release `serve`, against memory_server.py (Apache Thrift's Python TThreadedServer) and against the
echo floor (Benchmarks/echo-floor/echo_server.c), in rounds; prints one table of medians with
their spread (min-max over the rounds), the ratios and the issue-14 targets, then the disk floor
of a durable RunJob (its request appended to a file and fdatasync-ed, on the same file system as
serve's data directory, in each round), which bounds RunJob's latency from below.

Every server runs as a process of its own on a free loopback port; each is stopped when its part
is done, and all of them on any failure, Ctrl-C or SIGTERM (and, should this script be killed
outright, by the kernel: each gets PR_SET_PDEATHSIG). `serve` gets a fresh temporary data
directory, no process workers and --workers simulated workers; a blocker job of one
`sleep 100000` task per worker keeps the tasks of later jobs queued where a workload needs that.

Usage: compare_servers.py --scoot-console PATH [--rounds 3] [--workers 2] [--scale 1] [--json FILE]
(--scale multiplies every call count, e.g. 0.1 for a quick look; --json writes the raw figures)."""
import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
CLIENT = REPOSITORY / "Benchmarks/python/bench_client.py"
MEMORY_SERVER = REPOSITORY / "Benchmarks/python/memory_server.py"
ECHO_SOURCE = REPOSITORY / "Benchmarks/echo-floor/echo_server.c"
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10

TIMED_WORKLOADS = ["getstatus_1", "settings", "getstatus_1000", "runjob_1", "killjob_1000", "killjob_100000"]
# In this order on one server: the GetStatus jobs run to completion first, then the blocker holds
# the workers so that RunJob's and KillJob's jobs stay queued.
MAIN_SEQUENCE = ["getstatus_1", "settings", "getstatus_1000", "blocker", "runjob_1", "killjob_1000", "killjob_100000"]
# Memory is read on fresh servers, one for the idle and 10,000-task figures, one for the 100,000-task job.
MEMORY_SEQUENCES = [["rss_idle", "blocker", "rss_queued_10k"], ["blocker", "rss_job_100k"]]

MB = 1e6 / 2**20  # VmRSS is in KiB; the table is in MB (10^6 bytes)


def at_most(limit):
    return lambda ours, python: (f"≤ {limit:g}", ours <= limit)


def third_of_python(ours, python):
    return ("≤ ⅓ Python", ours <= python / 3)


# (workload, its label, the figure, the figure's label, the issue-14 target or None)
ROWS = [
    ("getstatus_1", "GetStatus, 1-task job", "cpu_us_per_call", "server CPU µs/call", third_of_python),
    ("getstatus_1", "", "p50_ms", "p50 ms", None),
    ("getstatus_1", "", "calls_per_s", "calls/s", None),
    ("settings", "Settings loop (get/set ×2)", "calls_per_s", "RPC/s", None),
    ("settings", "", "cpu_us_per_call", "server CPU µs/call", third_of_python),
    ("runjob_1", "RunJob, 1-task job, sequential", "p50_ms", "p50 ms", None),
    ("runjob_1", "", "p99_ms", "p99 ms", at_most(3)),
    ("runjob_1", "", "cpu_us_per_call", "server CPU µs/call", None),
    ("getstatus_1000", "GetStatus, 1,000-task job", "p50_ms", "p50 ms", at_most(1.5)),
    ("getstatus_1000", "", "p99_ms", "p99 ms", None),
    ("getstatus_1000", "", "cpu_us_per_call", "server CPU µs/call", None),
    ("killjob_1000", "KillJob, 1,000-task job", "p50_ms", "p50 ms", at_most(5)),
    ("killjob_1000", "", "p99_ms", "p99 ms", None),
    ("killjob_100000", "KillJob, 100,000-task job", "p50_ms", "p50 ms", at_most(50)),
    ("rss_idle", "RSS, idle after start", "rss_mb", "MB", at_most(16)),
    ("rss_queued_10k", "RSS, 10,000 queued tasks", "rss_mb", "MB", at_most(24)),
    ("rss_job_100k", "RSS, one 100,000-task job", "rss_mb", "MB", at_most(100)),
]


def kill_with_parent():
    """Runs in each child before exec: the kernel sends it SIGKILL if this script dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Server:
    """A server process started for the comparison; `stop` ends it (SIGTERM, then SIGKILL)."""

    running = []

    def __init__(self, name, argv, port_pattern, log_directory, environment):
        self.name = name
        self.log = log_directory / f"{name}-{len(list(log_directory.iterdir()))}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            env=environment, preexec_fn=kill_with_parent)
        Server.running.append(self)
        self.pid = self.process.pid
        self.port = self._wait_for_port(re.compile(port_pattern))

    def _wait_for_port(self, pattern):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            match = pattern.search(self.log.read_text(errors="replace"))
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not start listening; its output:\n{self.log.read_text(errors='replace')}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self in Server.running:
            Server.running.remove(self)

    @classmethod
    def stop_all(cls):
        for server in list(cls.running):
            server.stop()


class Comparison:
    def __init__(self, options, scratch):
        self.options = options
        self.scratch = scratch
        self.logs = scratch / "logs"
        self.logs.mkdir()
        generated = scratch / "gen-py"
        generated.mkdir()
        subprocess.run(["thrift", "--gen", "py", "-out", str(generated), str(REPOSITORY / "idl/scoot.thrift")],
                       check=True)
        self.environment = {**os.environ, "PYTHONPATH": str(generated)}
        self.echo_binary = scratch / "echo_server"
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-pthread", "-o", str(self.echo_binary), str(ECHO_SOURCE)],
                       check=True)

    def start(self, kind):
        if kind == "ours":
            data = Path(tempfile.mkdtemp(prefix="data-", dir=self.scratch))
            argv = [self.options.scoot_console, "serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0",
                    "--workers", "0", "--simulated-workers", str(self.options.workers), "--data-dir", str(data),
                    "--disk-reserve", "0", "--log-level", "warning"]
            return Server("serve", argv, r"CloudScoot on [^\s,]*:(\d+)", self.logs, self.environment)
        if kind == "python":
            return Server("python", [sys.executable, str(MEMORY_SERVER)], r"PORT (\d+)", self.logs, self.environment)
        return Server("echo", [str(self.echo_binary)], r"PORT (\d+)", self.logs, self.environment)

    def client(self, server, workloads, *extra):
        argv = [sys.executable, str(CLIENT), "--port", str(server.port), "--pid", str(server.pid),
                "--workers", str(self.options.workers), "--scale", str(self.options.scale), *extra, *workloads]
        done = subprocess.run(argv, env=self.environment, stdout=subprocess.PIPE, text=True,
                              preexec_fn=kill_with_parent)
        if done.returncode != 0:
            output = server.log.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"bench_client.py against {server.name} failed ({done.returncode}); "
                               f"the end of the server's output:\n{output}")
        return json.loads(done.stdout)

    def measure(self, kind, workloads, *extra):
        server = self.start(kind)
        try:
            return self.client(server, workloads, *extra)
        finally:
            server.stop()

    def disk_floor(self, request_bytes):
        """The durable RunJob's physical floor: appending a RunJob request's bytes to a file on the
        file system of serve's data directories and fdatasync-ing it, as many times as RunJob is
        called; p50 and p99 in ms."""
        calls = max(1, int(2_000 * self.options.scale))
        latencies = []
        path = self.scratch / "disk-floor"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            payload = b"x" * request_bytes
            for _ in range(calls):
                start = time.perf_counter_ns()
                os.write(descriptor, payload)
                os.fdatasync(descriptor)
                latencies.append(time.perf_counter_ns() - start)
        finally:
            os.close(descriptor)
            path.unlink()
        latencies.sort()
        return {"p50_ms": latencies[len(latencies) // 2] / 1e6, "p99_ms": latencies[int(len(latencies) * 0.99)] / 1e6}

    def round(self, number):
        """One round: each Thrift server in full (alternating which goes first), then the echo floor
        with the request and reply sizes our server had."""
        figures = {}
        kinds = ["ours", "python"] if number % 2 == 0 else ["python", "ours"]
        for kind in kinds:
            extra = ["--runs-tasks"] if kind == "ours" else []
            figures[kind] = self.measure(kind, MAIN_SEQUENCE, *extra)
            for sequence in MEMORY_SEQUENCES:
                figures[kind].update(self.measure(kind, sequence, *extra))
            print(f"  round {number + 1}: {kind} done", file=sys.stderr, flush=True)
        sizes = {name: figures["ours"][name]["wire"] for name in TIMED_WORKLOADS}
        figures["echo"] = self.measure("echo", ["rss_idle", *TIMED_WORKLOADS], "--echo-sizes", json.dumps(sizes))
        print(f"  round {number + 1}: echo floor done", file=sys.stderr, flush=True)
        for kind_figures in figures.values():
            for name, values in kind_figures.items():
                if "rss_mib" in values:
                    values["rss_mb"] = values["rss_mib"] / MB
        figures["disk"] = {"runjob_1": self.disk_floor(sum(request for request, _ in sizes["runjob_1"]))}
        return figures


def spread(values):
    """The median and the min-max of the rounds' values, formatted."""
    if not values:
        return "—", None
    median = statistics.median(values)
    if len(values) == 1:
        return number(median), median
    return f"{number(median)} ({number(min(values))}–{number(max(values))})", median


def number(value):
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def ratio(ours, other):
    return f"{ours / other:.2f}×" if ours is not None and other else "—"


def table(rounds):
    header = ["workload", "figure", "ours", "Python server", "echo floor", "ours/Python", "ours/floor", "target",
              "met"]
    lines = [header]
    for workload, label, figure, figure_label, target in ROWS:
        cells = {}
        for kind in ("ours", "python", "echo"):
            values = [round_[kind][workload][figure] for round_ in rounds
                      if workload in round_[kind] and figure in round_[kind][workload]]
            cells[kind] = spread(values)
        ours, python, echo = (cells[kind][1] for kind in ("ours", "python", "echo"))
        target_text, met = target(ours, python) if target and ours is not None else ("", None)
        lines.append([label, figure_label, cells["ours"][0], cells["python"][0], cells["echo"][0], ratio(ours, python),
                      ratio(ours, echo), target_text, "" if met is None else ("met" if met else "NOT met")])
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    rendered = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths)) + " |" for line in lines]
    rendered.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(rendered)


def reply_sizes(rounds):
    first = rounds[0]
    parts = []
    for name in TIMED_WORKLOADS:
        ours = "/".join(str(reply) for _, reply in first["ours"][name]["wire"])
        python = "/".join(str(reply) for _, reply in first["python"][name]["wire"])
        parts.append(f"{name} {ours} (Python {python})")
    return "reply bytes, ours (Python server's): " + "; ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scoot-console", required=True, help="the release scoot-console binary")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="serve's simulated workers (and the blocker's tasks)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every call count")
    parser.add_argument("--json", help="also write the raw figures of every round to this file")
    options = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the servers are stopped on the way out
    scratch = Path(tempfile.mkdtemp(prefix="scoot-bench-compare-"))
    load_before = os.getloadavg()
    try:
        comparison = Comparison(options, scratch)
        print(f"scoot-bench: serve against Apache Thrift's Python TThreadedServer and the echo floor, "
              f"{options.rounds} rounds (median (min–max))", flush=True)
        rounds = [comparison.round(number) for number in range(options.rounds)]
    finally:
        Server.stop_all()
        shutil.rmtree(scratch, ignore_errors=True)
    if options.json:
        Path(options.json).write_text(json.dumps(rounds, indent=1))
    print(table(rounds))
    print(reply_sizes(rounds))
    floor = {figure: spread([round_["disk"]["runjob_1"][figure] for round_ in rounds])[0] for figure in ("p50_ms", "p99_ms")}
    print(f"disk floor (RunJob's request appended to a file beside serve's data directories, then fdatasync), "
          f"as many times as RunJob: p50 {floor['p50_ms']} ms, p99 {floor['p99_ms']} ms")
    coarse = sorted({f"{kind} {name}" for round_ in rounds for kind, figures in round_.items()
                     for name, values in figures.items() if "ticks" in values.get("cpu_source", "")})
    if coarse:
        print("server CPU from clock ticks (a thread exited meanwhile), not schedstat: " + ", ".join(coarse))
    load_after = os.getloadavg()
    print(f"{os.cpu_count()} cores; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
          f"(other work on the machine shows up in every column)")


if __name__ == "__main__":
    main()
