"""Apache Thrift's Python client against scoot-console's CloudScoot server (the in-memory
handler). Calls every one of the 15 RPCs and checks values, declared exceptions and
TApplicationException cases, over unframed (as Scoot), old-style unversioned and framed
transports. Usage: client_suite.py PORT (PYTHONPATH must hold the code generated from idl/)."""
import re
import socket
import struct
import sys

from check import check, check_equal, check_raises, finish
from scoot import CloudScoot
from scoot.ttypes import (
    Command, InvalidRequest, JobDefinition, OfflineWorkerReq, ReinstateWorkerReq, RunStatusState,
    Status, TaskDefinition,
)
from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TApplicationException, TMessageType
from thrift.transport import TSocket, TTransport

PORT = int(sys.argv[1])
UUID_V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def connect(framed=False, strict_write=True, accelerated=False):
    sock = TSocket.TSocket("127.0.0.1", PORT)
    sock.setTimeout(10000)
    transport = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    if accelerated:
        protocol = TBinaryProtocol.TBinaryProtocolAccelerated(transport)
    else:
        protocol = TBinaryProtocol.TBinaryProtocol(transport, strictWrite=strict_write)
    transport.open()
    return CloudScoot.Client(protocol), transport


client, transport = connect()


def reconnect():
    """Scoot closes the connection after every TApplicationException; so does our server."""
    global client, transport
    transport.close()
    client, transport = connect()


def task(task_id, *argv):
    return TaskDefinition(command=Command(argv=list(argv), envVars={"K": "V"}), taskId=task_id, snapshotId="snap")


def application_error(kind, text):
    return lambda e: e.type == kind and e.message == text


# 6, 7: scheduler status
check_equal("GetSchedulerStatus initial", (client.GetSchedulerStatus().currentTasks, client.GetSchedulerStatus().maxTasks), (0, -1))

# 1: RunJob
job_id = client.RunJob(JobDefinition(tasks=[task("t1", "echo", "hi"), task("t2", "true")], requestor="ci", priority=1)).id
check("RunJob returns a lowercase UUID v4", UUID_V4.match(job_id) is not None, job_id)
check_raises("RunJob without tasks is InvalidRequest", InvalidRequest,
             lambda: client.RunJob(JobDefinition(tasks=[])),
             lambda e: e.message == "invalid job. Must have at least 1 task; was empty")
check_raises("RunJob task without taskId is InvalidRequest", InvalidRequest,
             lambda: client.RunJob(JobDefinition(tasks=[TaskDefinition(command=Command(argv=["x"]))])),
             lambda e: e.message == "nil taskId")
check_raises("RunJob with empty argv is InvalidRequest", InvalidRequest,
             lambda: client.RunJob(JobDefinition(tasks=[task("t1")])),
             lambda e: e.message == "invalid task.Command.Argv. Must have at least one argument; was empty")
check_raises("RunJob with priority 5 is InvalidRequest", InvalidRequest,
             lambda: client.RunJob(JobDefinition(tasks=[task("t1", "x")], priority=5)),
             lambda e: e.message == "invalid priority 5, must be between 0-2 inclusive")
check_raises("RunJob with duplicate task ids is InvalidRequest", InvalidRequest,
             lambda: client.RunJob(JobDefinition(tasks=[task("t1", "x"), task("t1", "y")])),
             lambda e: e.message == "invalid dup taskID t1")

# 2: GetStatus
status = client.GetStatus(job_id)
check_equal("GetStatus of a queued job", (status.id, status.status, status.taskStatus, status.taskData),
            (job_id, Status.IN_PROGRESS, {"t1": Status.NOT_STARTED, "t2": Status.NOT_STARTED}, {}))
unknown = client.GetStatus("no-such-job")
check_equal("GetStatus of an unknown id is NOT_STARTED", (unknown.id, unknown.status, unknown.taskStatus, unknown.taskData),
            ("no-such-job", Status.NOT_STARTED, {}, {}))
