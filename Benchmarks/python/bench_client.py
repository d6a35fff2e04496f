"""The client of `make bench`'s server comparison: runs workloads against one CloudScoot server (or
the echo floor) on host:port, reads that server's CPU time and memory from /proc/<pid>, and prints
the figures as one JSON object, by workload.

Each call is encoded with Apache Thrift's TBinaryProtocolAccelerated and timed from the moment its
request is written to the socket to the moment the last byte of its reply has arrived; the reply
is decoded with TBinaryProtocolAccelerated afterwards, untimed (each one, or a sample of them in
the long loops) and checked. So latencies leave out the client's own decoding, which is the same
for every server, and the echo floor (which sends zero bytes of the same sizes) is timed the very
same way. A reply's size is learned from one ordinary Apache Thrift client call (CloudScoot.Client
over TSocket) of the same kind before the timed calls; a reply of another size fails the run.

Server CPU per call is the server's CPU time (every thread's, from /proc/<pid>/task/*/schedstat;
from /proc/<pid>/stat's utime+stime in clock ticks when a thread exited meanwhile) over the timed
calls, divided by their number. RSS is VmRSS from /proc/<pid>/status.

Usage: bench_client.py --port N --pid PID [--host H] [--runs-tasks] [--workers N] [--scale F]
                       [--echo-sizes JSON] WORKLOAD...
--runs-tasks: the server runs tasks (scoot-console serve), so setups wait for jobs to complete and
for the blocker's tasks to start. --echo-sizes: the server is the echo floor; the JSON maps each
workload to its cycle of [request bytes, reply bytes]. PYTHONPATH must hold the code generated
from idl/ by `thrift --gen py`."""
import argparse
import json
import os
import socket
import struct
import sys
import time

from scoot import CloudScoot
from scoot.ttypes import Command, JobDefinition, Status, TaskDefinition
from thrift.Thrift import TApplicationException, TMessageType
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

CLOCK_TICK_NS = 1e9 / os.sysconf("SC_CLK_TCK")
SOCKET_TIMEOUT_S = 60
SETUP_TIMEOUT_S = 300
SETTLE_S = 2.0  # before an RSS reading: work started by the last call has finished, and serve's heap trimmer (every 1 s) has run
RUNJOB_BATCH = 90  # below Scoot's 100 jobs in progress per requestor, with the blocker
VALIDATE_EVERY = 64  # in the long loops, every 64th reply is decoded and checked (and the last)


# --- The server process -------------------------------------------------------------------------

