"""Tiny assertion helpers shared by the interop scripts: each check prints one line, and the
script exits non-zero when any check failed."""
import sys
import traceback

_results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        _results["passed"] += 1
        print(f"ok   {name}")
    else:
        _results["failed"] += 1
        print(f"FAIL {name} {detail}")


def check_equal(name, actual, expected):
    check(name, actual == expected, f"\n     expected: {expected!r}\n     actual:   {actual!r}")


def check_raises(name, exception_type, call, predicate=lambda e: True):
    try:
        result = call()
    except exception_type as error:  # noqa: PERF203
        check(name, predicate(error), f"unexpected {exception_type.__name__}: {error!r}")
        return error
    except Exception as error:  # noqa: BLE001
        check(name, False, f"expected {exception_type.__name__}, got {type(error).__name__}: {error!r}")
        traceback.print_exc()
        return None
    check(name, False, f"expected {exception_type.__name__}, got result {result!r}")
    return None


def finish():
    print(f"interop: {_results['passed']} checks passed, {_results['failed']} checks failed")
    sys.exit(1 if _results["failed"] else 0)
