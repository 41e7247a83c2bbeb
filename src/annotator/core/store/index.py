"""Full-text index tables (FTS5), kept current by triggers.

Triggers run inside the writing transaction, so the index can never
disagree with the tables after a crash. Bump FTS_VERSION when the DDL
changes: workspaces with an older index are rebuilt on open.
"""

import sqlite3
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

FTS_VERSION = 3  # 3: passage_doc_pos gained start_char, passage_long added
TOKENIZE = "porter unicode61 remove_diacritics 2"

_THEMES_OF = (
    "(SELECT coalesce(group_concat(t.name, ' | '), '') FROM passage_theme pt "
    "JOIN theme t ON t.id = pt.theme_id WHERE pt.passage_id = {pid})"
)


def _refresh_passage(pid: str) -> str:
    return (
        f"DELETE FROM passage_fts WHERE rowid = {pid}; "
        f"INSERT INTO passage_fts(rowid, quote, note, themes, author) "
        f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author "
        f"FROM passage p WHERE p.id = {pid} AND p.deleted_at IS NULL;"
    )


def refill_passages(ids_sql: str) -> str:
    """Index the live passages whose ids a SELECT gives (for writers that change
    thousands at once with the update trigger dropped)."""
    return (
        "INSERT INTO passage_fts(rowid, quote, note, themes, author) "
        f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author FROM passage p "
        f"WHERE p.deleted_at IS NULL AND p.id IN ({ids_sql})"
    )


COVER = (
    "CREATE INDEX IF NOT EXISTS passage_cover ON passage(document_id, start_page, end_page, "
    "start_char, end_char) WHERE deleted_at IS NULL"
)
# A page by its place in the document, and page labels read without the page texts
# (before it, each lookup walked every page of the document).
PAGE_AT = 'CREATE INDEX IF NOT EXISTS page_at ON page(document_id, "index", label)'
PLAIN = {"passage_cover": COVER, "page_at": PAGE_AT}  # added to older workspaces on open

DDL = [
    # Plain indexes the search filters rely on (tagged/untagged lines, themes of a line).
    "CREATE INDEX IF NOT EXISTS line_doc_pos ON line(document_id, page_index, char_start)",
    "CREATE INDEX IF NOT EXISTS passage_doc_pos ON passage(document_id, start_page, start_char)",
    "CREATE INDEX IF NOT EXISTS passage_long ON passage(document_id, start_page) "
    "WHERE end_page - start_page > 2",
    # Everything search needs to find the live passages covering a line, without
    # reading the passage rows themselves (5.7 -> 0.8 ms for 50 common-word hits).
    COVER,
    PAGE_AT,
    f"CREATE VIRTUAL TABLE IF NOT EXISTS line_fts USING fts5("
    f"text, content='line', content_rowid='id', tokenize='{TOKENIZE}')",
    "CREATE TRIGGER IF NOT EXISTS line_fts_ai AFTER INSERT ON line BEGIN "
    "INSERT INTO line_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS line_fts_ad AFTER DELETE ON line BEGIN "
    "INSERT INTO line_fts(line_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS line_fts_au AFTER UPDATE OF text ON line BEGIN "
    "INSERT INTO line_fts(line_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO line_fts(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS passage_fts USING fts5("
    f"quote, note, themes, author, tokenize='{TOKENIZE}')",
    f"CREATE TRIGGER IF NOT EXISTS passage_fts_ai AFTER INSERT ON passage BEGIN "
    f"{_refresh_passage('new.id')} END",
    f"CREATE TRIGGER IF NOT EXISTS passage_fts_au AFTER UPDATE ON passage BEGIN "
    f"{_refresh_passage('new.id')} END",
    "CREATE TRIGGER IF NOT EXISTS passage_fts_ad AFTER DELETE ON passage BEGIN "
    "DELETE FROM passage_fts WHERE rowid = old.id; END",
    f"CREATE TRIGGER IF NOT EXISTS passage_theme_ai AFTER INSERT ON passage_theme BEGIN "
    f"{_refresh_passage('new.passage_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS passage_theme_ad AFTER DELETE ON passage_theme BEGIN "
    f"{_refresh_passage('old.passage_id')} END",
    "CREATE TRIGGER IF NOT EXISTS theme_name_au AFTER UPDATE OF name ON theme BEGIN "
    "DELETE FROM passage_fts WHERE rowid IN "
    "(SELECT passage_id FROM passage_theme WHERE theme_id = new.id); "
    "INSERT INTO passage_fts(rowid, quote, note, themes, author) "
    f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author FROM passage p "
    "WHERE p.deleted_at IS NULL AND p.id IN "
    "(SELECT passage_id FROM passage_theme WHERE theme_id = new.id); END",
]

