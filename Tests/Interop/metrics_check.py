"""Reads `GET /admin/metrics.json` from `scoot-console serve` and checks Scoot's key names.
Usage: metrics_check.py HTTP_PORT"""
import json
import sys
import urllib.error
import urllib.request

from check import check, check_equal, finish

PORT = int(sys.argv[1])
base = f"http://127.0.0.1:{PORT}"
with urllib.request.urlopen(f"{base}/admin/metrics.json") as response:
    check_equal("content type", response.headers["Content-Type"], "application/json")
    stats = json.loads(response.read())
for key in ["schedAcceptedJobsGauge", "schedWaitingJobsGauge", "schedInProgressTasksGauge", "schedNumRunningTasksGauge",
            "schedNumWaitingTasksGauge", "availableNodes", "freeNodes", "runningNodes", "lostNodes", "offlinedNodes",
            "schedJobsCounter", "completedTaskCounter", "runJobRpmCounter", "jobStatusRpmCounter", "runJobLatency_ms.p50",
            "runJobLatency_ms.p99", "jobStatusLatency_ms.count", "schedClassTargetPct_land", "schedRunningTasks_land",
            "schedUptimeGauge_ms"]:
    check(f"scheduler/{key} is present", f"scheduler/{key}" in stats, sorted(stats)[:10])
check("no double underscores", not any("__" in key for key in stats))
check("every value is a number", all(isinstance(value, (int, float)) for value in stats.values()))
with urllib.request.urlopen(f"{base}/admin/metrics.json?pretty=true") as response:
    check("pretty output is indented", response.read().decode().startswith("{\n  "))
try:
    urllib.request.urlopen(f"{base}/")
    check("/ answers 501", False)
except urllib.error.HTTPError as error:
    check_equal("/ answers 501", error.code, 501)
finish()
