"""The server's tables, built from the same SQLModel models, versioned and upgraded.

Each synced table keeps the model's columns (ids become uids), plus:
version (per row), seq (server order of changes), deleted (tombstone),
owner (the login that created it), author/device/changed_at (last change).
"""

from collections.abc import Callable

from sqlalchemy import Boolean, Float, Integer, LargeBinary

from annotator.core.store import models
from annotator.core.util.errors import SchemaTooNew
from annotator.core.team.tables import ORDER, SPECS

SERVER_SCHEMA = 2
ROW_COLUMNS = (
    "version integer NOT NULL DEFAULT 1",
    "seq bigint NOT NULL DEFAULT nextval('change_seq')",
    "deleted boolean NOT NULL DEFAULT false",
    "owner name NOT NULL DEFAULT current_user",
    "changed_by text NOT NULL DEFAULT current_user",
    "device text NOT NULL DEFAULT ''",
    "changed_at text NOT NULL DEFAULT ''",
)
PRIVATE = ("passage", "audit")  # tables with an audience, read through row-level security


def pg_type(column) -> str:
    t = column.type
    if isinstance(t, Boolean):
        return "boolean"
    if isinstance(t, Integer):
        return "bigint"
    if isinstance(t, Float):
        return "double precision"
    if isinstance(t, LargeBinary):
        return "bytea"
    return "text"


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _model_columns(model, rename: dict[str, str]) -> list[str]:
    out = []
    for c in model.__table__.columns:
        if c.name == "id":
            continue
        name = rename.get(c.name, c.name)
        kind = "text" if c.name in rename else pg_type(c)
        out.append(f"{q(name)} {kind}")
    return out


def field_columns(name: str) -> list[str]:
    """Column definitions of a synced table's fields (model columns, then extras)."""
    spec = SPECS[name]
    cols = [
        f"{q(c.name)} {'text' if c.name in spec.refs else pg_type(c)}"
        for c in spec.model.__table__.columns
        if c.name in spec.columns
    ]
    if name == "passage":
        cols.append("themes text[] NOT NULL DEFAULT '{}'")
    if name in PRIVATE:
        cols.append(
            "audience text NOT NULL DEFAULT 'workspace' CHECK (audience IN ('me', 'team', 'workspace'))"
        )
    return cols


def stage_ddl(name: str) -> str:
    """A temporary table a push COPYs its rows into, then writes with one statement each."""
    cols = [c.split(" NOT NULL")[0] for c in field_columns(name)]
    return (
        f"CREATE TEMP TABLE stage_{name} (upd boolean, ord integer, uid text, {', '.join(cols)}, "
        "version integer, deleted boolean, device text, changed_at text) ON COMMIT DROP"
    )


def table_ddl(name: str) -> list[str]:
    cols = field_columns(name)
    return [
        f"CREATE TABLE {q(name)} (uid text PRIMARY KEY, {', '.join(cols + list(ROW_COLUMNS))})",
        f"CREATE INDEX {name}_seq ON {q(name)}(seq)",
    ]


def base_ddl() -> list[str]:
    out = [
        "CREATE TABLE annotator_meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE SEQUENCE change_seq",
        "CREATE TABLE sync_change (change_id text PRIMARY KEY, uid text NOT NULL, tbl text NOT NULL, "
        "version integer NOT NULL, login name NOT NULL DEFAULT current_user, "
        "device text NOT NULL, at text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE ws_team (name text PRIMARY KEY, role name NOT NULL UNIQUE)",
        "CREATE TABLE blob (sha256 text PRIMARY KEY, size bigint NOT NULL, data bytea NOT NULL)",
        f"CREATE TABLE page (document_uid text NOT NULL, "
        f"{', '.join(c for c in _model_columns(models.Page, {'document_id': 'document_uid'}) if not c.startswith(q('document_uid')))}, "
        f'PRIMARY KEY (document_uid, "index"))',
        f"CREATE TABLE line (document_uid text NOT NULL, "
        f"{', '.join(c for c in _model_columns(models.Line, {'document_id': 'document_uid'}) if not c.startswith(q('document_uid')))}, "
        "PRIMARY KEY (document_uid, seq))",
    ]
    for name in ORDER:
        out += table_ddl(name)
    return out


def same_team_sql() -> str:
    return (
        "CREATE FUNCTION annotator_same_team(other name) RETURNS boolean LANGUAGE sql STABLE AS $$ "
        "SELECT EXISTS (SELECT 1 FROM ws_team t JOIN pg_roles r ON r.rolname = other "
        "WHERE pg_has_role(current_user, t.role, 'MEMBER') AND pg_has_role(r.oid, t.role, 'MEMBER')) $$"
    )


def security_ddl(members: str) -> list[str]:
    """Row-level security: a passage (and its audit rows) is read by its owner, by the
    owner's teams when its audience is 'team', by everyone when 'workspace'."""
    seen = "(audience = 'workspace' OR owner = current_user OR (audience = 'team' AND annotator_same_team(owner)))"
    out = [same_team_sql()]
    for t in PRIVATE:
        out += [
            f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY {t}_read ON {t} FOR SELECT USING {seen}",
            f"CREATE POLICY {t}_add ON {t} FOR INSERT WITH CHECK (owner = current_user)",
            # only the owner may narrow or widen who sees it
            f"CREATE POLICY {t}_edit ON {t} FOR UPDATE USING {seen} WITH CHECK {seen}",
        ]
    out += [
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {q(members)}",
        f"REVOKE INSERT, UPDATE ON annotator_meta, ws_team FROM {q(members)}",
        f"GRANT USAGE ON SEQUENCE change_seq TO {q(members)}",
    ]
    return out


def create(cur, members: str) -> None:
    for stmt in base_ddl() + security_ddl(members):
        cur.execute(stmt)
    cur.execute("INSERT INTO annotator_meta VALUES ('schema', %s)", (str(SERVER_SCHEMA),))


def _add_areas(cur) -> None:
    """2: a passage's area columns (a rectangle drawn on a page)."""
    for c in models.Passage.__table__.columns:
        if c.name.startswith("area_"):
            cur.execute(f"ALTER TABLE passage ADD COLUMN IF NOT EXISTS {q(c.name)} {pg_type(c)}")


# MIGRATIONS[n] upgrades a version-n server to version n + 1 (run by the workspace's owner).
MIGRATIONS: dict[int, Callable] = {1: _add_areas}


def found_version(cur) -> int:
    row = cur.execute("SELECT value FROM annotator_meta WHERE key = 'schema'").fetchone()
    return int(row[0])


def check(cur, where: str) -> int:
    """The server's schema version, upgraded when older; a newer one is refused in one sentence."""
    found = found_version(cur)
    if found > SERVER_SCHEMA:
        raise SchemaTooNew(
            f"The team server {where} uses a newer Annotator (team schema {found}; this version knows up to "
            f"{SERVER_SCHEMA}); update Annotator to sync. Your work stays on this laptop."
        )
    for version in range(found, SERVER_SCHEMA):
        MIGRATIONS[version](cur)
        cur.execute("UPDATE annotator_meta SET value = %s WHERE key = 'schema'", (str(version + 1),))
    return found
