"""A second process on a workspace another process is writing: a clear refusal to
write, and reading that never meets "database is locked"."""

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.util.errors import WorkspaceLocked
from annotator.core.store.workspace import Workspace
from helpers import run_cli

DRIVER = Path(__file__).with_name("kill_driver.py")


def test_readers_and_a_second_writer_while_another_process_commits(tmp_path):
    path = tmp_path / "busy.annot"
    Workspace.create(str(path)).close()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    writer = subprocess.Popen(
        [sys.executable, str(DRIVER), str(path), "1", str(scratch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out = b""
        while b"ready\n" not in out:
            assert select.select([writer.stdout], [], [], 60)[0], "the writer did not start"
            out += os.read(writer.stdout.fileno(), 65536)
        with pytest.raises(WorkspaceLocked, match=f"process {writer.pid}"):
            Workspace.open(str(path))
        refused = run_cli("themes", path, "--add", "Second writer", check=False)
        assert refused.returncode == 2 and "open for writing by" in refused.stderr
        assert "Traceback" not in refused.stderr and "locked" not in refused.stderr.replace(
            "WorkspaceLocked", ""
        )
        seen = []
        deadline = time.monotonic() + 3
        with Workspace.open(str(path), readonly=True) as reader:
            while time.monotonic() < deadline:  # reads interleaved with the writer's commits
                with reader.engine.connect() as conn:
                    seen.append(conn.exec_driver_sql("SELECT count(*) FROM passage").scalar())
        info = run_cli("info", path, "--json")
        assert '"read_only": true' in info.stdout and not info.stderr
        assert len(seen) > 10 and seen[-1] > seen[0]  # the writer really was committing
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        writer.stderr.close()
