"""Whether another process has committed to a workspace since the last look.

A window that opened a workspace read-only asks this about once a second, so it
can show the writer's new work. SQLite's PRAGMA data_version answers it without
reading any table, but only on one and the same connection: the watch keeps a
read-only connection of its own (a pooled one could be another each time).
"""

import sqlite3


class CommitWatch:
    def __init__(self, path: str):
        self.path = path
        self._con: sqlite3.Connection | None = None
        self._seen: int | None = None

    def _version(self) -> int:
        assert self._con is not None
        return int(self._con.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True when a commit by another connection happened since the previous call
        (the first call only takes note)."""
        try:
            if self._con is None:
                # one thread at a time uses it (the caller waits for each answer)
                self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            now = self._version()
        except sqlite3.Error:
            return False  # gone or unreadable for now: the next look tries again
        seen, self._seen = self._seen, now
        return seen is not None and now != seen

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