check_equal("GetSchedulerStatus counts queued tasks", client.GetSchedulerStatus().currentTasks, 2)

# 3: KillJob
killed = client.KillJob(job_id)
check_equal("KillJob completes the job", (killed.status, killed.taskStatus), (Status.COMPLETED, {"t1": Status.COMPLETED, "t2": Status.COMPLETED}))
aborted = killed.taskData["t1"]
check_equal("KillJob task data is ABORTED/UserRequested", (aborted.status, aborted.runId, aborted.error, aborted.exitCode),
            (RunStatusState.ABORTED, "", "UserRequested", 0))
check_raises("KillJob twice is INTERNAL_ERROR", TApplicationException, lambda: client.KillJob(job_id),
             application_error(TApplicationException.INTERNAL_ERROR,
                               f"Internal error processing KillJob: job Id {job_id} was already killed, request ignored"))
reconnect()
check_raises("KillJob of an unknown id is INTERNAL_ERROR", TApplicationException, lambda: client.KillJob("nope"),
             application_error(TApplicationException.INTERNAL_ERROR, "Internal error processing KillJob: cannot kill Job Id nope, not found."))
reconnect()
check_equal("GetSchedulerStatus after kill", client.GetSchedulerStatus().currentTasks, 0)

# 4, 5: workers
client.OfflineWorker(OfflineWorkerReq(id="inmemory3", requestor="alice"))
check_raises("OfflineWorker twice is INTERNAL_ERROR", TApplicationException,
             lambda: client.OfflineWorker(OfflineWorkerReq(id="inmemory3", requestor="alice")),
             application_error(TApplicationException.INTERNAL_ERROR,
                               "Internal error processing OfflineWorker: node inmemory3 was not present in nodes. It can't be offlined"))
reconnect()
client.ReinstateWorker(ReinstateWorkerReq(id="inmemory3", requestor="alice"))
check_raises("ReinstateWorker of a healthy node is INTERNAL_ERROR", TApplicationException,
             lambda: client.ReinstateWorker(ReinstateWorkerReq(id="inmemory3", requestor="alice")),
             application_error(TApplicationException.INTERNAL_ERROR,
                               "Internal error processing ReinstateWorker: node inmemory3 was not present in offlinedNodes. It can't be reinstated"))
reconnect()

# 7: SetSchedulerStatus
client.SetSchedulerStatus(50)
check_equal("SetSchedulerStatus then get", client.GetSchedulerStatus().maxTasks, 50)
check_raises("SetSchedulerStatus(-2) is InvalidRequest", InvalidRequest, lambda: client.SetSchedulerStatus(-2),
             lambda e: e.message == "invalid tasks limit:-2. Must be >= -1.")

