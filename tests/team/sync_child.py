"""Work of one child in the kill test: edit a batch offline, say 'ready', then sync (and get killed)."""

import os
import random

from annotator.core.evidence import tagging
from annotator.core.team.sync import sync
from annotator.core.store.workspace import Workspace
from util import PW, tag


def work(path: str, first: int, count: int, ready_fd: int) -> None:
    ws = Workspace.open(path)
    with ws.engine.connect() as conn:
        mine = [r[0] for r in conn.exec_driver_sql("SELECT id FROM passage WHERE note LIKE 'kill %'")]
    for j in range(first, first + count):
        tag(ws, j * 37, f"kill {j}")
    for pid in random.sample(mine, min(3, len(mine))):
        tagging.set_note(ws, pid, f"kill edited {pid} {first}")
    os.write(ready_fd, b"r")
    sync(ws, PW)
    ws.close()


def run(path: str, first: int, count: int) -> tuple[int, int]:
    """Fork a child doing `work` (the parent's imports make it start at once); returns (pid, fd
    that becomes readable when its edits are committed and its sync begins)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test runner
        code = 0
        try:
            os.close(r)
            work(path, first, count, w)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)
    return pid, r
