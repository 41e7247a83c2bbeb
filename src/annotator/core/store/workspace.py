"""Open and create workspace files: one SQLite file holds everything.

WAL mode, foreign keys on, every write in an IMMEDIATE transaction through
`Workspace.write()`, which also appends to the audit log.
"""

import getpass
import json
import os
import sqlite3
from typing import Any
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from annotator.core.store import index, schema, settings
from annotator.core.util.errors import (
    DiskFull,
    ReadOnlyWorkspace,
    SchemaTooNew,
    WorkspaceError,
    is_disk_full,
)
from annotator.core.store.lock import WriterLock, lock_path
from annotator.core.store.models import Audit

SUFFIX = ".annot"


def sqlite_of(s: Session) -> sqlite3.Connection:
    """The SQLite connection under a session, for bulk statements the ORM would slow down."""
    raw = s.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _engine(path: str, readonly: bool) -> Engine:
    if readonly:
        writable_dir = os.access(os.path.dirname(os.path.abspath(path)) or ".", os.W_OK)
        # On read-only media SQLite cannot create the WAL index: read it as immutable.
        flags = "mode=ro" if writable_dir else "mode=ro&immutable=1"
        url = f"sqlite:///file:{path}?{flags}&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("immediate") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def discard(path: str) -> None:
    """Delete a workspace file and SQLite's files beside it (for `demo --force`);
    refused while another process has the workspace open."""
    path = os.path.abspath(path)
    lock = WriterLock(path)
    lock.acquire()
    try:
        for name in (path, path + "-wal", path + "-shm", path + "-journal"):
            if os.path.exists(name):
                os.unlink(name)
    finally:
        lock.release()
    try:
        os.unlink(lock_path(path))
    except OSError:
        pass


