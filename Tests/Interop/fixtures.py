"""Byte-exact fixtures: canonical values encoded by Apache Thrift's Python TBinaryProtocol.

  fixtures.py emit          prints {"name": "hex", ...} for every fixture
  fixtures.py check FILE    decodes scoot-console's bytes (same JSON shape) with Apache Thrift and
                            checks each equals the canonical value and re-encodes to the same bytes

The Swift side (Tests/ScootAPITests/PythonFixtureInteropTests.swift) builds the same values."""
import json
import sys

from check import check, check_equal, finish
from alltypes.ttypes import AllTypes, Color, Inner
from scoot import CloudScoot
from scoot.ttypes import (
    CanNotScheduleNow, Command, InvalidRequest, JobDefinition, JobId, JobStatus, JobType, OfflineWorkerReq,
    ReinstateWorkerReq, RunStatus, RunStatusState, SchedulerStatus, ScootServerError, Status, TaskDefinition,
)
from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TApplicationException, TException, TMessageType
from thrift.transport import TTransport

RUN_STATUS_FULL = RunStatus(status=RunStatusState.RUNNING, runId="run-7", outUri="file:///tmp/out", errUri="file:///tmp/err",
                            error="none", exitCode=-1, snapshotId="snap-1", jobId="job-1", taskId="task-1", tag="tag-1")
COMMAND = Command(argv=["sh", "-c", "echo ü"], envVars={"A": "1", "B": "2"})
TASK = TaskDefinition(command=COMMAND, snapshotId="snap", taskId="t1", timeoutMs=1000)
JOB = JobDefinition(tasks=[TASK, TaskDefinition(command=Command(argv=["true"]), taskId="t2")],
                    DEPRECATED_jobType=JobType.IRON_TESTS, defaultTaskTimeoutMs=5000, priority=2, tag="tag", basis="basis",
                    requestor="ci", jobType="land")
JOB_STATUS = JobStatus(id="job-1", status=Status.IN_PROGRESS, taskStatus={"a": Status.COMPLETED, "b": Status.NOT_STARTED},
                       taskData={"a": RUN_STATUS_FULL})
# Sets hold one element: Python writes sets in hash order, which is not stable across runs.
ALL_TYPES = AllTypes(
    flag=True, tiny=-8, small=-300, medium=70000, large=-(2**40), real=2.5, text="héllo", blob=b"\x00\xff\x10",
    inner=Inner(name="in", count=3), numbers=[1, -2, 3], words=["a", "b"], wordSet={"x"}, longSet={-5},
    counts={"a": 1, "b": 2}, names={1: "one", 2: "two"}, groups={"g": ["p", "q"], "h": []}, matrix=[[1, 2], [], [3]],
    color=Color.GREEN, optionalText="opt", requiredNumber=42)

STRUCTS = {
    "InvalidRequest": InvalidRequest(message="bad request"),
    "InvalidRequest.empty": InvalidRequest(),
    "CanNotScheduleNow": CanNotScheduleNow(retryAfterMs=1500),
    "ScootServerError.empty": ScootServerError(),
    "RunStatus.full": RUN_STATUS_FULL,
    "RunStatus.minimal": RunStatus(status=RunStatusState.PENDING, runId=""),
    "Command": COMMAND,
    "TaskDefinition": TASK,
    "JobDefinition": JOB,
    "JobId": JobId(id="4b0f8f1e-7f0c-4a53-9d1e-2f9a8c6b5e41"),
    "JobStatus": JOB_STATUS,
    "JobStatus.unknown": JobStatus(id="nope", status=Status.NOT_STARTED, taskStatus={}, taskData={}),
    "OfflineWorkerReq": OfflineWorkerReq(id="host:9092", requestor="alice"),
    "ReinstateWorkerReq": ReinstateWorkerReq(id="host:9092", requestor="bob"),
    "SchedulerStatus": SchedulerStatus(currentTasks=12, maxTasks=-1),
    "TApplicationException": TApplicationException(TApplicationException.INTERNAL_ERROR, "Internal error processing X: y"),
    "AllTypes": ALL_TYPES,
    "AllTypes.minimal": AllTypes(requiredNumber=0),
}

