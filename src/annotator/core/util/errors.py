"""Errors a user can be shown as one clear sentence, and how to recognise a full disk."""

import errno
import os
import shutil
import sqlite3


class AnnotatorError(Exception):
    """Base class: str(err) is a complete sentence for the user."""


class WorkspaceError(AnnotatorError):
    pass


class WorkspaceLocked(WorkspaceError):
    def __init__(self, path: str, holder: dict[str, object]):
        self.path = path
        self.holder = holder
        who = holder.get("user") or "another user"
        host = holder.get("host") or "this computer"
        from annotator.core.util.dates import readable

        since = readable(str(holder["since"])) if holder.get("since") else "an unknown time"
        super().__init__(
            f"{path} is open for writing by {who} on {host} (process {holder.get('pid', '?')}, "
            f"since {since}); it can be opened read-only."
        )


class ReadOnlyWorkspace(WorkspaceError):
    pass


class SchemaTooNew(WorkspaceError):
    pass


class NotFound(AnnotatorError):
    pass


class InvalidInput(AnnotatorError):
    pass


class DiskFull(AnnotatorError):
    pass


_NO_ROOM = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # disk full, file-size limit, quota
_NO_ROOM_WORDS = tuple(os.strerror(code).lower() for code in _NO_ROOM)  # as MuPDF's messages quote them
_SQLITE_FULL = 13
_SQLITE_IOERR = 10  # the primary code of every SQLITE_IOERR_* (its low byte)


def is_disk_full(err: BaseException, where: str | None = None) -> bool:
    """Whether `err` (or an error it wraps) means there was no room to write.

    ENOSPC, EFBIG or EDQUOT from the system; SQLITE_FULL from SQLite; the system's
    own words for these inside a MuPDF error. SQLite reports a write refused with
    EFBIG or EDQUOT as a plain I/O error, so an SQLite I/O error counts too when
    there is no room left at `where` (the file being written): under 1 MB free on
    its disk, or the file at this process's file-size limit."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [err]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen) or len(seen) > 8:
            continue
        seen.append(e)
        if isinstance(e, OSError):
            if e.errno in _NO_ROOM:
                return True
        elif isinstance(e, sqlite3.Error):
            code = getattr(e, "sqlite_errorcode", None)
            if code == _SQLITE_FULL or (
                code is not None and code & 0xFF == _SQLITE_IOERR and _no_room(where)
            ):
                return True
        elif type(e).__module__.startswith("pymupdf") and any(w in str(e).lower() for w in _NO_ROOM_WORDS):
            return True
        todo += [
            getattr(e, "orig", None),
            e.__cause__,
            e.__context__,
        ]  # SQLAlchemy keeps the driver's as .orig
    return False


def _no_room(where: str | None) -> bool:
    if not where:
        return False
    try:
        if shutil.disk_usage(os.path.dirname(os.path.abspath(where))).free < 1 << 20:
            return True
    except OSError:
        pass
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (ImportError, OSError, ValueError):  # no such limit on Windows
        return False
    if limit == resource.RLIM_INFINITY:
        return False
    for suffix in ("", "-wal", "-journal"):  # SQLite's files for `where`
        try:
            if os.path.getsize(where + suffix) + (1 << 16) >= limit:
                return True
        except OSError:
            pass
    return False
