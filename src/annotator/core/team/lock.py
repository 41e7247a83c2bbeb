"""One sync at a time per workspace: across threads and processes (an OS file lock)."""

import os

from annotator.core.team.server.connect import TeamError

try:
    import fcntl
except ImportError:  # Windows: threads of one process only
    fcntl = None


class SyncBusy(TeamError):
    pass


class SyncLock:
    def __init__(self, path: str):
        self.path = path + ".sync-lock"
        self.fd: int | None = None

    def __enter__(self) -> "SyncLock":
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self.fd)
                self.fd = None
                raise SyncBusy(
                    "Another sync of this workspace is already running; this one was not started."
                ) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None
