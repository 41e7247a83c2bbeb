"""The replica's side: bookkeeping tables, triggers that note changes, rows <-> records.

A record is a dict of a row's fields as the server keeps them: ids replaced by
uids, booleans as bool, a passage's themes as a sorted list of theme uids.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Boolean
from sqlalchemy.exc import OperationalError

from annotator.core.util.errors import DiskFull
from annotator.core.team.tables import MAPPED, SHARED_SETTINGS, SPECS

LOCAL_VERSION = 1
NEW_UID = "lower(hex(randomblob(16)))"
QUIET = "WHEN NOT EXISTS (SELECT 1 FROM sync_applying)"

TABLES = [
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS sync_map (tbl TEXT NOT NULL, local_id INTEGER NOT NULL, uid TEXT NOT NULL, "
    "PRIMARY KEY (tbl, local_id)) WITHOUT ROWID",
    "CREATE UNIQUE INDEX IF NOT EXISTS sync_map_uid ON sync_map(uid)",
    "CREATE TABLE IF NOT EXISTS sync_dirty (tbl TEXT NOT NULL, key NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS sync_gone (uid TEXT PRIMARY KEY, tbl TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sync_base (uid TEXT PRIMARY KEY, tbl TEXT NOT NULL, version INTEGER NOT NULL, "
    "data TEXT)",
    "CREATE TABLE IF NOT EXISTS sync_outbox (change_id TEXT PRIMARY KEY, uid TEXT NOT NULL UNIQUE, "
    "tbl TEXT NOT NULL, base_version INTEGER NOT NULL, data TEXT, base TEXT, at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sync_conflict (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, uid TEXT NOT NULL, "
    "kind TEXT NOT NULL, fields TEXT NOT NULL, mine TEXT, theirs TEXT, base TEXT, mine_author TEXT, "
    "mine_at TEXT, theirs_author TEXT, theirs_at TEXT, found_at TEXT NOT NULL, resolved_at TEXT, "
    "resolution TEXT)",
    "CREATE TABLE IF NOT EXISTS sync_applying (x INTEGER)",
    "CREATE TABLE IF NOT EXISTS team_audience (passage_id INTEGER PRIMARY KEY, audience TEXT NOT NULL)",
]


def _triggers() -> list[str]:
    out = []
    for t in MAPPED:
        dirty = f"INSERT OR IGNORE INTO sync_dirty(tbl, key) VALUES ('{t}', new.id);"
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS sync_{t}_ai AFTER INSERT ON {t} {QUIET} BEGIN "
            f"INSERT OR REPLACE INTO sync_map(tbl, local_id, uid) VALUES ('{t}', new.id, {NEW_UID}); {dirty} END"
        )
        out.append(f"CREATE TRIGGER IF NOT EXISTS sync_{t}_au AFTER UPDATE ON {t} {QUIET} BEGIN {dirty} END")
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS sync_{t}_ad AFTER DELETE ON {t} {QUIET} BEGIN "
            f"INSERT OR IGNORE INTO sync_gone(uid, tbl) SELECT uid, tbl FROM sync_map "
            f"WHERE tbl = '{t}' AND local_id = old.id; "
            f"DELETE FROM sync_map WHERE tbl = '{t}' AND local_id = old.id; "
            f"DELETE FROM sync_dirty WHERE tbl = '{t}' AND key = old.id; END"
        )
    shared = ", ".join(f"'{k}'" for k in SHARED_SETTINGS)
    for ev, when, row in (("ai", "INSERT", "new"), ("au", "UPDATE", "new")):
        out.append(
            f"CREATE TRIGGER IF NOT EXISTS sync_setting_{ev} AFTER {when} ON setting "
            f"WHEN {row}.key IN ({shared}) AND NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN "
            f"INSERT OR IGNORE INTO sync_dirty(tbl, key) VALUES ('setting', {row}.key); END"
        )
    for t in ("passage_theme", "team_audience"):
        for ev, when, row in (("ai", "INSERT", "new"), ("au", "UPDATE", "new"), ("ad", "DELETE", "old")):
            out.append(
                f"CREATE TRIGGER IF NOT EXISTS sync_{t}_{ev} AFTER {when} ON {t} {QUIET} BEGIN "
                f"INSERT OR IGNORE INTO sync_dirty(tbl, key) VALUES ('passage', {row}.passage_id); END"
            )
    return out


def is_replica(raw: sqlite3.Connection) -> bool:
    row = raw.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'").fetchone()
    return row is not None and get(raw, "url") is not None


def install(raw: sqlite3.Connection) -> None:
    for stmt in TABLES + _triggers():
        raw.execute(stmt)
    put(raw, "local_version", str(LOCAL_VERSION))
    put(raw, "synced_tables", ",".join(MAPPED))


def adopt_new_tables(raw: sqlite3.Connection) -> None:
    """A replica made before a table was synced (by an older Annotator): the triggers are
    added, and the table's rows get uids and go out with the next push, as publishing does."""
    listed = get(raw, "synced_tables")
    had = listed.split(",") if listed is not None else list(_FIRST)
    if had == MAPPED:
        return
    for stmt in TABLES + _triggers():
        raw.execute(stmt)
    for t in MAPPED:
        if t not in had:
            raw.execute(
                f"INSERT OR IGNORE INTO sync_map(tbl, local_id, uid) SELECT '{t}', id, {NEW_UID} FROM {t}"
            )
            raw.execute(f"INSERT OR IGNORE INTO sync_dirty(tbl, key) SELECT '{t}', id FROM {t}")
    put(raw, "synced_tables", ",".join(MAPPED))


# The tables synced by the first team version (replicas of it have no "synced_tables").
_FIRST = ("document", "theme", "passage", "link", "saved_search", "audit")


