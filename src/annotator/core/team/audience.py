"""Who sees a passage and its note: only me, my team, or the whole workspace; and
the server's users and teams (PostgreSQL roles), managed by the workspace's owner.

The server enforces it (row-level security, team/schema.py): a login reads
another's passage only when its audience lets it, whatever client it uses.
"""

from dataclasses import dataclass

from sqlmodel import Session

from annotator.core.evidence.changes import Change, Command, Scope
from annotator.core.util.errors import InvalidInput, NotFound
from annotator.core.team import local
from annotator.core.team.server import connect
from annotator.core.team.server.schema import q
from annotator.core.team.tables import AUDIENCES


def get(ws, pid: int) -> str:
    with ws.engine.connect() as conn:
        raw = conn.connection.driver_connection
        if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'team_audience'").fetchone() is None:
            return "workspace"
        row = raw.execute("SELECT audience FROM team_audience WHERE passage_id = ?", (pid,)).fetchone()
    return row[0] if row else "workspace"


@dataclass
class SetAudience(Command):
    """Who sees a passage. Undo and redo put back its row of team_audience (or its
    absence: the whole workspace) exactly, like every command."""

    action = "set audience"
    pid: int
    audience: str

    def details(self) -> dict:
        return {"passage": self.pid, "audience": self.audience}

    def scope(self, s: Session) -> Scope:
        # the audience's own table (kept, empty, by a workspace not yet published)
        s.connection().connection.driver_connection.execute(local.TABLES[-1])
        return [("team_audience", f"passage_id = {int(self.pid)}")]

    def apply(self, ws, s: Session) -> Change:
        if self.audience not in AUDIENCES:
            raise InvalidInput(
                f"'{self.audience}' is not an audience; choose one of: {', '.join(AUDIENCES)}."
            )
        raw = s.connection().connection.driver_connection
        if (
            raw.execute("SELECT 1 FROM passage WHERE id = ? AND deleted_at IS NULL", (self.pid,)).fetchone()
            is None
        ):
            raise NotFound(f"No passage {self.pid}.")
        raw.execute(
            "INSERT OR REPLACE INTO team_audience(passage_id, audience) VALUES (?, ?)",
            (self.pid, self.audience),
        )
        return Change(f"Audience: {self.audience}", passages={self.pid})


def set_audience(ws, pid: int, audience: str) -> Change:
    return SetAudience(pid, audience).do(ws)


# ---- users and teams on the server (the owner's login) ------------------------
def _admin(url: str, password: str | None):
    conn = connect.connect(url, password=password, autocommit=True)
    db = conn.execute("SELECT current_database()").fetchone()[0]
    return conn, db


def team_role(db: str, team: str) -> str:
    return f"{db}:team:{team}"


def add_user(url: str, name: str, new_password: str, password: str | None = None) -> None:
    """A login that may join this workspace (a PostgreSQL role in its members' group)."""
    if not name.strip() or not new_password:
        raise InvalidInput("A user needs a name and a password.")
    conn, db = _admin(url, password)
    with conn:
        from psycopg import sql

        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(new_password)
                )
            )
        else:
            conn.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(new_password))
            )
        conn.execute(f"GRANT {q(db + ':members')} TO {q(name)}")


def add_to_team(url: str, team: str, users: list[str], password: str | None = None) -> None:
    """Put users in a team (made when new): they read each other's 'team' passages."""
    conn, db = _admin(url, password)
    with conn:
        role = team_role(db, team)
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {q(role)} NOLOGIN")
        conn.execute("INSERT INTO ws_team(name, role) VALUES (%s, %s) ON CONFLICT DO NOTHING", (team, role))
        for user in users:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone() is None:
                raise NotFound(
                    f"No user {user} on this server; add it first with 'annotator team users add'."
                )
            conn.execute(f"GRANT {q(role)} TO {q(user)}")


def listing(url: str, password: str | None = None) -> list[dict]:
    """The workspace's users and their teams."""
    conn, db = _admin(url, password)
    with conn:
        teams = dict(conn.execute("SELECT role, name FROM ws_team").fetchall())
        rows = conn.execute(
            "SELECT u.rolname, array_remove(array_agg(g.rolname), NULL) FROM pg_roles u "
            "JOIN pg_auth_members m0 ON m0.member = u.oid JOIN pg_roles grp ON grp.oid = m0.roleid AND grp.rolname = %s "
            "LEFT JOIN pg_auth_members m ON m.member = u.oid LEFT JOIN pg_roles g ON g.oid = m.roleid "
            "GROUP BY u.rolname ORDER BY u.rolname",
            (db + ":members",),
        ).fetchall()
    return [{"user": u, "teams": sorted(teams[g] for g in groups if g in teams)} for u, groups in rows]
