"""Crash recovery against `scoot-console serve`.

  crash_suite.py PORT submit JOBS TASKS IDS_FILE   submits JOBS jobs of TASKS short tasks, writes their ids
  crash_suite.py PORT verify IDS_FILE              waits until every job is COMPLETED and checks each task ran
"""
import json
import sys
import time

from check import check, check_equal, finish
from scoot import CloudScoot
from scoot.ttypes import Command, JobDefinition, RunStatusState, Status, TaskDefinition
from thrift.protocol import TBinaryProtocol
from thrift.transport import TSocket, TTransport

PORT = int(sys.argv[1])


def connect():
    sock = TSocket.TSocket("127.0.0.1", PORT)
    sock.setTimeout(20000)
    transport = TTransport.TBufferedTransport(sock)
    transport.open()
    return CloudScoot.Client(TBinaryProtocol.TBinaryProtocol(transport)), transport


client, transport = connect()
if sys.argv[2] == "submit":
    jobs, tasks, ids_file = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    ids = []
    for job in range(jobs):
        definition = JobDefinition(
            tasks=[TaskDefinition(command=Command(argv=["sleep", "0.02"]), taskId=f"task-{index}") for index in range(tasks)],
            requestor=f"crash-{job % 5}")
        ids.append(client.RunJob(definition).id)
        with open(ids_file, "w") as file:  # every acknowledged id, as soon as it is acknowledged
            json.dump(ids, file)
    check_equal("every job accepted", len(ids), jobs)
else:
    with open(sys.argv[3]) as file:
        ids = json.load(file)
    deadline = time.time() + 120
    pending = set(ids)
    while pending and time.time() < deadline:
        pending = {job for job in pending if client.GetStatus(job).status != Status.COMPLETED}
        time.sleep(0.2)
    check_equal("every accepted job completed after the crash", sorted(pending), [])
    for job in ids:
        status = client.GetStatus(job)
        states = {data.status for data in status.taskData.values()}
        check(f"{job}: every task ran to COMPLETE", status.status == Status.COMPLETED and states == {RunStatusState.COMPLETE}
              and len(status.taskData) == len(status.taskStatus), f"{status.status} {states}")
transport.close()
finish()