# 8, 9: class load percents
check_equal("GetClassLoadPercents defaults", client.GetClassLoadPercents(),
            {"land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2, "unknown": 1})
client.SetClassLoadPercents({"land": 60, "diff": 40})
check_equal("SetClassLoadPercents then get", client.GetClassLoadPercents(), {"land": 60, "diff": 40})
check_raises("SetClassLoadPercents({}) is InvalidRequest", InvalidRequest, lambda: client.SetClassLoadPercents({}))
check_raises("SetClassLoadPercents with a negative value is InvalidRequest", InvalidRequest,
             lambda: client.SetClassLoadPercents({"land": -1, "diff": 101}))
check_raises("SetClassLoadPercents all zero is InvalidRequest", InvalidRequest, lambda: client.SetClassLoadPercents({"land": 0}))
check_equal("rejected percents changed nothing", client.GetClassLoadPercents(), {"land": 60, "diff": 40})

# 10, 11: requestor map
check_equal("GetRequestorToClassMap defaults", client.GetRequestorToClassMap(),
            {"land.*": "land", "diff.*": "diff", "sandbox.*": "sandbox", "regression.*": "regression", "CI.*": "regression",
             "jenkins.*": "ktf", "ktf.*": "ktf", "coverage.*": "coverage", "tryout.*": "tryout"})
client.SetRequestorToClassMap({"^ci-.*": "land", "dev": "diff"})
check_equal("SetRequestorToClassMap then get", client.GetRequestorToClassMap(), {"^ci-.*": "land", "dev": "diff"})
check_raises("SetRequestorToClassMap with a bad regex is InvalidRequest", InvalidRequest,
             lambda: client.SetRequestorToClassMap({"(": "land"}))
# A class without a percent is accepted, as Scoot accepts it (its requestors are unmatched).
client.SetRequestorToClassMap({"x": "nosuchclass"})
check_equal("SetRequestorToClassMap with a class without a percent is kept", client.GetRequestorToClassMap(), {"x": "nosuchclass"})

# 12-15: rebalance settings
check_equal("GetRebalanceMinimumDuration default", client.GetRebalanceMinimumDuration(), 4)
client.SetRebalanceMinimumDuration(7)
check_equal("SetRebalanceMinimumDuration then get", client.GetRebalanceMinimumDuration(), 7)
check_equal("GetRebalanceThreshold default", client.GetRebalanceThreshold(), 0)
client.SetRebalanceThreshold(15)
check_equal("SetRebalanceThreshold then get", client.GetRebalanceThreshold(), 15)
transport.close()

# Other transports and header styles.
old_client, old_transport = connect(strict_write=False)
check_equal("unversioned (old-style) headers are accepted", old_client.GetRebalanceThreshold(), 15)
old_transport.close()
framed_client, framed_transport = connect(framed=True)
check_equal("framed transport is detected", framed_client.GetRebalanceMinimumDuration(), 7)
framed_transport.close()
fast_client, fast_transport = connect(accelerated=True)
check_equal("TBinaryProtocolAccelerated client", fast_client.GetSchedulerStatus().maxTasks, 50)
fast_transport.close()


def raw_exchange(payload):
    """Sends raw bytes and returns (message type, TApplicationException) of the reply, and whether
    the server closed the connection afterwards."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as raw:
        raw.sendall(payload)
        received = b""
        while True:
            chunk = raw.recv(65536)
            if not chunk:
                break
            received += chunk
    transport_in = TTransport.TMemoryBuffer(received)
    protocol = TBinaryProtocol.TBinaryProtocol(transport_in)
    name, message_type, seqid = protocol.readMessageBegin()
    exception = TApplicationException()
    exception.read(protocol)
    return name, message_type, seqid, exception


def message(name, seqid, body):
    out = TTransport.TMemoryBuffer()
    protocol = TBinaryProtocol.TBinaryProtocol(out)
    protocol.writeMessageBegin(name, TMessageType.CALL, seqid)
    out.write(body)
    return out.getvalue()


name, message_type, seqid, error = raw_exchange(message("NoSuchMethod", 41, b"\x00"))
check_equal("unknown method is UNKNOWN_METHOD, then close",
            (name, message_type, seqid, error.type, error.message),
            ("NoSuchMethod", TMessageType.EXCEPTION, 41, TApplicationException.UNKNOWN_METHOD, "Unknown function NoSuchMethod"))
# RunJob args {1: JobDefinition {}}: the required field `tasks` is missing.
name, message_type, seqid, error = raw_exchange(message("RunJob", 42, b"\x0c\x00\x01\x00\x00"))
check_equal("missing required field is PROTOCOL_ERROR, then close",
            (name, message_type, seqid, error.type), ("RunJob", TMessageType.EXCEPTION, 42, TApplicationException.PROTOCOL_ERROR))
check("PROTOCOL_ERROR names the field", "tasks" in (error.message or ""), error.message)
# GetStatus args with an invalid type byte.
name, message_type, seqid, error = raw_exchange(message("GetStatus", 43, b"\x11\x00\x01"))
check_equal("garbage type byte is PROTOCOL_ERROR", (seqid, error.type), (43, TApplicationException.PROTOCOL_ERROR))

# The server still answers after all that.
client, transport = connect()
check_equal("server still serving", client.GetRebalanceThreshold(), 15)
transport.close()
finish()
