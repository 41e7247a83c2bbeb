"""One writer per workspace: an OS file lock beside the workspace file.

The OS releases the lock when the holding process dies, so a lock left by a
crash is recovered automatically; the JSON inside only says who holds it.
"""

import getpass
import json
import os
import socket
import sys
from datetime import datetime, UTC

from annotator.core.util.errors import WorkspaceLocked

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


def lock_path(path: str) -> str:
    return path + ".lock"


def read_holder(path: str) -> dict[str, object]:
    try:
        with open(lock_path(path), encoding="utf-8") as fh:
            holder = json.loads(fh.read() or "{}")
            return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


class WriterLock:
    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        lp = lock_path(self.path)
        fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise WorkspaceLocked(self.path, read_holder(self.path)) from None
        info = {
            "user": getpass.getuser(),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            if sys.platform != "win32":
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None
