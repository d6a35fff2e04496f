"""Checks, with Apache Thrift's Python client, that `scoot-console gateway` is a faithful proxy:
every refusal a Scoot scheduler gives (the fake Scoot scheduler here) comes back through the
gateway with the same kind, the same text and the connection closed afterwards, and accepted calls
answer as they do straight at the scheduler.

Usage: gateway_check.py SCHEDULER_HOST:PORT GATEWAY_HOST:PORT
Prints `N passed, N failed` and exits non-zero when anything failed."""
import sys

from fake_scoot_common import load_generated

load_generated()

from scoot import CloudScoot  # noqa: E402  (generated at run time)
from scoot.ttypes import Command, JobDefinition, OfflineWorkerReq, ReinstateWorkerReq, TaskDefinition  # noqa: E402
from thrift.protocol import TBinaryProtocol  # noqa: E402
from thrift.Thrift import TApplicationException  # noqa: E402
from thrift.transport import TSocket, TTransport  # noqa: E402

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}", file=sys.stderr)


def connect(address):
    host, port = address.rsplit(":", 1)
    socket = TSocket.TSocket(host, int(port))
    socket.setTimeout(10_000)
    transport = TTransport.TBufferedTransport(socket)
    transport.open()
    return CloudScoot.Client(TBinaryProtocol.TBinaryProtocol(transport)), transport


def outcome(address, call):
    """What `call` gets from `address`: ("ok", value) or ("error", kind, message, closed)."""
    client, transport = connect(address)
    try:
        return ("ok", call(client))
    except TApplicationException as error:
        # Scoot closes the connection after an exception: the next call on it must fail.
        try:
            client.GetSchedulerStatus()
            closed = False
        except Exception:  # noqa: BLE001 - any failure means the connection is gone
            closed = True
        return ("error", error.type, error.message, closed)
    finally:
        transport.close()


def job(tasks):
    return JobDefinition(tasks=[TaskDefinition(command=Command(argv=["sleep", "1"]), taskId=f"t{i}") for i in range(tasks)],
                         requestor="land-check")


def main():
    scheduler, gateway = sys.argv[1], sys.argv[2]
    refusals = {
        "KillJob of an unknown job": lambda c: c.KillJob("no-such-job"),
        "RunJob of a job without tasks": lambda c: c.RunJob(job(0)),
        "OfflineWorker of an unknown worker": lambda c: c.OfflineWorker(OfflineWorkerReq(id="ghost:1", requestor="check")),
        "ReinstateWorker of a worker never offlined": lambda c: c.ReinstateWorker(ReinstateWorkerReq(id="ghost:1", requestor="check")),
        "SetSchedulerStatus below -1": lambda c: c.SetSchedulerStatus(-5),
    }
    for what, call in refusals.items():
        direct = outcome(scheduler, call)
        through = outcome(gateway, call)
        check(direct[0] == "error", f"{what}: the scheduler refuses it ({direct})")
        check(through == direct, f"{what}: the gateway answers as the scheduler: {through} != {direct}")

    # Accepted calls answer alike.
    check(outcome(gateway, lambda c: c.GetStatus("no-such-job")) == outcome(scheduler, lambda c: c.GetStatus("no-such-job")),
          "GetStatus of an unknown id")
    check(outcome(gateway, lambda c: c.GetClassLoadPercents()) == outcome(scheduler, lambda c: c.GetClassLoadPercents()),
          "GetClassLoadPercents")
    accepted = outcome(gateway, lambda c: c.RunJob(job(2)))
    check(accepted[0] == "ok" and len(accepted[1].id) == 36, f"RunJob through the gateway returns Scoot's job id ({accepted})")
    if accepted[0] == "ok":
        status = outcome(scheduler, lambda c: c.GetStatus(accepted[1].id))
        check(status[0] == "ok" and sorted(status[1].taskStatus) == ["t0", "t1"], f"the scheduler has the job ({status})")
    # A second kill of a killed job: the scheduler's text, through the gateway.
    if accepted[0] == "ok":
        first = outcome(gateway, lambda c: c.KillJob(accepted[1].id))
        check(first[0] == "ok", f"the first kill is accepted ({first})")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
