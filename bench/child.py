"""Run one benchmark function in this (fresh) process; print its result as JSON.

`python -m bench.child` reads {"fn": "bench.cases:import_ours", "kwargs": {...}}
on stdin. The result carries `peak_mb`, this process's peak resident memory.
"""

import importlib
import json
import resource
import sys


def call(spec: dict) -> dict:
    mod, name = spec["fn"].split(":")
    result = getattr(importlib.import_module(mod), name)(**spec.get("kwargs", {}))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return result


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