def cpu_reading(pid):
    """(utime+stime in ns at clock-tick resolution, {thread id: on-CPU ns}) of the process."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks_ns = (int(fields[11]) + int(fields[12])) * CLOCK_TICK_NS  # utime, stime: fields 14 and 15
    threads = {}
    for thread in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{thread}/schedstat") as schedstat:
                threads[thread] = int(schedstat.read().split()[0])
        except OSError:
            pass  # the thread exited while being listed
    return ticks_ns, threads


def cpu_between(before, after):
    """The process's CPU time between two readings in ns and where it came from: the threads' exact
    sums when no thread has exited in between and they agree with the ticks, else the ticks."""
    ticks_ns = after[0] - before[0]
    if set(before[1]) <= set(after[1]):
        exact_ns = sum(runtime - before[1].get(thread, 0) for thread, runtime in after[1].items())
        if abs(exact_ns - ticks_ns) <= 2 * CLOCK_TICK_NS + 0.1 * ticks_ns:
            return exact_ns, "schedstat"
    return ticks_ns, "ticks"


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


# --- The wire -----------------------------------------------------------------------------------

class CountingSocket(TSocket.TSocket):
    """A TSocket that counts the bytes of each call (its TBufferedTransport writes a call at once)."""

    sent = received = 0

    def read(self, size):
        data = super().read(size)
        self.received += len(data)
        return data

    def write(self, data):
        self.sent += len(data)
        super().write(data)


class Connection:
    """One unframed TSocket connection, used both by an Apache Thrift client (`call`) and for timed
    exchanges of pre-encoded requests (`exchange`)."""

    def __init__(self, host, port):
        self.socket = CountingSocket(host, port)
        self.socket.setTimeout(SOCKET_TIMEOUT_S * 1000)
        self.socket.open()
        self.socket.handle.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        protocol = TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TBufferedTransport(self.socket))
        self.client = CloudScoot.Client(protocol)
        self.reply_buffer = bytearray(1 << 16)

    def call(self, method, *arguments):
        """An ordinary client call: (its result, request bytes, reply bytes)."""
        self.socket.sent = self.socket.received = 0
        result = getattr(self.client, method)(*arguments)
        return result, self.socket.sent, self.socket.received

    def exchange(self, request, reply_size):
        """Writes `request`, reads exactly `reply_size` bytes; returns them (valid until the next exchange)."""
        handle = self.socket.handle
        handle.sendall(request)
        if len(self.reply_buffer) < reply_size:
            self.reply_buffer = bytearray(reply_size)
        view = memoryview(self.reply_buffer)
        received = 0
        while received < reply_size:
            try:
                count = handle.recv_into(view[received:reply_size])
            except socket.timeout:
                raise TimeoutError(f"{received} of the {reply_size} reply bytes came; the server sent: "
                                   f"{bytes(view[:min(received, 300)])!r}") from None
            if count == 0:
                raise ConnectionError("the server closed the connection")
            received += count
        return view[:reply_size]

    def close(self):
        self.socket.close()


class EchoConnection(Connection):
    """A connection to the echo floor, which first gets the cycle of sizes it is to serve."""

    def __init__(self, host, port, cycle):
        super().__init__(host, port)
        header = struct.pack(f">I{2 * len(cycle)}I", len(cycle), *[size for pair in cycle for size in pair])
        self.socket.handle.sendall(header)


def encode_call(method, arguments):
    buffer = TTransport.TMemoryBuffer()
    protocol = TBinaryProtocol.TBinaryProtocolAccelerated(buffer)
    protocol.writeMessageBegin(method, TMessageType.CALL, 0)
    arguments.write(protocol)
    protocol.writeMessageEnd()
    return buffer.getvalue()


def decode_reply(data, method):
    """The success value of a reply to `method`; raises what the server answered otherwise, or when
    the bytes are not exactly one reply."""
    buffer = TTransport.TMemoryBuffer(bytes(data))
    protocol = TBinaryProtocol.TBinaryProtocolAccelerated(buffer)
    name, kind, _ = protocol.readMessageBegin()
    if kind == TMessageType.EXCEPTION:
        failure = TApplicationException()
        failure.read(protocol)
        raise failure
    if name != method or kind != TMessageType.REPLY:
        raise RuntimeError(f"expected a reply to {method}, got {name} (message type {kind})")
    result = getattr(CloudScoot, f"{method}_result")()
    result.read(protocol)
    protocol.readMessageEnd()
    if buffer.read(1):
        raise RuntimeError(f"the reply to {method} is longer than the one it was sized by")
    for field in result.thrift_spec[1:]:
        if field is not None and getattr(result, field[2]) is not None:
            raise getattr(result, field[2])
    return getattr(result, "success", None)  # None for a void method


class PreparedCall:
    """A pre-encoded request, its method (None for the echo floor: nothing to decode) and the size
    of its reply."""

    def __init__(self, method, request, reply_size):
        self.method, self.request, self.reply_size = method, request, reply_size


def learned_call(connection, method, *arguments):
    """A PreparedCall whose reply size is learned from one Apache Thrift client call of the same
    method and arguments on `connection`, and that call's result."""
    request = encode_call(method, getattr(CloudScoot, f"{method}_args")(*arguments))
    result, sent, reply_size = connection.call(method, *arguments)
    if sent != len(request):
        raise RuntimeError(f"{method}: the client sent {sent} bytes, we encoded {len(request)}")
    return PreparedCall(method, request, reply_size), result


# --- Workloads ----------------------------------------------------------------------------------

def job_definition(tasks, argv):
    return JobDefinition(tasks=[TaskDefinition(command=Command(argv=argv), taskId=f"task-{index:06d}")
                                for index in range(tasks)], requestor="bench")


def wait_until(predicate, what):
    deadline = time.monotonic() + SETUP_TIMEOUT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


def summary(latencies_ns, elapsed_ns, cpu, cycle):
    ordered = sorted(latencies_ns)
    cpu_ns, cpu_source = cpu
    return {"calls": len(ordered), "calls_per_s": len(ordered) / (elapsed_ns / 1e9),
            "p50_ms": percentile(ordered, 0.5) / 1e6, "p99_ms": percentile(ordered, 0.99) / 1e6,
            "max_ms": ordered[-1] / 1e6, "cpu_us_per_call": cpu_ns / len(ordered) / 1e3, "cpu_source": cpu_source,
            "wire": [[len(call.request), call.reply_size] for call in cycle]}