def get(raw: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    try:
        row = raw.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # not a team workspace: no sync_state table
        return default
    return row[0] if row else default


def put(raw: sqlite3.Connection, key: str, value: str | None) -> None:
    raw.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES (?, ?)", (key, value))


@contextmanager
def transaction(ws, quiet: bool = False, full_message: str = "") -> Iterator[sqlite3.Connection]:
    """One IMMEDIATE write transaction on the replica's raw connection; `quiet`
    keeps the change triggers still (rows written from the server)."""
    try:
        with ws._writer.begin() as conn:
            raw = conn.connection.driver_connection
            if quiet:
                raw.execute("INSERT INTO sync_applying VALUES (1)")
            yield raw
            if quiet:
                raw.execute("DELETE FROM sync_applying")
    except (OperationalError, sqlite3.OperationalError) as err:
        msg = str(err).lower()
        if "full" in msg or "no space" in msg or "disk i/o" in msg:
            raise DiskFull(
                full_message
                or "The disk is full: nothing from this sync was saved and the workspace is unchanged."
            ) from err
        raise


def mark_all(raw: sqlite3.Connection) -> None:
    """Give every existing row a uid and note it as changed (publishing a workspace)."""
    for t in MAPPED:
        raw.execute(
            f"INSERT OR IGNORE INTO sync_map(tbl, local_id, uid) SELECT '{t}', id, {NEW_UID} FROM {t}"
        )
        raw.execute(f"INSERT OR IGNORE INTO sync_dirty(tbl, key) SELECT '{t}', id FROM {t}")
    shared = ", ".join(f"'{k}'" for k in SHARED_SETTINGS)
    raw.execute(
        f"INSERT OR IGNORE INTO sync_dirty(tbl, key) SELECT 'setting', key FROM setting WHERE key IN ({shared})"
    )


# ---- rows -> records ----------------------------------------------------
_BOOLS = {
    name: {c.name for c in spec.model.__table__.columns if isinstance(c.type, Boolean)}
    for name, spec in SPECS.items()
}


def uid_of(raw: sqlite3.Connection, tbl: str, local_id) -> str | None:
    if tbl == "setting":
        return f"setting:{local_id}"
    row = raw.execute("SELECT uid FROM sync_map WHERE tbl = ? AND local_id = ?", (tbl, local_id)).fetchone()
    return row[0] if row else None


def local_ids(raw: sqlite3.Connection, tbl: str) -> dict[str, int]:
    return dict(raw.execute("SELECT uid, local_id FROM sync_map WHERE tbl = ?", (tbl,)))


def read_records(raw: sqlite3.Connection, tbl: str, keys: list) -> dict[str, dict]:
    """Records of these local rows (by id, or setting key), by uid; rows gone are absent."""
    spec = SPECS[tbl]
    out: dict[str, dict] = {}
    if not keys:
        return out
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS sync_keys (k PRIMARY KEY) WITHOUT ROWID")
    raw.execute("DELETE FROM sync_keys")
    raw.executemany("INSERT OR IGNORE INTO sync_keys VALUES (?)", [(k,) for k in keys])
    cols = spec.columns
    if tbl == "setting":
        rows = raw.execute("SELECT key, value FROM setting WHERE key IN (SELECT k FROM sync_keys)")
        return {f"setting:{k}": {"key": k, "value": v} for k, v in rows}
    joins, sel = [f"JOIN sync_map m ON m.tbl = '{tbl}' AND m.local_id = t.id"], ["m.uid"]
    for i, c in enumerate(cols):
        if c in spec.refs:
            joins.append(f"LEFT JOIN sync_map r{i} ON r{i}.tbl = '{spec.refs[c]}' AND r{i}.local_id = t.{c}")
            sel.append(f"r{i}.uid")
        else:
            sel.append(f't."{c}"')
    if tbl == "audit":  # as private as the passage it is about (it may quote the note)
        sel.append(f"coalesce(({AUDIT_AUDIENCE}), 'workspace')")
    names = cols + (["audience"] if tbl == "audit" else [])
    sql = f"SELECT t.id, {', '.join(sel)} FROM {tbl} t {' '.join(joins)} WHERE t.id IN (SELECT k FROM sync_keys)"
    bools = [c for c in cols if c in _BOOLS[tbl]]
    by_id: dict[int, dict] = {}
    for row in raw.execute(sql):
        rec = dict(zip(names, row[2:], strict=True))
        for c in bools:
            if rec[c] is not None:
                rec[c] = bool(rec[c])
        out[row[1]] = rec
        by_id[row[0]] = rec
    if tbl == "passage":
        for rec in by_id.values():
            rec["themes"], rec["audience"] = [], "workspace"
        for pid, tuid in raw.execute(
            "SELECT pt.passage_id, m.uid FROM passage_theme pt JOIN sync_map m ON m.tbl = 'theme' "
            "AND m.local_id = pt.theme_id WHERE pt.passage_id IN (SELECT k FROM sync_keys)"
        ):
            by_id[pid]["themes"].append(tuid)
        for rec in by_id.values():
            rec["themes"].sort()
        for pid, aud in raw.execute(
            "SELECT passage_id, audience FROM team_audience WHERE passage_id IN (SELECT k FROM sync_keys)"
        ):
            by_id[pid]["audience"] = aud
    return out


# The audience of the passage an audit row names in its details ({"passage": id, ...}).
AUDIT_AUDIENCE = (
    "SELECT a.audience FROM team_audience a WHERE json_valid(t.details) "
    "AND json_type(t.details, '$.passage') = 'integer' AND a.passage_id = json_extract(t.details, '$.passage')"
)


def dumps(rec: dict | None) -> str | None:
    return None if rec is None else json.dumps(rec, ensure_ascii=False)


def loads(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)
