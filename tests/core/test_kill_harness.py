"""Crash safety: kill real writer processes with SIGKILL and check nothing promised is lost.

ANNOTATOR_KILLS sets the number of kills (10 in `make test`, 50 in `make soak`).
"""

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.store.workspace import Workspace
from safety_checks import integrity, line_hits

DRIVER = Path(__file__).with_name("kill_driver.py")
KILLS = int(os.environ.get("ANNOTATOR_KILLS", "10"))


def _run_and_kill(ws_path: Path, seed: int, scratch: Path, rng: random.Random) -> list[str]:
    """Start the driver, kill it at a random moment, return the lines it had printed."""
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(ws_path), str(seed), str(scratch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out = b""
    if rng.random() < 0.15:  # sometimes kill while it is still opening the workspace
        time.sleep(rng.uniform(0.3, 1.2))
    else:
        deadline = time.monotonic() + 60
        while b"ready\n" not in out and time.monotonic() < deadline and proc.poll() is None:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                out += os.read(proc.stdout.fileno(), 65536)
        assert b"ready\n" in out, proc.stderr.read().decode()
        time.sleep(rng.uniform(0.05, 1.5))
    early_exit = proc.poll()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out += proc.stdout.read()
    err = proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert early_exit is None, f"the driver stopped by itself ({early_exit}): {err}"
    text = out.decode()
    complete = text.split("\n")[:-1]  # a line cut off by the kill was never acknowledged
    return [ln for ln in complete if ln and ln != "ready"]


def _check_promises(ws_path: Path, acks: list[str]) -> int:
    """Every acknowledged change is in the workspace; returns how many were found."""
    con = sqlite3.connect(str(ws_path))
    found = 0
    try:
        for ack in acks:
            kind, ident, *rest = ack.split(" ", 2)
            ident = int(ident)
            if kind == "I":
                row = con.execute("SELECT filename FROM document WHERE id = ?", (ident,)).fetchone()
                assert row and row[0] == f"{rest[0]}.txt", ack
                assert line_hits(ws_path, rest[0]) > 0, f"{ack}: not in the line index"
            elif kind == "T":
                row = con.execute("SELECT note FROM passage WHERE id = ?", (ident,)).fetchone()
                assert row and row[0] == rest[0], ack
            elif kind == "D":
                row = con.execute("SELECT deleted_at FROM passage WHERE id = ?", (ident,)).fetchone()
                assert row and row[0] is not None, ack
            elif kind == "H":
                row = con.execute("SELECT name FROM theme WHERE id = ?", (ident,)).fetchone()
                assert row and row[0] == rest[0], ack
            else:
                raise AssertionError(f"unexpected output from the driver: {ack!r}")
            found += 1
    finally:
        con.close()
    return found


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path):
    ws_path = tmp_path / "kill.annot"
    Workspace.create(str(ws_path), title="Kill harness").close()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rng = random.Random(int(os.environ.get("ANNOTATOR_KILL_SEED", "7")))
    acknowledged = found = 0
    started = time.monotonic()
    for kill in range(KILLS):
        acks = _run_and_kill(ws_path, kill + 1, scratch, rng)
        acknowledged += len(acks)
        # the workspace opens for writing (the dead process's lock is gone) ...
        Workspace.open(str(ws_path)).close()
        # ... is whole, its indexes agree with its tables, and keeps every promise
        stats = integrity(ws_path)
        found += _check_promises(ws_path, acks)
    assert found == acknowledged
    assert acknowledged > KILLS  # the kills really landed in the middle of work
    print(
        f"\nkill harness: {KILLS} kills, {acknowledged} changes acknowledged, {found} found, "
        f"integrity ok after every kill; final {stats}; {time.monotonic() - started:.1f} s"
    )