class Bench:
    """The workloads against one server. In echo mode each timed workload sends its cycle of sizes."""

    def __init__(self, options):
        self.options = options
        self.pid = options.pid
        self.echo_sizes = json.loads(options.echo_sizes) if options.echo_sizes else None

    def count(self, calls):
        return max(1, int(calls * self.options.scale))

    def connect(self):
        return Connection(self.options.host, self.options.port)

    def measure(self, connection, cycle, calls, warmup, batch=None, after_batch=None):
        """Times `calls` exchanges going round `cycle` after `warmup` untimed ones. With `batch`,
        in batches of that many, each followed by `after_batch(its replies)` (untimed, and its
        server CPU left out); the warm-up is one more batch."""
        replies = []
        for index in range(warmup):
            call = cycle[index % len(cycle)]
            reply = connection.exchange(call.request, call.reply_size)
            if after_batch:
                replies.append(bytes(reply))
        if after_batch:
            after_batch(replies)
        latencies, elapsed, cpu_ns, cpu_sources = [], 0, 0, set()
        while len(latencies) < calls:
            size = min(batch or calls, calls - len(latencies))
            replies = []
            before = cpu_reading(self.pid)
            start = time.perf_counter_ns()
            for _ in range(size):
                index = len(latencies)
                call = cycle[index % len(cycle)]
                sent = time.perf_counter_ns()
                reply = connection.exchange(call.request, call.reply_size)
                latencies.append(time.perf_counter_ns() - sent)
                if after_batch:
                    replies.append(bytes(reply))
                if call.method and (index % VALIDATE_EVERY == 0 or index >= calls - len(cycle)):
                    decode_reply(reply, call.method)
            elapsed += time.perf_counter_ns() - start
            used, source = cpu_between(before, cpu_reading(self.pid))
            cpu_ns += used
            cpu_sources.add(source)
            if after_batch:
                after_batch(replies)
        return summary(latencies, elapsed, (cpu_ns, "+".join(sorted(cpu_sources))), cycle)

    def measure_echo(self, name, calls, warmup, batch=None):
        cycle = [PreparedCall(None, bytes(request), reply) for request, reply in self.echo_sizes[name]]
        connection = EchoConnection(self.options.host, self.options.port, self.echo_sizes[name])
        try:
            return self.measure(connection, cycle, calls, warmup, batch)
        finally:
            connection.close()

    def submit(self, connection, tasks, argv):
        return connection.call("RunJob", job_definition(tasks, argv))[0].id

    def wait_completed(self, connection, job_id):
        if self.options.runs_tasks:
            wait_until(lambda: connection.call("GetStatus", job_id)[0].status == Status.COMPLETED, f"job {job_id}")

    def status_of_finished_job(self, name, tasks, calls, warmup):
        """GetStatus of a job whose tasks have all run (`sleep 0`), so that serve's taskData holds
        every task (the Python server reports every task PENDING, with the same fields)."""
        if self.echo_sizes:
            return self.measure_echo(name, calls, warmup)
        connection = self.connect()
        job_id = self.submit(connection, tasks, ["sleep", "0"])
        self.wait_completed(connection, job_id)
        return self.measure(connection, [learned_call(connection, "GetStatus", job_id)[0]], calls, warmup)

    def getstatus_1(self):
        return self.status_of_finished_job("getstatus_1", 1, self.count(20_000), 500)

    def getstatus_1000(self):
        return self.status_of_finished_job("getstatus_1000", 1000, self.count(1_000), 20)

    def settings(self):
        """GetClassLoadPercents, SetClassLoadPercents (same value), GetRebalanceThreshold,
        SetRebalanceThreshold (same value), round and round."""
        calls = self.count(20_000)
        if self.echo_sizes:
            return self.measure_echo("settings", calls, 400)
        connection = self.connect()
        percents = connection.call("GetClassLoadPercents")[0]
        threshold = connection.call("GetRebalanceThreshold")[0]
        cycle = [learned_call(connection, *call)[0] for call in [
            ("GetClassLoadPercents",), ("SetClassLoadPercents", percents), ("GetRebalanceThreshold",),
            ("SetRebalanceThreshold", threshold)]]
        return self.measure(connection, cycle, calls, 400)

    def blocker(self):
        """A job of one `sleep 100000` task per worker, so that later tasks stay queued."""
        connection = self.connect()
        job_id = self.submit(connection, self.options.workers, ["sleep", "100000"])
        if self.options.runs_tasks:
            wait_until(lambda: all(status == Status.IN_PROGRESS for status in
                                   (connection.call("GetStatus", job_id)[0].taskStatus or {}).values()),
                       "the blocker's tasks to start")
        return {"job": job_id}

    def runjob_1(self):
        """RunJob of a 1-task job (queued behind the blocker), one after another, in batches of
        RUNJOB_BATCH: the jobs of each batch are then killed (untimed), as Scoot's limit of 100
        jobs in progress per requestor would refuse more."""
        calls = self.count(2_000)
        if self.echo_sizes:
            return self.measure_echo("runjob_1", calls, 20, RUNJOB_BATCH)
        connection = self.connect()
        submit, first_job = learned_call(connection, "RunJob", job_definition(1, ["sleep", "1000"]))
        connection.call("KillJob", first_job.id)

        def kill_batch(replies):
            for reply in replies:
                connection.call("KillJob", decode_reply(reply, "RunJob").id)

        return self.measure(connection, [submit], calls, 20, RUNJOB_BATCH, kill_batch)

    def kill(self, name, tasks, kills):
        """KillJob of a freshly submitted (queued) job of `tasks` tasks, `kills` times; each
        submission is untimed and so is the server CPU between the kills."""
        if self.echo_sizes:
            return self.measure_echo(name, kills, 1)
        connection = self.connect()
        submit, first_job = learned_call(connection, "RunJob", job_definition(tasks, ["sleep", "1000"]))
        reply_size = learned_call(connection, "KillJob", first_job.id)[0].reply_size  # also a warm-up
        latencies, cpu_ns, cpu_sources, kill = [], 0, set(), None
        for _ in range(kills):
            job_id = decode_reply(connection.exchange(submit.request, submit.reply_size), "RunJob").id
            kill = PreparedCall("KillJob", encode_call("KillJob", CloudScoot.KillJob_args(job_id)), reply_size)
            before = cpu_reading(self.pid)
            sent = time.perf_counter_ns()
            reply = connection.exchange(kill.request, kill.reply_size)
            latencies.append(time.perf_counter_ns() - sent)
            used, source = cpu_between(before, cpu_reading(self.pid))
            cpu_ns += used
            cpu_sources.add(source)
            decode_reply(reply, "KillJob")
        return summary(latencies, sum(latencies), (cpu_ns, "+".join(sorted(cpu_sources))), [kill])

    def killjob_1000(self):
        return self.kill("killjob_1000", 1000, self.count(100))

    def killjob_100000(self):
        return self.kill("killjob_100000", 100_000, max(1, min(3, self.count(3))))

    def rss_idle(self):
        time.sleep(SETTLE_S)
        return {"rss_mib": rss_mib(self.pid)}

    def rss_queued_10k(self):
        """10 jobs of 1,000 queued tasks (behind the blocker)."""
        connection = self.connect()
        for _ in range(10):
            self.submit(connection, 1000, ["sleep", "1000"])
        time.sleep(SETTLE_S)
        return {"rss_mib": rss_mib(self.pid)}

    def rss_job_100k(self):
        """One queued job of 100,000 tasks (behind the blocker)."""
        self.submit(self.connect(), 100_000, ["sleep", "1000"])
        time.sleep(SETTLE_S)
        return {"rss_mib": rss_mib(self.pid)}


WORKLOADS = ["getstatus_1", "settings", "getstatus_1000", "blocker", "runjob_1", "killjob_1000", "killjob_100000",
             "rss_idle", "rss_queued_10k", "rss_job_100k"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id, for /proc")
    parser.add_argument("--runs-tasks", action="store_true", help="the server runs tasks: wait for them")
    parser.add_argument("--workers", type=int, default=1, help="the server's workers (the blocker's tasks)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every call count (for a quick run)")
    parser.add_argument("--echo-sizes", help="JSON: workload -> [[request bytes, reply bytes], ...]")
    parser.add_argument("workloads", nargs="+", choices=WORKLOADS)
    options = parser.parse_args()
    bench = Bench(options)
    results = {name: getattr(bench, name)() for name in options.workloads}
    json.dump(results, sys.stdout)
    print()


if __name__ == "__main__":
    main()
