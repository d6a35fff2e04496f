"""Fairness under one huge request: a second process calls GetSchedulerStatus back to back while
this one sends a job of TASKS `true` tasks, kills it and reads its status; prints how long the
second client waited during each call. Usage (PYTHONPATH holding `thrift --gen py idl/scoot.thrift`):
  fairness.py PORT TASKS      against `scoot-console serve --simulated-workers 50`"""
import sys, time, multiprocessing
from scoot import CloudScoot
from scoot.ttypes import *
from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol

PORT = int(sys.argv[1]); TASKS = int(sys.argv[2])
def connect():
    s = TSocket.TSocket("127.0.0.1", PORT); s.setTimeout(600000)
    t = TTransport.TBufferedTransport(s); t.open()
    p = TBinaryProtocol.TBinaryProtocolAccelerated(t, string_length_limit=1<<30, container_length_limit=1<<24)
    return CloudScoot.Client(p)

def watcher(queue, stop):
    c = connect(); out = []
    while not stop.is_set():
        t0 = time.perf_counter(); c.GetSchedulerStatus(); t1 = time.perf_counter()
        out.append((t0, (t1 - t0) * 1000))
    queue.put(out)

if __name__ == "__main__":
    q = multiprocessing.Queue(); stop = multiprocessing.Event()
    w = multiprocessing.Process(target=watcher, args=(q, stop)); w.start()
    c = connect()
    job = JobDefinition(tasks=[TaskDefinition(command=Command(argv=["true"]), taskId=f"task-{i:06d}") for i in range(TASKS)], requestor="big")
    time.sleep(0.5)
    marks = []
    def timed(name, f):
        t0 = time.perf_counter(); r = f(); t1 = time.perf_counter(); marks.append((name, t0, t1)); return r
    jid = timed("RunJob", lambda: c.RunJob(job).id); time.sleep(1)
    timed("KillJob", lambda: c.KillJob(jid)); time.sleep(1)
    timed("GetStatus", lambda: c.GetStatus(jid)); time.sleep(0.5)
    stop.set(); samples = q.get(); w.join()
    for name, t0, t1 in marks:
        during = sorted(d for (s, d) in samples if s + d / 1000 >= t0 and s <= t1)
        print(f"{TASKS} tasks {name}: {1000*(t1-t0):.1f} ms at the client; other client's GetSchedulerStatus during it: n={len(during)} max {during[-1] if during else 0:.1f} ms p99 {during[int(len(during)*0.99)] if during else 0:.2f} ms")
    allv = sorted(d for _, d in samples)
    print(f"  other client overall: n={len(allv)} p50 {allv[len(allv)//2]:.3f} p99 {allv[int(len(allv)*.99)]:.2f} max {allv[-1]:.1f} ms")
