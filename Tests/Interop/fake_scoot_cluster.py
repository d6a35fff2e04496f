"""A fake Scoot cluster in one process, for tests that cannot run real Scoot: N fake workers
(fake_scoot_worker.py) and a fake scheduler (fake_scoot_scheduler.py) driving them, each on
ephemeral ports of 127.0.0.1.

Usage: fake_scoot_cluster.py [--workers N] [--metrics-latch SECONDS] [--poll-max SECONDS]
Prints one line once everything listens,
  CLUSTER {"scheduler": "127.0.0.1:P", "http": "127.0.0.1:H",
           "workers": ["127.0.0.1:W1", ...], "workerHttp": ["127.0.0.1:O1", ...]}
where "scheduler" is the CloudScoot address, "http" the scheduler's metrics address, "workers"
the workers' Worker-service addresses (also their node ids in the scheduler) and "workerHttp"
their output servers, in the same order. Then serves until SIGTERM or SIGINT and exits 0.

From Python, `start_cluster()` returns a running Cluster; close() stops it."""
import argparse
import json

from fake_scoot_common import serve_until_terminated
from fake_scoot_scheduler import FakeScheduler
from fake_scoot_worker import FakeWorker

HOST = "127.0.0.1"


class Cluster:
    def __init__(self, workers, scheduler):
        self.workers = workers
        self.scheduler = scheduler

    def description(self):
        return {"scheduler": self.scheduler.address, "http": f"{HOST}:{self.scheduler.http_port}",
                "workers": [worker.address for worker in self.workers],
                "workerHttp": [f"{HOST}:{worker.http_port}" for worker in self.workers]}

    def close(self):
        self.scheduler.close()
        for worker in self.workers:
            worker.close()


def start_cluster(workers=4, metrics_latch=60.0, poll_max=10.0):
    fakes = [FakeWorker(HOST) for _ in range(workers)]
    scheduler = FakeScheduler([worker.address for worker in fakes], HOST, metrics_latch=metrics_latch,
                              poll_max=poll_max).start()
    return Cluster(fakes, scheduler)


def main():
    parser = argparse.ArgumentParser(description="A fake Scoot cluster: fake workers and a fake scheduler.")
    parser.add_argument("--workers", type=int, default=4, metavar="N")
    parser.add_argument("--metrics-latch", type=float, default=60.0, metavar="SECONDS", help="metrics snapshot interval")
    parser.add_argument("--poll-max", type=float, default=10.0, metavar="SECONDS", help="longest interval between polls of a run")
    options = parser.parse_args()
    cluster = start_cluster(options.workers, options.metrics_latch, options.poll_max)
    serve_until_terminated(f"CLUSTER {json.dumps(cluster.description())}", cluster)


if __name__ == "__main__":
    main()
