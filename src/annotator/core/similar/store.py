"""Embeddings kept in the workspace: one per passage and one per window of lines.

A passage has two vectors: one beside the windows' (Find similar) and one
from the sentence transformer (Suggest themes). A window is a few consecutive lines of one document (at most WINDOW_LINES
transcript lines, or one numbered paragraph), never crossing a paragraph
number. Vectors are stored as 256 signed bytes (the unit vector times 127):
a quarter of float32, and cosines within about 0.01 of the exact ones.

These rows are derived data, rebuilt from the text whenever it changes, so
they are not audited and not synced to the team server.
"""

import hashlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from annotator.core.similar.model import DIM, NAME, THEMES_DIM, THEMES_NAME

PASSAGE_MODELS = f"{NAME}+{THEMES_NAME}"  # a passage has a vector from each

WINDOW_LINES = 4
WINDOW_CHARS = 700
SKIP_ROLES = ("header", "index")  # running heads and index pages say nothing about the evidence

TABLES = [
    "CREATE TABLE IF NOT EXISTS embed_doc (document_id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, "
    "model TEXT NOT NULL, windows INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS embed_window (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, "
    "first_line INTEGER NOT NULL, last_line INTEGER NOT NULL, vec BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS embed_window_doc ON embed_window(document_id)",
    "CREATE TABLE IF NOT EXISTS embed_passage (passage_id INTEGER PRIMARY KEY, digest TEXT NOT NULL, "
    "model TEXT NOT NULL, vec BLOB NOT NULL, themes BLOB NOT NULL)",
    # bumped by every write above: readers keep vectors in memory until it moves
    "CREATE TABLE IF NOT EXISTS embed_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
]


def create_tables(exec_sql: Callable[[str], object]) -> None:
    """Create the tables if missing (`exec_sql` runs one statement): schema create and upgrade."""
    for stmt in TABLES:
        exec_sql(stmt)


def encode(vectors: np.ndarray) -> list[bytes]:
    q = np.clip(np.rint(vectors * 127.0), -127, 127).astype(np.int8)
    return [row.tobytes() for row in q]


def decode(blobs: Iterable[bytes], count: int, dim: int = DIM) -> np.ndarray:
    """(count, dim) float32 from stored blobs (rows scaled back near length 1)."""
    flat = np.frombuffer(b"".join(blobs), dtype=np.int8)
    return flat.reshape(count, dim).astype(np.float32) / 127.0


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Window:
    first_line: int
    last_line: int
    text: str


def windows(rows: list[tuple[int, str, str, int | None]]) -> list[Window]:
    """Group a document's lines (id, role, text, para), in reading order, into windows."""
    out: list[Window] = []
    ids: list[int] = []
    texts: list[str] = []
    para: int | None = None

    def close() -> None:
        if ids:
            out.append(Window(ids[0], ids[-1], " ".join(texts)))
            ids.clear()
            texts.clear()

    for lid, role, text, p in rows:
        text = text.strip()
        if not text or role in SKIP_ROLES:
            continue
        size = sum(len(t) for t in texts)
        if ids and (p != para or len(ids) >= WINDOW_LINES or size + len(text) > WINDOW_CHARS):
            close()
        para = p
        ids.append(lid)
        texts.append(text)
    close()
    return out


def bump(con: sqlite3.Connection) -> None:
    con.execute(
        "INSERT INTO embed_state(key, value) VALUES ('generation', 1) "
        "ON CONFLICT(key) DO UPDATE SET value = value + 1"
    )


