"""Run one benchmark function in this (fresh) process; print its result as JSON.

`python -m bench.child` reads {"fn": "bench.cases:import_ours", "kwargs": {...}}
on stdin. The result carries `peak_mb`, the peak resident memory of this process (or of
the largest helper process it started).
"""

import importlib
import json
import os
import resource
import sys


def call(spec: dict) -> dict:
    mod, name = spec["fn"].split(":")
    result = getattr(importlib.import_module(mod), name)(**spec.get("kwargs", {}))
    # KiB. A helper process (import reads PDFs in one) adds its own peak: the sum is an
    # upper bound of what the operation held at once. Linux's ru_maxrss keeps the peak
    # of the process image that ran before exec (the forked benchmark runner), so the
    # kernel's per-image high-water mark is read instead where there is one.
    own = _hwm("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helpers = _live_children_peak() or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_mb"] = (own + helpers) / 1024
    result["helper_peak_mb"] = helpers / 1024
    return result


def proc_status(pid: str) -> dict:
    """/proc/PID/status as a dict (empty where /proc does not say)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return dict(line.split(":", 1) for line in fh if ":" in line)
    except OSError:
        return {}


def _hwm(pid: str) -> int:
    """Peak RSS (KiB) of this process image, 0 where /proc does not say."""
    info = proc_status(pid)
    return int(info["VmHWM"].split()[0]) if "VmHWM" in info else 0


def _live_children_peak() -> int:
    """Peak RSS (KiB) of the helper processes still running (readers stay alive)."""
    best = 0
    if not os.path.isdir("/proc"):
        return 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(proc_status(entry).get("PPid", "0").strip() or 0) == os.getpid():
            best = max(best, _hwm(entry))
    return best


def main() -> int:
    spec = json.loads(sys.stdin.read())
    try:
        result = call(spec)
    except ImportError as err:  # a module another part of the project has not landed yet
        result = {"unavailable": f"{err.name or err} is not available"}
    print("\n" + json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
