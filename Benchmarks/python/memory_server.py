"""The "Python server" baseline of `make bench`'s server comparison: a CloudScoot scheduler kept in
memory, served by Apache Thrift's Python TThreadedServer over unframed TSocket with the
TBinaryProtocolAccelerated factory (the C extension), which is how real Scoot's clients speak.

It serves what the comparison calls, the way a plain Python implementation would: RunJob stores
the job (its tasks waiting, the job IN_PROGRESS); nothing ever runs a task. GetStatus builds the
taskStatus and taskData maps for every task from the stored state at each call. KillJob ends every
waiting task as ABORTED/UserRequested and the job COMPLETED. The settings calls (class load
percents, rebalance threshold and minimum duration) and GetSchedulerStatus read and write fields.

Usage: memory_server.py [--host H] [--port N] (PYTHONPATH must hold the code generated from idl/
by `thrift --gen py`). Prints `PORT <n>` once listening; serves until killed."""
import argparse
import sys
import threading
import uuid

from scoot import CloudScoot
from scoot.ttypes import InvalidRequest, JobId, JobStatus, RunStatus, RunStatusState, SchedulerStatus, Status
from thrift.protocol import TBinaryProtocol
from thrift.server import TServer
from thrift.transport import TSocket, TTransport

USER_REQUESTED = "UserRequested"


class Task:
    """One task: its progress and its run report, PENDING from the start (with the fields serve
    reports for a finished run, so that both servers' replies are of about the same size)."""

    __slots__ = ("status", "run")

    def __init__(self, run_number):
        self.status = Status.NOT_STARTED
        self.run = RunStatus(status=RunStatusState.PENDING, runId=str(run_number),
                             outUri=f"mem://mem-worker-0/runs/{run_number}/stdout",
                             errUri=f"mem://mem-worker-0/runs/{run_number}/stderr", exitCode=0)


class Job:
    def __init__(self, definition, first_run_number):
        self.id = str(uuid.uuid4())
        self.tasks = {task.taskId: Task(first_run_number + index) for index, task in enumerate(definition.tasks)}
        self.status = Status.IN_PROGRESS


class MemoryScheduler:
    """The CloudScoot handler; one lock guards all state, as the server runs a thread per connection."""

    def __init__(self):
        self.lock = threading.Lock()
        self.jobs = {}
        self.unfinished_tasks = 0
        self.runs_numbered = 0
        self.max_tasks = -1
        self.class_load_percents = {"land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2,
                                    "tryout": 2, "unknown": 1}
        self.requestor_to_class = {"land.*": "land", "diff.*": "diff"}
        self.rebalance_threshold = 0
        self.rebalance_minimum_duration = 4

    def RunJob(self, job):
        if job is None or not job.tasks:
            raise InvalidRequest(message="invalid job: no tasks")
        task_ids = [task.taskId for task in job.tasks]
        if any(not task_id for task_id in task_ids) or any(not task.command.argv for task in job.tasks):
            raise InvalidRequest(message="invalid job: a task has no taskId or an empty argv")
        if len(set(task_ids)) != len(task_ids):
            raise InvalidRequest(message="invalid job: repeated taskId")
        with self.lock:
            record = Job(job, self.runs_numbered)
            self.runs_numbered += len(record.tasks)
            self.jobs[record.id] = record
            self.unfinished_tasks += len(record.tasks)
        return JobId(id=record.id)

    @staticmethod
    def _status(job):
        return JobStatus(id=job.id, status=job.status,
                         taskStatus={task_id: task.status for task_id, task in job.tasks.items()},
                         taskData={task_id: task.run for task_id, task in job.tasks.items()})

    def GetStatus(self, jobId):
        if not jobId:
            raise InvalidRequest(message="empty job id")
        with self.lock:
            job = self.jobs.get(jobId)
            if job is None:
                return JobStatus(id=jobId, status=Status.NOT_STARTED, taskStatus={}, taskData={})
            return self._status(job)

    def KillJob(self, jobId):
        with self.lock:
            job = self.jobs.get(jobId)
            if job is None or job.status == Status.COMPLETED:
                raise InvalidRequest(message=f"cannot kill Job Id {jobId}, not found.")
            for task in job.tasks.values():
                if task.status != Status.COMPLETED:
                    task.status = Status.COMPLETED
                    task.run = RunStatus(status=RunStatusState.ABORTED, runId="", error=USER_REQUESTED, exitCode=0)
                    self.unfinished_tasks -= 1
            job.status = Status.COMPLETED
            return self._status(job)

    def OfflineWorker(self, req):
        raise InvalidRequest(message=f"no worker {req.id}")

    def ReinstateWorker(self, req):
        raise InvalidRequest(message=f"no worker {req.id}")

    def GetSchedulerStatus(self):
        with self.lock:
            return SchedulerStatus(currentTasks=self.unfinished_tasks, maxTasks=self.max_tasks)

    def SetSchedulerStatus(self, maxTasks):
        if maxTasks < -1:
            raise InvalidRequest(message=f"invalid maxTasks {maxTasks}")
        with self.lock:
            self.max_tasks = maxTasks

    def GetClassLoadPercents(self):
        with self.lock:
            return dict(self.class_load_percents)

    def SetClassLoadPercents(self, loadPercents):
        if not loadPercents or sum(loadPercents.values()) <= 0 or min(loadPercents.values()) < 0:
            raise InvalidRequest(message="class load percents must be non-negative and sum to more than 0")
        with self.lock:
            self.class_load_percents = dict(loadPercents)

    def GetRequestorToClassMap(self):
        with self.lock:
            return dict(self.requestor_to_class)

    def SetRequestorToClassMap(self, requestorToClassMap):
        with self.lock:
            self.requestor_to_class = dict(requestorToClassMap)

    def GetRebalanceMinimumDuration(self):
        with self.lock:
            return self.rebalance_minimum_duration

    def SetRebalanceMinimumDuration(self, durationMin):
        if durationMin < 0:
            raise InvalidRequest(message=f"invalid duration {durationMin}")
        with self.lock:
            self.rebalance_minimum_duration = durationMin

    def GetRebalanceThreshold(self):
        with self.lock:
            return self.rebalance_threshold

    def SetRebalanceThreshold(self, threshold):
        if threshold < 0:
            raise InvalidRequest(message=f"invalid threshold {threshold}")
        with self.lock:
            self.rebalance_threshold = threshold


class BoundServerSocket(TSocket.TServerSocket):
    """A server socket that listens at once (so the port is known before serving) and only once."""

    def listen(self):
        if self.handle is None:
            super().listen()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()
    listener = BoundServerSocket(host=options.host, port=options.port)
    listener.listen()
    server = TServer.TThreadedServer(
        CloudScoot.Processor(MemoryScheduler()), listener, TTransport.TBufferedTransportFactory(),
        TBinaryProtocol.TBinaryProtocolAcceleratedFactory(), daemon=True)
    print(f"PORT {listener.handle.getsockname()[1]}", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