def generation(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT value FROM embed_state WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


@dataclass
class Pending:
    documents: list[tuple[int, str]]  # (id, sha256) whose windows are missing or stale
    passages: list[tuple[int, str]]  # (id, quote) whose vector is missing or stale
    gone: bool  # rows of deleted passages or removed documents to drop

    @property
    def total(self) -> int:
        return len(self.documents) + len(self.passages)


def pending(con: sqlite3.Connection) -> Pending:
    docs = con.execute(
        "SELECT d.id, d.sha256 FROM document d LEFT JOIN embed_doc e ON e.document_id = d.id "
        "WHERE e.document_id IS NULL OR e.sha256 <> d.sha256 OR e.model <> ? ORDER BY d.position, d.id",
        (NAME,),
    ).fetchall()
    stored = {
        pid: (dg, m) for pid, dg, m in con.execute("SELECT passage_id, digest, model FROM embed_passage")
    }
    todo = []
    for pid, quote in con.execute("SELECT id, quote FROM passage WHERE deleted_at IS NULL ORDER BY id"):
        have = stored.get(pid)
        if have is None or have != (digest(quote), PASSAGE_MODELS):
            todo.append((pid, quote))
    gone = con.execute(
        "SELECT EXISTS (SELECT 1 FROM embed_passage e LEFT JOIN passage p ON p.id = e.passage_id "
        "WHERE p.id IS NULL OR p.deleted_at IS NOT NULL) OR EXISTS (SELECT 1 FROM embed_doc e "
        "LEFT JOIN document d ON d.id = e.document_id WHERE d.id IS NULL)"
    ).fetchone()[0]
    return Pending([(int(i), str(s)) for i, s in docs], todo, bool(gone))


def drop_gone(con: sqlite3.Connection) -> None:
    con.execute(
        "DELETE FROM embed_passage WHERE passage_id NOT IN (SELECT id FROM passage WHERE deleted_at IS NULL)"
    )
    con.execute("DELETE FROM embed_window WHERE document_id NOT IN (SELECT id FROM document)")
    con.execute("DELETE FROM embed_doc WHERE document_id NOT IN (SELECT id FROM document)")
    bump(con)


def document_lines(con: sqlite3.Connection, doc_id: int) -> list[tuple[int, str, str, int | None]]:
    return con.execute(
        "SELECT id, role, text, para FROM line WHERE document_id = ? ORDER BY seq, id", (doc_id,)
    ).fetchall()


def save_document(
    con: sqlite3.Connection, doc_id: int, sha256: str, wins: list[Window], vecs: np.ndarray
) -> None:
    con.execute("DELETE FROM embed_window WHERE document_id = ?", (doc_id,))
    con.executemany(
        "INSERT INTO embed_window(document_id, first_line, last_line, vec) VALUES (?, ?, ?, ?)",
        [(doc_id, w.first_line, w.last_line, b) for w, b in zip(wins, encode(vecs), strict=True)],
    )
    con.execute(
        "INSERT OR REPLACE INTO embed_doc(document_id, sha256, model, windows) VALUES (?, ?, ?, ?)",
        (doc_id, sha256, NAME, len(wins)),
    )
    bump(con)


def save_passages(
    con: sqlite3.Connection, items: list[tuple[int, str]], vecs: np.ndarray, theme_vecs: np.ndarray
) -> None:
    assert theme_vecs.shape[1] == THEMES_DIM
    con.executemany(
        "INSERT OR REPLACE INTO embed_passage(passage_id, digest, model, vec, themes) VALUES (?, ?, ?, ?, ?)",
        [
            (pid, digest(q), PASSAGE_MODELS, b, t)
            for (pid, q), b, t in zip(items, encode(vecs), encode(theme_vecs), strict=True)
        ],
    )
    bump(con)


def waiting(con: sqlite3.Connection) -> int:
    """Documents and passages with no current vector: a quick count for a notice (edited
    words are not checked; passages count by number, so it is near, not exact)."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM document d LEFT JOIN embed_doc e ON e.document_id = d.id "
        "WHERE e.document_id IS NULL OR e.sha256 <> d.sha256 OR e.model <> ?), "
        "(SELECT count(*) FROM passage WHERE deleted_at IS NULL) - (SELECT count(*) FROM embed_passage)",
        (NAME,),
    ).fetchone()
    return int(row[0]) + max(0, int(row[1]))
