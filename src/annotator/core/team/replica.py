"""Publishing a workspace to a team server, and joining one as a new replica."""

import os
import socket
import uuid
from urllib.parse import urlsplit

from annotator.core.team import local
from annotator.core.team.server import connect, schema
from annotator.core.team.server.schema import q
from annotator.core.team.sync import pull_now, sync


def members_role(db: str) -> str:
    return f"{db}:members"


def _device() -> str:
    return f"{socket.gethostname()}/{uuid.uuid4().hex[:8]}"


def _enable(ws, url: str, user: str) -> None:
    with local.transaction(ws) as raw:
        local.install(raw)
        local.put(raw, "url", connect.strip_password(url))
        local.put(raw, "user", user)
        local.put(raw, "device", _device())
        local.put(raw, "last_seq", "0")


def publish(ws, url: str, password: str | None = None) -> dict:
    """Put this workspace on an empty PostgreSQL database; this laptop becomes its first replica.
    The login in the URL owns the tables and manages users (it needs CREATEROLE)."""
    with local.transaction(ws) as raw:
        if local.is_replica(raw):
            raise connect.TeamError(
                f"{os.path.basename(ws.path)} is already a replica of {local.get(raw, 'url')}."
            )
    password = password or urlsplit(url).password
    conn = connect.connect(url, password=password)
    try:
        with conn.transaction(), conn.cursor() as cur:
            if cur.execute("SELECT to_regclass('annotator_meta')").fetchone()[0] is not None:
                raise connect.TeamError(
                    f"The database {connect.where(url)} already holds an Annotator workspace; join it instead."
                )
            db, user = cur.execute("SELECT current_database(), current_user").fetchone()
            members = members_role(db)
            if cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (members,)).fetchone() is None:
                cur.execute(f"CREATE ROLE {q(members)} NOLOGIN")
            cur.execute(f"GRANT CONNECT ON DATABASE {q(db)} TO {q(members)}")
            cur.execute(f"GRANT USAGE ON SCHEMA public TO {q(members)}")
            schema.create(cur, members)
            cur.execute("INSERT INTO annotator_meta VALUES ('title', %s)", (ws.get("title"),))
    finally:
        conn.close()
    _enable(ws, url, user)
    with local.transaction(ws) as raw:
        local.mark_all(raw)
    result = sync(ws, password)
    return {"url": connect.strip_password(url), "pushed": result.pushed}


def join(url: str, path: str, user: str | None = None, password: str | None = None):
    """A new replica at `path` with everything the server lets this login read."""
    from annotator.core.store.workspace import Workspace

    conn = connect.connect(url, user, password or urlsplit(url).password)
    try:
        with conn.cursor() as cur:
            schema.check(cur, connect.where(url))
            row = cur.execute("SELECT value FROM annotator_meta WHERE key = 'title'").fetchone()
            login = cur.execute("SELECT current_user").fetchone()[0]
        conn.commit()
        ws = Workspace.create(path, title=row[0] if row else "")
        try:
            with local.transaction(ws) as raw:  # the server's themes replace the new file's defaults
                raw.execute("DELETE FROM passage_theme")
                raw.execute("DELETE FROM theme")
            ws.set("author", login)  # before the triggers: this laptop's own setting
            _enable(ws, url, login)
            pull_now(ws, conn, everything=True)
        except BaseException:
            ws.close()
            for name in (path, path + "-wal", path + "-shm", path + ".lock", path + ".sync-lock"):
                if os.path.exists(name):
                    os.unlink(name)
            raise
        return ws
    finally:
        conn.close()
