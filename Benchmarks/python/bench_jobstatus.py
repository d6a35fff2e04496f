"""Encodes and decodes a JobStatus with N tasks using Apache Thrift's Python
TBinaryProtocolAccelerated (the C extension), and prints the median time of each in µs as JSON.
The value is built exactly as Benchmarks/scoot-bench builds its own. Usage:
bench_jobstatus.py TASKS ITERATIONS (PYTHONPATH must hold the code generated from idl/)."""
import json
import statistics
import sys
import time

from scoot.ttypes import JobStatus, RunStatus, RunStatusState, Status
from thrift.protocol import TBinaryProtocol
from thrift.transport import TTransport


def job_status(tasks):
    task_status = {}
    task_data = {}
    for index in range(tasks):
        task_id = f"task-{index:05d}"
        task_status[task_id] = Status.COMPLETED
        task_data[task_id] = RunStatus(
            status=RunStatusState.COMPLETE, runId=f"run-{index}", outUri=f"file:///var/scoot/{task_id}/stdout",
            errUri=f"file:///var/scoot/{task_id}/stderr", exitCode=index % 3, snapshotId="snapshot-abcdef")
    return JobStatus(id="4b0f8f1e-7f0c-4a53-9d1e-2f9a8c6b5e41", status=Status.COMPLETED, taskStatus=task_status,
                     taskData=task_data)


def encode(value):
    buffer = TTransport.TMemoryBuffer()
    value.write(TBinaryProtocol.TBinaryProtocolAccelerated(buffer))
    return buffer.getvalue()


def decode(data):
    value = JobStatus()
    value.read(TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TMemoryBuffer(data)))
    return value


def median_us(action, iterations):
    samples = []
    for _ in range(iterations):
        start = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(samples)


def main():
    tasks, iterations = int(sys.argv[1]), int(sys.argv[2])
    value = job_status(tasks)
    data = encode(value)
    assert decode(data) == value
    for _ in range(20):  # warm up
        decode(encode(value))
    print(json.dumps({"encode_us": median_us(lambda: encode(value), iterations),
                      "decode_us": median_us(lambda: decode(data), iterations), "bytes": len(data)}))


if __name__ == "__main__":
    main()