# Whole messages: (name, message type, seqid, body struct).
MESSAGES = {
    "message.RunJob.call": ("RunJob", TMessageType.CALL, 1, CloudScoot.RunJob_args(job=JOB)),
    "message.GetStatus.reply": ("GetStatus", TMessageType.REPLY, 2, CloudScoot.GetStatus_result(success=JOB_STATUS)),
    "message.RunJob.reply.exception": ("RunJob", TMessageType.REPLY, 3, CloudScoot.RunJob_result(ir=InvalidRequest(message="no"))),
    "message.SetRebalanceThreshold.call": ("SetRebalanceThreshold", TMessageType.CALL, -5, CloudScoot.SetRebalanceThreshold_args(threshold=20)),
    "message.SetRebalanceThreshold.reply": ("SetRebalanceThreshold", TMessageType.REPLY, -5, CloudScoot.SetRebalanceThreshold_result()),
    "message.KillJob.exception": ("KillJob", TMessageType.EXCEPTION, 9,
                                  TApplicationException(TApplicationException.INTERNAL_ERROR, "Internal error processing KillJob: no")),
}


def encode(value, protocol_class=TBinaryProtocol.TBinaryProtocol, message=None):
    buffer = TTransport.TMemoryBuffer()
    protocol = protocol_class(buffer)
    if message:
        protocol.writeMessageBegin(*message)
    value.write(protocol)
    if message:
        protocol.writeMessageEnd()
    return buffer.getvalue()


def decode(cls, data, with_message=False):
    protocol = TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data))
    header = protocol.readMessageBegin() if with_message else None
    if issubclass(cls, TException) and cls is not TApplicationException:
        # Generated exceptions are immutable in Apache Thrift's Python: `read` is a classmethod
        # that returns a new instance.
        return header, cls.read(protocol)
    value = cls()
    value.read(protocol)
    return header, value


def comparable(value):
    """TApplicationException has no value equality in Apache Thrift's Python; compare its fields."""
    if isinstance(value, TApplicationException):
        return ("TApplicationException", value.type, value.message)
    return value


def canonical():
    encoded = {name: encode(value) for name, value in STRUCTS.items()}
    for name, (method, message_type, seqid, body) in MESSAGES.items():
        encoded[name] = encode(body, message=(method, message_type, seqid))
    return encoded


def main():
    mode = sys.argv[1]
    ours = canonical()
    if mode == "emit":
        # The C accelerator must agree with the pure-Python encoder byte for byte.
        for name, value in STRUCTS.items():
            if encode(value, TBinaryProtocol.TBinaryProtocolAccelerated) != ours[name]:
                raise SystemExit(f"accelerated and pure-Python encodings differ for {name}")
        print(json.dumps({name: data.hex() for name, data in ours.items()}, indent=1, sort_keys=True))
        return
    with open(sys.argv[2]) as file:
        theirs = {name: bytes.fromhex(text) for name, text in json.load(file).items()}
    check_equal("fixture names", sorted(theirs), sorted(ours))
    for name, data in theirs.items():
        check_equal(f"{name}: bytes equal Apache Thrift's", data.hex(), ours.get(name, b"").hex())
        if name in STRUCTS:
            _, value = decode(type(STRUCTS[name]), data)
            check_equal(f"{name}: Apache Thrift decodes our bytes", comparable(value), comparable(STRUCTS[name]))
        elif name in MESSAGES:
            method, message_type, seqid, body = MESSAGES[name]
            header, value = decode(type(body), data, with_message=True)
            check_equal(f"{name}: Apache Thrift decodes our message", (header, comparable(value)),
                        ((method, message_type, seqid), comparable(body)))
    finish()


if __name__ == "__main__":
    main()
