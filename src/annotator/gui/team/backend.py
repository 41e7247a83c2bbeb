"""Every call the window makes into the core team API, and what it makes of the answers.

These functions run in the background (sync, listen, publish, join, resolve) or read
the replica alone (status); none touches a widget.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from annotator.core.evidence.changes import Change
from annotator.core.util.errors import AnnotatorError, DiskFull, SchemaTooNew
from annotator.core.team import audience, conflict_text, conflicts, live, replica
from annotator.core.team import sync as team_sync
from annotator.core.team.lock import SyncBusy
from annotator.core.team.server import connect
from annotator.gui.team.conflicts_panel import Conflict, Version
from annotator.gui.team.when import when_text

PULLED = "Changes from the team"  # the summary of the Change a pull announces


@dataclass(frozen=True)
class Server:
    url: str
    user: str = ""
    password: str = ""


@dataclass
class Info:
    last_ok: datetime | None
    pending: int
    conflicts: int


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    when: datetime | None = None
    pending: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    new_conflicts: int = 0
    changed: Change | None = None  # what the open views must show again
    summary: str = ""


def _time(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def status(ws) -> Info | None:
    """Local only (instant, offline); None when the workspace is not a team replica."""
    st = live.status(ws)
    if not st.team:
        return None
    return Info(_time(st.last_sync), st.pending, st.conflicts)


def is_team(ws) -> bool:
    return live.status(ws).team


def audience_of(ws, pid: int) -> str:
    return audience.get(ws, pid)


set_audience = audience.set_audience  # an undoable operation (ctx.run)


def conflict_rows(ws) -> list[Conflict]:
    rows = []
    for c in conflict_text.describe(ws, conflicts.listing(ws)):
        rows.append(
            Conflict(
                c["id"],
                c["title"],
                Version(c["mine_text"], c["mine_author"] or "", _time(c["mine_at"]), "this laptop"),
                Version(c["theirs_text"], c["theirs_author"] or "", _time(c["theirs_at"]), ""),
            )
        )
    return rows


def _after(ws, pushed: int = 0, pulled: int = 0, new_conflicts: int = 0) -> SyncResult:
    info = status(ws) or Info(None, 0, 0)
    touched = pulled or new_conflicts
    return SyncResult(
        pushed=pushed,
        pulled=pulled,
        when=info.last_ok,
        pending=info.pending,
        conflicts=conflict_rows(ws),
        new_conflicts=new_conflicts,
        # rows from the server may touch any list, theme or document: the views reload
        changed=Change(PULLED, themes=True, documents=True, links=True) if touched else None,
        summary=f"Synced: {pushed} sent, {pulled} received"
        + (f", {new_conflicts} conflicts" if new_conflicts else "")
        + ".",
    )


def sync(ws, password: str = "") -> SyncResult:
    r = team_sync.sync(ws, password or None)
    return _after(ws, r.pushed, r.pulled, r.conflicts)


def resolve(ws, conflict_id: int, keep: str) -> SyncResult:
    change = conflicts.resolve(ws, conflict_id, keep)
    out = _after(ws)
    out.changed = Change(PULLED, themes=True, documents=change.documents, links=True)
    out.summary = {
        "mine": "Kept your version; it goes to the server at the next sync.",
        "theirs": "Kept their version.",
        "both": "Kept both versions; they go to the server at the next sync.",
    }[keep]
    return out


def listen(ws, password: str, notified, cancelled) -> None:
    """Until cancelled: call notified() each time another laptop pushes. Raises when the
    server goes away (the service then falls back to its timer)."""
    with live.Listener(ws, password or None) as listener:
        while not cancelled():
            if listener.wait(0.5):  # short, so a closing window is not kept waiting
                notified()


def with_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    if not user or parts.username:
        return url
    if not parts.netloc:  # postgresql:///db?host=/socket/dir
        return url.replace("://", f"://{user}@", 1)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc}"))


def check_url(url: str) -> str:
    """A sentence saying what is wrong with a server address, or ""."""
    if not url:
        return "Enter the server's address, like postgresql://you@server.example.org/inquiry."
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        return "The address must start with postgresql:// (a PostgreSQL server)."
    if not parts.path.strip("/"):
        return "The address must name the database after the server, like …/inquiry."
    return ""


def publish(ws, server: Server, _progress, _cancelled) -> str:
    url = with_user(server.url, server.user)
    out = replica.publish(ws, url, server.password or None)
    return f"Published to {connect.where(url)}: {out['pushed']} rows sent. This workspace now syncs with the team."


def join(server: Server, path: str, _progress, _cancelled) -> str:
    ws = replica.join(server.url, path, server.user or None, server.password or None)
    ws.close()  # the window opens it again on its own thread
    return path


def offline_sentence(ws) -> str:
    """The server cannot be reached: said with the time of the last sync as people write it."""
    st = live.status(ws)
    last = _time(st.last_sync)
    since = f"the last successful sync was {when_text(last)}" if last else "it has not synced yet"
    return f"The team server {connect.where(st.url)} cannot be reached; work goes on here and {since}."


def explain(err: BaseException) -> tuple[str, str]:
    """(one sentence, kind): kind "offline" (the timer retries), "password" (ask for it),
    "stopped" (the user must act: newer server, full disk) or "busy" (try again soon)."""
    if isinstance(err, connect.Unreachable):
        return str(err), "offline"
    if isinstance(err, connect.WrongPassword):
        return str(err), "password"
    if isinstance(err, SyncBusy):
        return str(err), "busy"
    if isinstance(err, SchemaTooNew | DiskFull | AnnotatorError):
        return str(err), "stopped"
    from annotator.core.util.logs import log_exception

    where = log_exception(err)
    return f"Sync failed ({type(err).__name__}: {err}); details were written to {where}.", "stopped"


# ---- users and teams: the owner's login, as `annotator team users ...` ---------------------
def server_of(ws) -> tuple[str, str]:
    """(address without a login, login) of the replica's server; empty when not a replica."""
    st = live.status(ws) if ws is not None else None
    if st is None or not st.team or not st.url:
        return "", ""
    parts = urlsplit(st.url)
    host = parts.netloc.rsplit("@", 1)[-1]  # may be empty: a Unix socket given as ?host=
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{host}{parts.path}{query}", parts.username or st.user or ""


def team_users(server: Server, _progress=None, _cancelled=None) -> list[dict]:
    """[{"user", "teams"}] of the workspace on this server."""
    return audience.listing(with_user(server.url, server.user), server.password or None)


def add_user(server: Server, name: str, new_password: str) -> list[dict]:
    audience.add_user(with_user(server.url, server.user), name, new_password, server.password or None)
    return team_users(server)


def add_to_team(server: Server, team: str, names: list[str]) -> list[dict]:
    audience.add_to_team(with_user(server.url, server.user), team, names, server.password or None)
    return team_users(server)