class Workspace:
    """An open workspace. Use `Workspace.create` or `Workspace.open`."""

    def __init__(self, path: str, engine: Engine, readonly: bool, lock: WriterLock | None):
        self.path = path
        self.engine = engine
        self.readonly = readonly
        self.read_only_reason = ""
        self._lock = lock
        self._writer = engine.execution_options(immediate=True)
        self.user = getpass.getuser()

    # ---- opening -------------------------------------------------------
    @classmethod
    def create(cls, path: str, title: str = "", inquiry: str = "", exist_ok: bool = False) -> "Workspace":
        path = os.path.abspath(path)
        if os.path.exists(path) and not exist_ok:
            raise WorkspaceError(f"{path} already exists; choose another name or open it.")
        for left in (path + "-wal", path + "-journal"):
            if os.path.exists(left) and not os.path.exists(path):
                # SQLite would replay it into the new file: refuse, and leave it for whoever wants it
                raise WorkspaceError(
                    f"{os.path.basename(left)} is left from an earlier workspace of this "
                    "name; move it away or choose another name."
                )
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            raise WorkspaceError(f"The folder {folder} does not exist.")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # owner-only from the start
        os.close(fd)
        lock = WriterLock(path)
        lock.acquire()
        engine = _engine(path, readonly=False)
        try:
            with engine.begin() as conn:
                schema.create(conn)
            ws = cls(path, engine, False, lock)
            from annotator.core.evidence import themes

            with ws.write("create workspace", {"title": title}) as s:
                ws._set(s, "title", title or os.path.splitext(os.path.basename(path))[0])
                ws._set(s, "inquiry", inquiry)
                themes.add_defaults(s)
            return ws
        except Exception:
            engine.dispose()
            lock.release()
            raise

    @classmethod
    def open(cls, path: str, readonly: bool = False, backup_dir: str | None = None) -> "Workspace":
        path = os.path.abspath(path)
        if not os.path.exists(path):
            raise WorkspaceError(f"No workspace at {path}.")
        _check_sqlite_file(path)
        reason = ""
        if not readonly and (not os.access(path, os.W_OK) or not os.access(os.path.dirname(path), os.W_OK)):
            readonly, reason = True, "The workspace file or its folder is read-only."
        lock = None
        if not readonly:
            lock = WriterLock(path)
            lock.acquire()
        engine = _engine(path, readonly)
        try:
            with engine.connect() as conn:
                found = schema.user_version(conn)
            if found > schema.SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{os.path.basename(path)} was written by a newer Annotator (schema {found}; "
                    f"this version reads up to {schema.SCHEMA_VERSION}). Update Annotator to open it."
                )
            if found < schema.SCHEMA_VERSION:
                if readonly:
                    raise WorkspaceError(
                        f"{os.path.basename(path)} uses an older format and must be upgraded, "
                        "which needs write access."
                    )
                backup = _backup_copy(engine, path, f"before-upgrade-v{found}", backup_dir)
                with engine.execution_options(immediate=True).begin() as conn:
                    schema.upgrade(conn, found)
                ws = cls(path, engine, False, lock)
                ws.upgraded_from = (found, backup)
                return ws
            ws = cls(path, engine, readonly, lock)
            ws.read_only_reason = reason
            if not readonly:
                ws._ensure_index()
            return ws
        except Exception:
            engine.dispose()
            if lock:
                lock.release()
            raise

    upgraded_from: tuple[int, str] | None = None

    def close(self) -> None:
        if self.engine is not None:
            if not self.readonly:
                try:
                    with self.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                except Exception:
                    pass  # a checkpoint is an optimisation; the WAL is replayed on next open
            self.engine.dispose()
            self.engine = None  # type: ignore[assignment]  # closed: any use now fails loudly
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- sessions ------------------------------------------------------
    def session(self) -> Session:
        """A read session (callers must not write through it)."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self, action: str, details: dict[str, object] | None = None) -> Iterator[Session]:
        """One write transaction; the audit row is committed with it."""
        if self.readonly:
            raise ReadOnlyWorkspace(
                self.read_only_reason or "This workspace is open read-only; changes cannot be saved."
            )
        session = Session(self._writer, expire_on_commit=False)
        try:
            yield session
            session.add(Audit(who=self.author, action=action, details=json.dumps(details or {}, default=str)))
            session.commit()
        except OperationalError as err:
            session.rollback()
            if is_disk_full(err, self.path):
                raise DiskFull(
                    "The disk is full: the change was not saved and the workspace is unchanged."
                ) from err
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    # ---- settings ------------------------------------------------------
    @property
    def author(self) -> str:
        """Who signs changes: the user's name from Settings, else the workspace's own
        (a replica's server login after `team join`, the demo's), else the login name.
        Read once per opening; settings.apply forgets it when the name changes."""
        if not hasattr(self, "_author"):
            mine = str(settings.user_value("author") or "")
            self._author = mine or (str(self.get("author") or "") if self.engine is not None else "")
        return self._author or self.user

    def forget_author(self) -> None:
        self.__dict__.pop("_author", None)

    def get(self, key: str) -> Any:
        """A setting: the workspace's value, else (a user setting) the user's, else the default."""
        info = settings.info(key)
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": key}).first()
        if row is None:
            return settings.user_value(key) if info.scope == settings.USER else info.default
        try:
            return json.loads(row[0])
        except ValueError:
            return info.default

    def set(self, key: str, value: object) -> None:
        with self.write("set setting", {"key": key, "value": value}) as s:
            self._set(s, key, value)

    def _set(self, s: Session, key: str, value: object) -> None:
        value = settings.info(key).coerce(value)
        s.connection().execute(
            text("INSERT OR REPLACE INTO setting(key, value) VALUES (:k, :v)"),
            {"k": key, "v": json.dumps(value)},
        )
        if key == "author":  # known now: the audit row of this very write is signed before commit
            self._author = str(settings.user_value("author") or value)

    def read_blob(self, sha256: str) -> bytes | None:
        """An original file's bytes, or None when they are not stored.

        Read with SQLite's incremental blob I/O: about twice as fast as a SELECT
        for a large file (opening a document and exporting wait on this read)."""
        raw = self.engine.raw_connection()
        try:
            con = raw.driver_connection
            assert con is not None
            row = con.execute("SELECT rowid FROM blob WHERE sha256 = ?", (sha256,)).fetchone()
            if row is None:
                return None
            with con.blobopen("blob", "data", row[0], readonly=True) as blob:
                data: bytes = blob.read()
                return data
        finally:
            raw.close()

    def _ensure_index(self) -> None:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT value FROM setting WHERE key = 'fts_version'")).first()
        if row is None or row[0] != str(index.FTS_VERSION):
            with self._writer.begin() as conn:
                index.rebuild(conn)
        elif index.missing_plain(self.engine):
            with self._writer.begin() as conn:
                index.add_plain(conn)

    def backup(self, dest: str) -> str:
        """A consistent copy through SQLite's online backup API."""
        return _backup_to(self.engine, dest)


def _check_sqlite_file(path: str) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise WorkspaceError(f"Cannot read {path}: {err.strerror}.") from err
    if head and head != b"SQLite format 3\x00":
        raise WorkspaceError(f"{os.path.basename(path)} is not an Annotator workspace.")


def _backup_to(engine: Engine, dest: str) -> str:
    raw = engine.raw_connection()
    try:
        fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        try:
            con = raw.driver_connection
            assert con is not None
            con.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    return dest


def _backup_copy(engine: Engine, path: str, tag: str, backup_dir: str | None) -> str:
    folder = backup_dir or os.path.dirname(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = os.path.join(folder, f"{os.path.basename(path)}.{tag}-{stamp}.bak")
    _backup_to(engine, dest)
    return dest
