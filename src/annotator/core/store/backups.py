"""Automatic backups of a workspace, and restoring one.

Backups are whole copies made with SQLite's online backup API (consistent
even while the workspace is being written). They live in a folder beside
the workspace, `NAME.annot-backups/` (mode 0700, files 0600); where that
folder cannot be created (read-only or full medium) they go to the user's
data folder, `<data dir>/backups/NAME-<hash of the path>/`.

When: on open if anything changed since the newest backup, and while the
workspace is in use at most every `backup_every_minutes` minutes, again
only if something changed. The newest `backup_keep` backups are kept.
"""

from typing import TYPE_CHECKING
import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from annotator.core.util.errors import DiskFull, InvalidInput, ReadOnlyWorkspace, WorkspaceError, is_disk_full

if TYPE_CHECKING:
    from annotator.core.store.workspace import Workspace

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)\.annot$")
REASONS = {"open": "on open", "auto": "periodic", "before-restore": "before a restore", "manual": "by hand"}


@dataclass
class BackupInfo:
    path: str
    when: datetime
    reason: str
    size: int
    documents: int | None = None
    passages: int | None = None
    last_change: int | None = None  # id of the newest audit row it contains

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "file": os.path.basename(self.path),
            "when": self.when.isoformat(timespec="seconds"),
            "reason": self.reason,
            "size": self.size,
            "documents": self.documents,
            "passages": self.passages,
        }


def data_dir() -> str:
    """The user's data folder for Annotator (ANNOTATOR_DATA_DIR overrides it)."""
    from platformdirs import user_data_dir

    return os.environ.get("ANNOTATOR_DATA_DIR") or user_data_dir("annotator", appauthor=False)


def candidate_folders(ws_path: str) -> list[str]:
    ws_path = os.path.abspath(ws_path)
    name = os.path.basename(ws_path)
    digest = hashlib.sha256(ws_path.encode()).hexdigest()[:10]
    return [ws_path + "-backups", os.path.join(data_dir(), "backups", f"{name}-{digest}")]


def folder(ws_path: str, create: bool = False) -> str:
    """Where this workspace's backups go (made 0700 if `create`)."""
    options = candidate_folders(ws_path)
    for path in options:
        if os.path.isdir(path):
            if not create or os.access(path, os.W_OK):
                return path
        elif create:
            try:
                os.makedirs(path, mode=0o700)
                return path
            except OSError:
                continue
    if create:
        raise WorkspaceError(
            "No folder for backups could be created beside the workspace or in your data folder."
        )
    return options[0]


def counts_of(path: str) -> tuple[int | None, int | None, int | None]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            docs = con.execute("SELECT count(*) FROM document").fetchone()[0]
            passages = con.execute("SELECT count(*) FROM passage WHERE deleted_at IS NULL").fetchone()[0]
            last = con.execute("SELECT max(id) FROM audit").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None, None, None
    return docs, passages, last


def list_backups(ws_path: str, counts: bool = True) -> list[BackupInfo]:
    """This workspace's backups, newest first."""
    out = []
    for where in candidate_folders(ws_path):
        if not os.path.isdir(where):
            continue
        for name in os.listdir(where):
            m = _NAME.match(name)
            if not m:
                continue
            path = os.path.join(where, name)
            when = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
            info = BackupInfo(path, when, m["reason"], os.path.getsize(path))
            if counts:
                info.documents, info.passages, info.last_change = counts_of(path)
            out.append(info)
    out.sort(key=lambda b: b.when, reverse=True)
    return out


def last_change(ws: "Workspace") -> int:
    with ws.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM audit").scalar() or 0)


def make(ws: "Workspace", reason: str = "manual", prune: bool = True) -> BackupInfo:
    """Back up now. The copy appears under its final name only when complete."""
    where = folder(ws.path, create=True)
    stamp = datetime.now()
    stem = os.path.basename(ws.path)
    final = os.path.join(where, f"{stem}-{stamp.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.annot")
    partial = final + ".part"
    try:
        ws.backup(partial)
        con = sqlite3.connect(partial)
        try:  # a backup is a single self-contained file, not a WAL database
            con.execute("PRAGMA journal_mode = DELETE")
        finally:
            con.close()
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, final)
    except (OSError, sqlite3.Error) as err:
        full = is_disk_full(err, partial)  # before the partial file, which it looks at, goes
        _remove(partial)
        if full:
            raise DiskFull(
                "The disk is full: the backup could not be written (the workspace itself is unchanged)."
            ) from err
        raise WorkspaceError(f"The backup could not be written: {err}.") from err
    if prune:
        prune_old(ws.path, int(ws.get("backup_keep")))
    docs, passages, last = counts_of(final)
    return BackupInfo(final, stamp, reason, os.path.getsize(final), docs, passages, last)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def prune_old(ws_path: str, keep: int, protect: str = "") -> list[str]:
    keep = max(1, keep)
    removed = []
    for info in list_backups(ws_path, counts=False)[keep:]:
        if info.path != protect:
            _remove(info.path)
            removed.append(info.path)
    return removed


