"""The server's tables, built from the same SQLModel models, versioned and upgraded.

Each synced table keeps the model's columns (ids become uids), plus:
version (per row), seq (server order of changes), deleted (tombstone),
owner (the login that created it), author/device/changed_at (last change).
"""

from collections.abc import Callable

from sqlalchemy import Boolean, Float, Integer, LargeBinary

from annotator.core.store import models
from annotator.core.util.errors import SchemaTooNew
from annotator.core.team.server.connect import TeamError
from annotator.core.team.tables import ORDER, SPECS

SERVER_SCHEMA = 3
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
        f"CREATE TEMP TABLE stage_{name} (ord serial, op char(1), change_id text, uid text, {', '.join(cols)}, "
        "version integer, deleted boolean, device text, changed_at text) ON COMMIT DROP"
    )


def table_ddl(name: str) -> list[str]:
    cols = field_columns(name)
    return [
        f"CREATE TABLE {q(name)} (uid text PRIMARY KEY, {', '.join(cols + list(ROW_COLUMNS))})",
        f"CREATE INDEX {name}_seq ON {q(name)}(seq)",
    ]


def _name_and_type(definition: str) -> tuple[str, str]:
    if not definition.startswith('"'):
        name, kind = definition.split(" ", 1)
        return name, kind
    name, kind = definition[1:].split('" ', 1)
    return name.replace('""', '"'), kind


def expected_columns() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, definition)] the models call for: every synced table's fields, and
    the pages and lines that travel with documents."""
    out = {name: [_name_and_type(c) for c in field_columns(name)] for name in ORDER}
    for table, model in (("page", models.Page), ("line", models.Line)):
        out[table] = [_name_and_type(c) for c in _model_columns(model, {"document_id": "document_uid"})]
    return out


def missing_columns(cur) -> dict[str, list[tuple[str, str]]]:
    """Columns the models have and this server's tables lack (a server published by an older
    Annotator; each new column of a synced model shows up here, no list to keep by hand)."""
    have: dict[str, set[str]] = {}
    for table, column in cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    ):
        have.setdefault(table, set()).add(column)
    out = {}
    for table, cols in expected_columns().items():
        lacking = [(c, kind) for c, kind in cols if c not in have.get(table, set())]
        if lacking:
            out[table] = lacking
    return out


def add_missing_columns(cur) -> None:
    """Tables and columns of synced models this server lacks, added (by the owner's login)."""
    members = _members(cur)
    for table, cols in missing_columns(cur).items():
        if cur.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is None:
            for stmt in table_ddl(table):
                cur.execute(stmt)
            cur.execute(f"GRANT SELECT, INSERT, UPDATE ON {q(table)} TO {q(members)}")
            continue
        for name, kind in cols:
            cur.execute(f"ALTER TABLE {q(table)} ADD COLUMN IF NOT EXISTS {q(name)} {kind}")


def narrowed_ddl(members: str) -> list[str]:
    """Who sees a passage can narrow after others pulled it: the server notes each change of
    audience (uid only), so a replica that can no longer read the row removes its copy."""
    return [
        "CREATE TABLE IF NOT EXISTS sync_narrowed (seq bigint NOT NULL DEFAULT nextval('change_seq'), "
        "tbl text NOT NULL, uid text NOT NULL)",
        "CREATE INDEX IF NOT EXISTS sync_narrowed_seq ON sync_narrowed(seq)",
        "CREATE OR REPLACE FUNCTION annotator_narrowed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO sync_narrowed(tbl, uid) VALUES (TG_TABLE_NAME, NEW.uid); RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS passage_narrowed ON passage",
        "CREATE TRIGGER passage_narrowed AFTER UPDATE OF audience ON passage FOR EACH ROW "
        "WHEN (OLD.audience IS DISTINCT FROM NEW.audience) EXECUTE FUNCTION annotator_narrowed()",
        f"GRANT SELECT, INSERT ON sync_narrowed TO {q(members)}",
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
        f"GRANT DELETE ON page, line TO {q(members)}",  # a document's new version replaces them
    ]
    return out


def create(cur, members: str) -> None:
    for stmt in base_ddl() + security_ddl(members) + narrowed_ddl(members):
        cur.execute(stmt)
    cur.execute("INSERT INTO annotator_meta VALUES ('schema', %s)", (str(SERVER_SCHEMA),))


def _add_areas(cur) -> None:
    """2: a passage's area columns (a rectangle drawn on a page)."""
    for c in models.Passage.__table__.columns:
        if c.name.startswith("area_"):
            cur.execute(f"ALTER TABLE passage ADD COLUMN IF NOT EXISTS {q(c.name)} {pg_type(c)}")


def _members(cur) -> str:
    return cur.execute("SELECT current_database()").fetchone()[0] + ":members"


def _v2_to_v3(cur) -> None:
    """3: columns and tables added to the synced models since (paragraphs of lines and
    passages, document versions), and the log of audience changes that lets replicas drop
    passages they may no longer read."""
    add_missing_columns(cur)
    for stmt in narrowed_ddl(_members(cur)):
        cur.execute(stmt)
    cur.execute(f"GRANT DELETE ON page, line TO {q(_members(cur))}")


# MIGRATIONS[n] upgrades a version-n server to version n + 1 (run by the workspace's owner).
MIGRATIONS: dict[int, Callable] = {1: _add_areas, 2: _v2_to_v3}


def found_version(cur) -> int:
    row = cur.execute("SELECT value FROM annotator_meta WHERE key = 'schema'").fetchone()
    return int(row[0])


def check(cur, where: str) -> int:
    """The server's schema version, upgraded when older; a newer one is refused in one sentence."""
    from psycopg.errors import InsufficientPrivilege

    found = found_version(cur)
    if found > SERVER_SCHEMA:
        raise SchemaTooNew(
            f"The team server {where} uses a newer Annotator (team schema {found}; this version knows up to "
            f"{SERVER_SCHEMA}); update Annotator to sync. Your work stays on this laptop."
        )
    try:
        for version in range(found, SERVER_SCHEMA):
            MIGRATIONS[version](cur)
            cur.execute("UPDATE annotator_meta SET value = %s WHERE key = 'schema'", (str(version + 1),))
        if missing_columns(cur):  # a model gained a column since this server was last upgraded
            add_missing_columns(cur)
    except InsufficientPrivilege as err:
        raise TeamError(
            f"The team server {where} was made by an older Annotator and must be upgraded by the "
            "login that published it (it owns the tables): ask them to sync once. Your work stays on "
            "this laptop."
        ) from err
    return found
