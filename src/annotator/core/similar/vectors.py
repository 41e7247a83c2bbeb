"""The workspace's vectors in memory, read once and kept while they do not change.

Reading 350,000 stored vectors takes about a second; a query against them in
memory is one matrix product. The copy is kept per workspace file and read
again when the stored generation moves (any embedding written).
"""

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np

from annotator.core.similar import store
from annotator.core.similar.model import DIM, THEMES_DIM


@dataclass
class Vectors:
    generation: int
    window_ids: np.ndarray  # int64, one per window
    window_docs: np.ndarray  # int64 document id
    first_lines: np.ndarray  # int64 line id
    last_lines: np.ndarray
    windows: np.ndarray  # (n, DIM) float32
    passage_ids: np.ndarray
    passage_docs: np.ndarray
    passages: np.ndarray  # (m, DIM) float32
    passage_themes: np.ndarray  # (m, THEMES_DIM) float32, from the theme model


_cache: dict[str, Vectors] = {}
_lock = threading.Lock()


def _read(con: sqlite3.Connection, gen: int) -> Vectors:
    rows = con.execute(
        "SELECT id, document_id, first_line, last_line, vec FROM embed_window ORDER BY id"
    ).fetchall()
    w = np.array([r[:4] for r in rows], dtype=np.int64).reshape(-1, 4)
    wv = store.decode((r[4] for r in rows), len(rows))
    del rows
    prow = con.execute(
        "SELECT e.passage_id, p.document_id, e.vec, e.themes FROM embed_passage e JOIN passage p ON p.id = e.passage_id "
        "WHERE p.deleted_at IS NULL ORDER BY e.passage_id"
    ).fetchall()
    p = np.array([r[:2] for r in prow], dtype=np.int64).reshape(-1, 2)
    pv = store.decode((r[2] for r in prow), len(prow))
    tv = store.decode((r[3] for r in prow), len(prow), THEMES_DIM)
    return Vectors(gen, w[:, 0], w[:, 1], w[:, 2], w[:, 3], wv, p[:, 0], p[:, 1], pv, tv)


def load(con: sqlite3.Connection, key: str) -> Vectors:
    """The vectors of the workspace at `key` (its path), from memory when unchanged."""
    gen = store.generation(con)
    with _lock:
        have = _cache.get(key)
        if have is not None and have.generation == gen:
            return have
    got = _read(con, gen)
    with _lock:
        _cache[key] = got
    return got


def forget(key: str) -> None:
    with _lock:
        _cache.pop(key, None)


def empty() -> Vectors:
    z = np.zeros(0, dtype=np.int64)
    m = np.zeros((0, DIM), dtype=np.float32)
    return Vectors(0, z, z, z, z, m, z, z, m, np.zeros((0, THEMES_DIM), dtype=np.float32))