def changed_since_backup(ws: "Workspace") -> bool:
    newest = next(iter(list_backups(ws.path, counts=False)), None)
    if newest is None:
        return True
    return counts_of(newest.path)[2] != last_change(ws)


def on_open(ws: "Workspace") -> BackupInfo | None:
    """The backup made when a workspace is opened for writing (skipped if nothing changed)."""
    if ws.readonly or not changed_since_backup(ws):
        return None
    return make(ws, "open")


def maybe(ws: "Workspace") -> BackupInfo | None:
    """For short-lived writers (the CLI): back up if something changed since the newest
    backup and that backup is older than `backup_every_minutes`."""
    if ws.readonly:
        return None
    newest = next(iter(list_backups(ws.path, counts=False)), None)
    if newest is not None:
        age = (datetime.now() - newest.when).total_seconds()
        if age < max(1, int(ws.get("backup_every_minutes"))) * 60:
            return None
        if counts_of(newest.path)[2] == last_change(ws):
            return None
    return make(ws, "open")


class Schedule:
    """Periodic backups: call `due()` often (cheap), then `run()` off the GUI thread."""

    def __init__(self, ws: "Workspace", clock: Callable[[], float] = time.monotonic):
        self.ws = ws
        self.clock = clock
        self.last_time = clock()
        self.last_change = last_change(ws)

    def due(self) -> bool:
        if self.ws.readonly or self.ws.engine is None:
            return False
        minutes = max(1, int(self.ws.get("backup_every_minutes")))
        if self.clock() - self.last_time < minutes * 60:
            return False
        return last_change(self.ws) != self.last_change

    def run(self) -> BackupInfo:
        seen = last_change(self.ws)
        info = make(self.ws, "auto")
        self.last_time, self.last_change = self.clock(), seen
        return info


def _check_backup(path: str) -> None:
    from annotator.core.store import schema

    if not os.path.isfile(path):
        raise InvalidInput(f"No backup at {path}.")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise InvalidInput(f"{os.path.basename(path)} is not a workspace backup.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            con.execute("SELECT count(*) FROM passage").fetchone()
        finally:
            con.close()
    except sqlite3.Error as err:
        raise InvalidInput(f"{os.path.basename(path)} cannot be read as a workspace ({err}).") from err
    if ok != "ok":
        raise InvalidInput(f"{os.path.basename(path)} is damaged and cannot be restored.")
    if version > schema.SCHEMA_VERSION:
        raise InvalidInput(f"{os.path.basename(path)} was written by a newer Annotator.")


def find(ws_path: str, ref: str) -> str:
    """A backup by path, file name, or position in the list (1 = newest)."""
    if os.path.isfile(ref):
        return os.path.abspath(ref)
    found = list_backups(ws_path, counts=False)
    for info in found:
        if os.path.basename(info.path) == ref:
            return info.path
    if ref.isdigit() and 1 <= int(ref) <= len(found):
        return found[int(ref) - 1].path
    raise InvalidInput(f"No backup called {ref}; `annotator backups WORKSPACE` lists them.")


def restore(ws: "Workspace", backup_path: str) -> tuple["Workspace", BackupInfo]:
    """Replace the workspace's contents with a backup, after backing up the current state.

    Returns (the reopened Workspace, the backup of the state before the restore).
    `ws` is closed; use the returned workspace from then on.
    """
    from annotator.core.store.workspace import Workspace

    if ws.readonly:
        raise ReadOnlyWorkspace("This workspace is open read-only, so a backup cannot be restored into it.")
    _check_backup(backup_path)
    before = make(ws, "before-restore", prune=False)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    raw = ws.engine.raw_connection()
    try:  # copied page by page into the live file, under SQLite's own locking
        target = raw.driver_connection
        assert target is not None
        source.backup(target)
    except sqlite3.Error as err:
        if is_disk_full(err, ws.path):
            raise DiskFull(
                "The disk is full: the backup could not be restored; "
                f"the state before is kept in {before.path}."
            ) from err
        raise
    finally:
        raw.close()
        source.close()
    path = ws.path
    ws.close()
    new = Workspace.open(path)
    with new.write(
        "restore backup",
        {"from": os.path.basename(backup_path), "previous state": os.path.basename(before.path)},
    ):
        pass
    prune_old(path, int(new.get("backup_keep")), protect=before.path)
    return new, before
