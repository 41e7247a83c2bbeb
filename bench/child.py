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
    # Linux reports KiB. A helper process (import reads PDFs in one) adds its own peak:
    # the sum is an upper bound of what the operation held at once.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helpers = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, _live_children_peak())
    result["peak_mb"] = (own + helpers) / 1024
    result["helper_peak_mb"] = helpers / 1024
    return result


def _live_children_peak() -> int:
    """Peak RSS (KiB) of helper processes still running (not yet counted by RUSAGE_CHILDREN)."""
    best = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                info = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        if int(info.get("PPid", "0").strip()) == os.getpid() and "VmHWM" in info:
            best = max(best, int(info["VmHWM"].split()[0]))
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
