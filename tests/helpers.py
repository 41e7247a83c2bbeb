"""Shared test helpers: `from helpers import run_cli, CORPUS`."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def run_cli(*args, check=True, input=None):
    """Run `python -m annotator ...` in a child process (as a user would)."""
    import subprocess

    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        input=input,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"annotator {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc
