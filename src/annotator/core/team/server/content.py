"""Documents' content: original files (blobs), pages and lines travel with the
document row the first time (COPY both ways; they are never edited)."""

import sqlite3

from annotator.core.store import index, models
from annotator.core.team.server.schema import pg_type, q

_PG_NAMES = {
    "bigint": "int8",
    "text": "text",
    "double precision": "float8",
    "boolean": "bool",
    "bytea": "bytea",
}


def _columns(model) -> list:
    return [c for c in model.__table__.columns if c.name not in ("id", "document_id")]


PAGE = _columns(models.Page)
LINE = _columns(models.Line)


def _names(cols) -> list[str]:
    return [c.name for c in cols]


def send(
    cur, raw: sqlite3.Connection, doc_ids: dict[str, int], files: frozenset[str] | set[str] = frozenset()
) -> None:
    """Pages, lines and originals of these documents (uid -> local id), new on the server or
    replaced by a new version (their old pages and lines go), and these other files (sha256)."""
    _send_files(cur, raw, set(files))
    if not doc_ids:
        return
    for table in ("page", "line"):
        cur.execute(f"DELETE FROM {table} WHERE document_uid = ANY(%s)", (list(doc_ids),))
    for table, cols in (("page", PAGE), ("line", LINE)):
        names = _names(cols)
        sql = f"COPY {table} (document_uid, {', '.join(q(n) for n in names)}) FROM STDIN"
        with cur.copy(sql) as copy:
            for uid, lid in doc_ids.items():
                for row in raw.execute(
                    f"SELECT {', '.join(q(n) for n in names)} FROM {table} WHERE document_id = ?", (lid,)
                ):
                    copy.write_row((uid, *row))
    _send_files(
        cur,
        raw,
        {
            r[0]
            for r in raw.execute(
                f"SELECT DISTINCT sha256 FROM document WHERE id IN ({','.join(str(int(i)) for i in doc_ids.values())})"
            )
        },
    )


def _send_files(cur, raw: sqlite3.Connection, shas: set[str]) -> None:
    if not shas:
        return
    have = {r[0] for r in cur.execute("SELECT sha256 FROM blob WHERE sha256 = ANY(%s)", (list(shas),))}
    for sha in shas - have:
        row = raw.execute("SELECT size, data FROM blob WHERE sha256 = ?", (sha,)).fetchone()
        if row is not None:
            cur.execute("INSERT INTO blob VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", (sha, row[0], row[1]))


def fetch(cur, raw: sqlite3.Connection, doc_ids: dict[str, int] | None) -> int:
    """Copy pages, lines and originals of these documents (uid -> local id; None: all
    documents, joining) into the replica. Returns the number of pages."""
    where, params = ("", ()) if doc_ids is None else ("WHERE document_uid = ANY(%s)", (list(doc_ids),))
    if doc_ids == {}:
        return 0
    lookup = (
        doc_ids
        if doc_ids is not None
        else dict(raw.execute("SELECT uid, local_id FROM sync_map WHERE tbl = 'document'"))
    )
    pages = 0
    for table, cols in (("page", PAGE), ("line", LINE)):
        names = _names(cols)
        key = '"index"' if table == "page" else "seq"
        sql = f"COPY (SELECT document_uid, {', '.join(q(n) for n in names)} FROM {table} {where} ORDER BY document_uid, {key}) TO STDOUT (FORMAT BINARY)"
        insert = f"INSERT INTO {table} (document_id, {', '.join(q(n) for n in names)}) VALUES ({', '.join('?' * (len(names) + 1))})"
        if table == "line":  # the lines' index entries in one statement rather than a trigger per line
            raw.execute("DROP TRIGGER IF EXISTS line_fts_ai")
            first = raw.execute("SELECT coalesce(max(id), 0) FROM line").fetchone()[0]
        with cur.copy(sql, params) as copy:
            copy.set_types(["text"] + [_PG_NAMES[pg_type(c)] for c in cols])
            batch = []
            for row in copy.rows():
                lid = lookup.get(row[0])
                if lid is None:
                    continue
                batch.append((lid, *row[1:]))
                if len(batch) >= 5000:
                    raw.executemany(insert, batch)
                    pages += len(batch) if table == "page" else 0
                    batch = []
            raw.executemany(insert, batch)
            pages += len(batch) if table == "page" else 0
        if table == "line":
            raw.execute("INSERT INTO line_fts(rowid, text) SELECT id, text FROM line WHERE id > ?", (first,))
            raw.execute(index.trigger("line_fts_ai"))
    return pages


def fetch_blobs(cur, raw: sqlite3.Connection, shas: set[str]) -> None:
    """Originals the replica lacks (before their documents, which point at them)."""
    have = {r[0] for r in raw.execute("SELECT sha256 FROM blob")} if shas else set()
    want = [s for s in shas if s not in have]
    if want:
        for sha, size, data in cur.execute(
            "SELECT sha256, size, data FROM blob WHERE sha256 = ANY(%s)", (want,)
        ):
            raw.execute("INSERT OR IGNORE INTO blob(sha256, size, data) VALUES (?, ?, ?)", (sha, size, data))