DROP = [
    "DROP INDEX IF EXISTS passage_doc_pos",
    "DROP INDEX IF EXISTS passage_long",
    "DROP INDEX IF EXISTS passage_cover",
    "DROP TRIGGER IF EXISTS line_fts_ai",
    "DROP TRIGGER IF EXISTS line_fts_ad",
    "DROP TRIGGER IF EXISTS line_fts_au",
    "DROP TRIGGER IF EXISTS passage_fts_ai",
    "DROP TRIGGER IF EXISTS passage_fts_au",
    "DROP TRIGGER IF EXISTS passage_fts_ad",
    "DROP TRIGGER IF EXISTS passage_theme_ai",
    "DROP TRIGGER IF EXISTS passage_theme_ad",
    "DROP TRIGGER IF EXISTS theme_name_au",
    "DROP TABLE IF EXISTS line_fts",
    "DROP TABLE IF EXISTS passage_fts",
]


def trigger(name: str) -> str:
    """The CREATE statement of one of the triggers above (bulk writers drop one and
    put it back around work they index themselves)."""
    return next(d for d in DDL if f" {name} " in d)


def replace_lines(
    raw: sqlite3.Connection, doc_id: int, cols: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """A document's lines replaced by `rows` (of `cols`), with their full-text entries
    deleted and added in one statement each rather than a trigger a line."""
    raw.execute("DROP TRIGGER IF EXISTS line_fts_ad")
    raw.execute(
        "INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', id, text FROM line WHERE document_id = ?",
        (doc_id,),
    )
    raw.execute("DELETE FROM line WHERE document_id = ?", (doc_id,))
    raw.execute(trigger("line_fts_ad"))
    raw.execute("DROP TRIGGER IF EXISTS line_fts_ai")
    names = ", ".join(f'"{c}"' for c in cols)
    raw.executemany(f"INSERT INTO line ({names}) VALUES ({', '.join('?' * len(cols))})", rows)
    raw.execute(
        "INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE document_id = ?", (doc_id,)
    )
    raw.execute(trigger("line_fts_ai"))


PASSAGE_TRIGGERS = ("passage_fts_ai", "passage_fts_au", "passage_theme_ai", "passage_theme_ad")


def refresh_passages(raw: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Bring these passages' full-text entries up to date in one go (bulk writers drop
    PASSAGE_TRIGGERS, write, call this, then put the triggers back)."""
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS fts_ids (id INTEGER PRIMARY KEY)")
    raw.execute("DELETE FROM fts_ids")
    raw.executemany("INSERT OR IGNORE INTO fts_ids VALUES (?)", [(i,) for i in ids])
    raw.execute("DELETE FROM passage_fts WHERE rowid IN (SELECT id FROM fts_ids)")
    raw.execute(
        "INSERT INTO passage_fts(rowid, quote, note, themes, author) "
        f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author FROM passage p "
        "WHERE p.id IN (SELECT id FROM fts_ids) AND p.deleted_at IS NULL"
    )


def create(conn: Connection) -> None:
    for stmt in DDL:
        conn.exec_driver_sql(stmt)


def missing_plain(engine: Engine) -> bool:
    """A plain index added after this workspace's full-text index was built is missing."""
    with engine.connect() as conn:
        have = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return not PLAIN.keys() <= have


def add_plain(conn: Connection) -> None:
    """Add them: plain CREATE INDEX statements, no full-text rebuild (a FTS_VERSION bump would do one)."""
    for stmt in PLAIN.values():
        conn.exec_driver_sql(stmt)


def rebuild(conn: Connection) -> None:
    """Drop and rebuild both indexes from the tables."""
    for stmt in DROP:
        conn.exec_driver_sql(stmt)
    create(conn)
    conn.exec_driver_sql("INSERT INTO line_fts(line_fts) VALUES ('rebuild')")
    conn.exec_driver_sql(
        "INSERT INTO passage_fts(rowid, quote, note, themes, author) "
        f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author "
        "FROM passage p WHERE p.deleted_at IS NULL"
    )
    conn.execute(
        text("INSERT OR REPLACE INTO setting(key, value) VALUES ('fts_version', :v)"),
        {"v": str(FTS_VERSION)},
    )


def differences(conn: Connection) -> list[str]:
    """What the index gets wrong compared with the tables (empty when in step)."""
    problems = []
    try:
        conn.exec_driver_sql("INSERT INTO line_fts(line_fts, rank) VALUES ('integrity-check', 1)")
    except Exception as err:  # FTS5 reports a mismatch with its content table as an error
        problems.append(f"line index: {err}")
    want = set(
        conn.exec_driver_sql(
            f"SELECT p.id, p.quote, p.note, {_THEMES_OF.format(pid='p.id')}, p.author "
            "FROM passage p WHERE p.deleted_at IS NULL"
        ).all()
    )
    have = set(conn.exec_driver_sql("SELECT rowid, quote, note, themes, author FROM passage_fts").all())
    for row in sorted(want - have, key=lambda r: r[0])[:5]:
        problems.append(f"passage {row[0]} is missing or stale in the index")
    for row in sorted(have - want, key=lambda r: r[0])[:5]:
        problems.append(f"passage {row[0]} is in the index but not live or changed")
    return problems
