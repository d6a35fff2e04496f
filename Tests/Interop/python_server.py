"""A CloudScoot server built with Apache Thrift's Python TSimpleServer, for scoot-console's
client to call. Prints `PORT <n>` once listening. Usage: python_server.py [--framed].
Its deterministic handler is mirrored by Tests/ScootAPITests/PythonServerInteropTests.swift."""
import sys

from scoot import CloudScoot
from scoot.ttypes import (
    InvalidRequest, JobId, JobStatus, RunStatus, RunStatusState, SchedulerStatus, ScootServerError, Status,
)
from thrift.protocol import TBinaryProtocol
from thrift.server import TServer
from thrift.transport import TSocket, TTransport


class Handler:
    def __init__(self):
        self.max_tasks = -1
        self.percents = {"land": 40, "diff": 60}
        self.requestor_map = {"land.*": "land"}
        self.minimum_duration = 4
        self.threshold = 0
        self.offlined = set()
        self.jobs = []

    def RunJob(self, job):
        if not job.tasks:
            raise InvalidRequest(message="no tasks")
        self.jobs.append(job)
        return JobId(id=f"job-{len(self.jobs)}:{job.tasks[0].command.argv[0]}:{job.requestor}:{job.priority}")

    def _status(self, job_id, status):
        return JobStatus(
            id=job_id, status=status, taskStatus={"t1": Status.COMPLETED, "t2": Status.IN_PROGRESS},
            taskData={"t1": RunStatus(status=RunStatusState.COMPLETE, runId="run-1", outUri="file:///out", errUri="file:///err",
                                      exitCode=3, snapshotId="snap", jobId=job_id, taskId="t1", tag="tag")})

    def GetStatus(self, job_id):
        if job_id == "unavailable":
            raise ScootServerError(retryAfterMs=1500)
        if job_id == "":
            raise InvalidRequest(message="empty id")
        if job_id == "crash":
            raise ValueError("crash")
        return self._status(job_id, Status.IN_PROGRESS)

    def KillJob(self, job_id):
        return self._status(job_id, Status.COMPLETED)

    def OfflineWorker(self, req):
        if req.requestor != "admin":
            raise InvalidRequest(message=f"requestor {req.requestor} unauthorized to offline worker")
        self.offlined.add(req.id)

    def ReinstateWorker(self, req):
        if req.id not in self.offlined:
            raise ScootServerError(retryAfterMs=7)
        self.offlined.discard(req.id)

    def GetSchedulerStatus(self):
        return SchedulerStatus(currentTasks=len(self.jobs), maxTasks=self.max_tasks)

    def SetSchedulerStatus(self, max_tasks):
        if max_tasks < -1:
            raise InvalidRequest(message="bad limit")
        self.max_tasks = max_tasks

    def GetClassLoadPercents(self):
        return self.percents

    def SetClassLoadPercents(self, percents):
        self.percents = percents

    def GetRequestorToClassMap(self):
        return self.requestor_map

    def SetRequestorToClassMap(self, mapping):
        self.requestor_map = mapping

    def GetRebalanceMinimumDuration(self):
        return self.minimum_duration

    def SetRebalanceMinimumDuration(self, minutes):
        self.minimum_duration = minutes

    def GetRebalanceThreshold(self):
        return self.threshold

    def SetRebalanceThreshold(self, threshold):
        if threshold == 999:
            raise ScootServerError()
        self.threshold = threshold


class ReportingServerSocket(TSocket.TServerSocket):
    """Binds an ephemeral port and tells the test which one, once listening."""

    def listen(self):
        super().listen()
        print(f"PORT {self.handle.getsockname()[1]}", flush=True)


def main():
    framed = "--framed" in sys.argv
    transport_factory = TTransport.TFramedTransportFactory() if framed else TTransport.TBufferedTransportFactory()
    server = TServer.TSimpleServer(
        CloudScoot.Processor(Handler()), ReportingServerSocket(host="127.0.0.1", port=0),
        transport_factory, TBinaryProtocol.TBinaryProtocolFactory())
    server.serve()


if __name__ == "__main__":
    main()
