"""For the window: the replica's sync status, and waiting for the server's news.

Qt-free: the window runs these through its task manager (never on the GUI
thread for the network calls) and shows the result.
"""

import time
from dataclasses import dataclass

from annotator.core.team import local, outbox
from annotator.core.team.server import connect


@dataclass
class Status:
    team: bool  # is this workspace a replica of a team server
    url: str = ""
    user: str = ""
    last_sync: str | None = None  # ISO time of the last successful sync
    last_attempt: str | None = None
    last_error: str | None = None  # the sentence of the last failure, None after a success
    pending: int = 0  # local changes not yet on the server
    conflicts: int = 0  # open conflicts

    @property
    def reachable(self) -> bool | None:
        """As of the last attempt: True, False, or None when never tried."""
        if self.last_attempt is None:
            return None
        return self.last_error is None

    def as_dict(self) -> dict:
        return {**self.__dict__, "reachable": self.reachable}


def local_state(ws, key: str) -> str | None:
    raw_conn = ws.engine.raw_connection()
    try:
        return local.get(raw_conn.driver_connection, key)
    finally:
        raw_conn.close()


def status(ws) -> Status:
    """Read from the replica alone: instant, works offline."""
    raw_conn = ws.engine.raw_connection()
    try:
        raw = raw_conn.driver_connection
        if not local.is_replica(raw):
            return Status(team=False)
        return Status(
            team=True,
            url=local.get(raw, "url") or "",
            user=local.get(raw, "user") or "",
            last_sync=local.get(raw, "last_sync"),
            last_attempt=local.get(raw, "last_attempt"),
            last_error=local.get(raw, "last_error"),
            pending=outbox.pending(raw),
            conflicts=raw.execute("SELECT count(*) FROM sync_conflict WHERE resolved_at IS NULL").fetchone()[
                0
            ],
        )
    finally:
        raw_conn.close()


class Listener:
    """A connection LISTENing on the server's 'changes' channel (one NOTIFY per push).

    `wait(timeout)` returns True as soon as another laptop pushed something
    (then pull: `sync`), False after `timeout` seconds of quiet. Raises
    connect.Unreachable when the server goes away."""

    def __init__(self, ws, password: str | None = None):
        st = status(ws)
        if not st.team:
            raise connect.TeamError(f"{ws.path} is not a team workspace.")
        self.device = local_state(ws, "device")
        self.conn = connect.connect(st.url, st.user or None, password, autocommit=True)
        self.conn.execute("LISTEN changes")

    def wait(self, timeout: float) -> bool:
        import psycopg

        deadline = time.monotonic() + timeout
        try:
            while (left := deadline - time.monotonic()) > 0:
                for note in self.conn.notifies(timeout=left, stop_after=1):
                    if note.payload != self.device:
                        return True
        except psycopg.OperationalError as err:
            raise connect.Unreachable("The team server stopped answering.") from err
        return False

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Listener":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def wait_for_changes(ws, timeout: float, password: str | None = None) -> bool:
    """One-shot: True when the server announces changes within `timeout` seconds."""
    with Listener(ws, password) as listener:
        return listener.wait(timeout)
